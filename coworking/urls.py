from django.urls import path

from coworking.views import atelier8, booking, passes, people, staff, studios

app_name = "coworking"

urlpatterns = [
    path("espaces/", booking.home, name="home"),
    path("espaces/ressources/<int:pk>/", booking.resource_week, name="resource_week"),
    path("espaces/ressources/<int:pk>/reserver/", booking.book, name="book"),
    path("espaces/mes-reservations/", booking.my_bookings, name="my_bookings"),
    path(
        "espaces/mes-reservations/paiements/<uuid:reference>/",
        booking.payment_check,
        name="payment_check",
    ),
    path("espaces/ateliers-made-in-calais/", studios.studios, name="studios"),
    path("espaces/baux/documents/<int:pk>/", studios.lease_document, name="lease_document"),
    path("espaces/reservations/<int:pk>/annuler/", booking.cancel, name="cancel"),
    path("espaces/reservations/<int:pk>/payer/", booking.pay, name="pay_booking"),
    path("espaces/pass/", passes.pass_offers, name="passes"),
    path("espaces/pass/<int:pk>/acheter/", passes.buy_pass, name="buy_pass"),
    path("espaces/tarif-solidaire/", people.solidarity, name="solidarity"),
    path("espaces/justificatifs/<int:pk>/", people.proof_file, name="proof_file"),
    path("espaces/releve/<int:year>/<int:month>/", people.statement, name="statement"),
    path("espaces/calendrier/<str:token>.ics", people.person_feed, name="person_feed"),
    path(
        "espaces/calendrier/ressource/<uuid:token>.ics",
        people.resource_feed,
        name="resource_feed",
    ),
    path("espaces/calendrier/nouvelle-adresse/", people.new_feed_token, name="new_feed_token"),
    path("espaces/atelier-8/", atelier8.atelier8, name="atelier8"),
    path(
        "espaces/atelier-8/candidatures/<int:pk>/",
        atelier8.application_detail,
        name="application_detail",
    ),
    path(
        "espaces/atelier-8/candidatures/<int:pk>/retirer/",
        atelier8.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "espaces/atelier-8/conventions/<int:pk>/",
        atelier8.agreement_detail,
        name="agreement_detail",
    ),
    path("espaces/equipe/", staff.staff_home, name="staff_home"),
    path("espaces/equipe/candidatures/", staff.staff_applications, name="staff_applications"),
    path(
        "espaces/equipe/candidatures/<int:pk>/",
        staff.staff_application,
        name="staff_application",
    ),
    path("espaces/equipe/ressources/<int:pk>/", staff.staff_resource, name="staff_resource"),
]
