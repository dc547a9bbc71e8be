from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RECORD_MODELS = [
    "beneficiary",
    "passiae",
    "passsuspension",
    "passextension",
    "contract",
    "interview",
    "barrier",
    "barrieraction",
    "training",
    "immersion",
    "exit",
]
# Changed in the admin (rules in model.clean); the others are recorded from /insertion/ pages.
EDITABLE_IN_ADMIN = [
    "beneficiary",
    "interview",
    "barrier",
    "barrieraction",
    "training",
    "immersion",
]


def _perms(action: str, models: list[str]) -> list[str]:
    return [f"insertion.{action}_{model}" for model in models]


COUNSELLOR_PERMISSIONS = [
    *_perms("view", [*RECORD_MODELS, "exitreason", "priorityneighbourhood"]),
    *_perms("add", [*EDITABLE_IN_ADMIN, "priorityneighbourhood"]),
    *_perms("change", [*EDITABLE_IN_ADMIN, "priorityneighbourhood"]),
]
DIRECTION_PERMISSIONS = [
    *COUNSELLOR_PERMISSIONS,
    "insertion.add_exitreason",
    "insertion.change_exitreason",
    "insertion.view_accesslog",
]


class InsertionConfig(AppConfig):
    name = "insertion"
    verbose_name = _("Insertion (CDDI)")

    def ready(self):
        from hub.roles import Role
        from hub.services import grant_permissions

        grant_permissions(Role.CIP, COUNSELLOR_PERMISSIONS)
        grant_permissions(Role.DIRECTION, DIRECTION_PERMISSIONS)
