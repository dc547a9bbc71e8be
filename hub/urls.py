from django.urls import path

from hub.views import agenda, core, organiser, payments, pilotage

app_name = "hub"

urlpatterns = [
    path("", core.home, name="home"),
    path("structures/", core.structure_list, name="structure_list"),
    path("structures/<slug:slug>/", core.structure_detail, name="structure_detail"),
    path("pilotage/", pilotage.dashboard, name="dashboard"),
    path("impact/", pilotage.impact, name="impact"),
    path("impact/export.csv", pilotage.impact_csv, name="impact_csv"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/agenda.ics", agenda.agenda_ical, name="agenda_ical"),
    path("agenda/<int:pk>/", agenda.event_detail, name="event_detail"),
    path("agenda/<int:pk>/inscription/", agenda.event_register, name="event_register"),
    path("agenda/<int:pk>/evenement.ics", agenda.event_ical, name="event_ical"),
    path(
        "agenda/inscriptions/<int:pk>/<str:token>/",
        agenda.registration_manage,
        name="registration_manage",
    ),
    path("agenda/mes-inscriptions/", agenda.my_registrations, name="my_registrations"),
    path(
        "agenda/mes-inscriptions/<int:pk>/annuler/",
        agenda.my_registration_cancel,
        name="my_registration_cancel",
    ),
    path("paiement/webhook/", payments.payment_webhook, name="payment_webhook"),
    path("paiement/<uuid:public_id>/retour/", payments.payment_return, name="payment_return"),
    path("paiement/<uuid:public_id>/abandon/", payments.payment_abandon, name="payment_abandon"),
    path("agenda/organisation/", organiser.organiser_home, name="organiser_home"),
    path("agenda/organisation/nouveau/", organiser.event_create, name="event_create"),
    path("agenda/organisation/<int:pk>/", organiser.organiser_event, name="organiser_event"),
    path("agenda/organisation/<int:pk>/modifier/", organiser.event_edit, name="event_edit"),
    path("agenda/organisation/<int:pk>/annuler/", organiser.event_cancel, name="event_cancel"),
    path(
        "agenda/organisation/<int:pk>/participants.csv",
        organiser.participants_csv,
        name="participants_csv",
    ),
    path(
        "agenda/organisation/presence/<int:pk>/",
        organiser.attendance,
        name="attendance",
    ),
]
