from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MODELS_MANAGED = ["space", "openinghours", "resource", "rate", "closure", "pass", "studiolease"]
CRUD = ("view", "add", "change", "delete")


class CoworkingConfig(AppConfig):
    name = "coworking"
    verbose_name = _("Espaces et Atelier 8")

    def ready(self):
        from coworking import services
        from coworking.views.access import is_coworking_staff
        from hub.roles import Role
        from hub.services import (
            AccountLink,
            NavEntry,
            RoomBooker,
            grant_permissions,
            register_account_link,
            register_nav,
            register_room_booker,
        )

        register_nav(
            NavEntry(
                key="espaces",
                label=_("Espaces"),
                url_name="coworking:home",
                description=_(
                    "Réserver un poste au coworking Le Lieu Commun ou une salle, louer un "
                    "atelier d'artisan, candidater à Atelier 8."
                ),
                order=20,
            )
        )
        register_account_link(
            AccountLink(label=_("Mes réservations"), url_name="coworking:my_bookings", order=20)
        )
        register_account_link(
            AccountLink(
                label=_("Équipe des espaces"),
                url_name="coworking:staff_home",
                order=80,
                visible=is_coworking_staff,
            )
        )
        register_room_booker(
            RoomBooker(
                rooms=services.event_rooms,
                book=services.book_event_room,
                cancel=services.cancel_event_room,
            )
        )
        grant_permissions(
            Role.COWORKING,
            [f"coworking.{action}_{model}" for model in MODELS_MANAGED for action in CRUD]
            + [
                "coworking.view_booking",
                "coworking.change_booking",
                "coworking.view_coworker",
                "coworking.change_coworker",
                "coworking.view_solidarityproof",
                "coworking.change_solidarityproof",
                "coworking.view_application",
                "coworking.change_application",
                "coworking.view_occupancyagreement",
                "coworking.change_occupancyagreement",
                # To pick the person a pass or a lease is for.
                "hub.view_user",
            ],
        )
        grant_permissions(
            Role.DIRECTION,
            [
                f"coworking.view_{model}"
                for model in ("space", "resource", "rate", "openinghours", "closure", "studiolease")
            ],
        )
