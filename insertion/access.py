"""Who may see insertion records: the ``cip`` and ``direction`` groups (and superusers, whose
every access is logged like anybody else's)."""

import logging

from hub.services import Role, has_role, role_required

logger = logging.getLogger(__name__)

RECORD_ROLES = (Role.CIP, Role.DIRECTION)


def can_see_records(user) -> bool:
    """True for signed-in counsellors, direction and superusers."""
    return has_role(user, *RECORD_ROLES)


def is_direction(user) -> bool:
    """True for signed-in direction members and superusers."""
    return has_role(user, Role.DIRECTION)


# Personal records: every refusal is logged (who, which page), never what the page holds.
records_required = role_required(*RECORD_ROLES, refusals=logger)
direction_required = role_required(Role.DIRECTION, refusals=logger)
