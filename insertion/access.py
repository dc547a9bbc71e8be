"""Who may see insertion records: the ``cip`` and ``direction`` groups (and superusers, whose
every access is logged like anybody else's)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from hub.services import Role, has_role

RECORD_ROLES = (Role.CIP, Role.DIRECTION)


def can_see_records(user) -> bool:
    """True for signed-in counsellors, direction and superusers."""
    return has_role(user, *RECORD_ROLES)


def is_direction(user) -> bool:
    """True for signed-in direction members and superusers."""
    return has_role(user, Role.DIRECTION)


def _guard(test):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


records_required = _guard(can_see_records)
direction_required = _guard(is_direction)
