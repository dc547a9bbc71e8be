"""Who may see what: coworking staff pages, and a person's own bookings only."""

from hub.services import Role, has_role, role_required


def is_coworking_staff(user) -> bool:
    return has_role(user, Role.COWORKING)


coworking_staff_required = role_required(Role.COWORKING)
