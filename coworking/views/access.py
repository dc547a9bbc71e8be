"""Who may see what: coworking staff pages, and a person's own bookings only."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from hub.services import Role, has_role


def is_coworking_staff(user) -> bool:
    return has_role(user, Role.COWORKING)


def coworking_staff_required(view):
    """Signed-in members of the coworking group only (others get 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_coworking_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
