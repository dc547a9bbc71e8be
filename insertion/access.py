"""Who may see insertion records: the ``cip`` and ``direction`` groups (and superusers, whose
every access is logged like anybody else's)."""

from hub.services import Role, has_role, role_required

RECORD_ROLES = (Role.CIP, Role.DIRECTION)


def can_see_records(user) -> bool:
    """True for signed-in counsellors, direction and superusers."""
    return has_role(user, *RECORD_ROLES)


def is_direction(user) -> bool:
    """True for signed-in direction members and superusers."""
    return has_role(user, Role.DIRECTION)


records_required = role_required(*RECORD_ROLES)
direction_required = role_required(Role.DIRECTION)
