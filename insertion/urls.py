from django.urls import path, re_path

from insertion.views import people, records, reporting

app_name = "insertion"

urlpatterns = [
    path("insertion/", people.caseload_list, name="caseload"),
    path("insertion/nouveau/", people.beneficiary_create, name="beneficiary_create"),
    path("insertion/indicateurs/", reporting.indicators, name="indicators"),
    re_path(
        r"^insertion/indicateurs/export\.(?P<fmt>csv|xlsx)$",
        reporting.indicators_export,
        name="indicators_export",
    ),
    re_path(
        r"^insertion/indicateurs/participants\.(?P<fmt>csv|xlsx)$",
        reporting.participants_export,
        name="participants_export",
    ),
    path("insertion/journal/", reporting.access_log, name="access_log"),
    path("insertion/<int:pk>/", people.beneficiary_detail, name="beneficiary"),
    path("insertion/<int:pk>/modifier/", people.beneficiary_edit, name="beneficiary_edit"),
    path("insertion/<int:pk>/export/", people.beneficiary_export, name="beneficiary_export"),
    path("insertion/<int:pk>/pass/", records.pass_create, name="pass_create"),
    path("insertion/pass/<int:pk>/suspension/", records.pass_suspend, name="pass_suspend"),
    path("insertion/pass/<int:pk>/prolongation/", records.pass_extend, name="pass_extend"),
    path("insertion/<int:pk>/contrat/", records.contract_create, name="contract_create"),
    path("insertion/contrat/<int:pk>/renouveler/", records.contract_renew, name="contract_renew"),
    path("insertion/<int:pk>/entretien/", records.interview_create, name="interview_create"),
    path("insertion/<int:pk>/frein/", records.barrier_create, name="barrier_create"),
    path("insertion/frein/<int:pk>/action/", records.barrier_action, name="barrier_action"),
    path("insertion/frein/<int:pk>/etat/", records.barrier_move, name="barrier_move"),
    path("insertion/<int:pk>/formation/", records.training_create, name="training_create"),
    path("insertion/<int:pk>/immersion/", records.immersion_create, name="immersion_create"),
    path("insertion/<int:pk>/sortie/", records.exit_create, name="exit_create"),
    path("insertion/sortie/<int:pk>/suivi/", records.exit_followup, name="exit_followup"),
]
