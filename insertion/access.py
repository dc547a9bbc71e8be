"""Who may see insertion records: the ``cip`` and ``direction`` groups (and superusers, whose
every access is logged like anybody else's)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from hub.roles import Role

RECORD_ROLES = (Role.CIP, Role.DIRECTION)


def _groups(user) -> set[str]:
    if not hasattr(user, "_insertion_groups"):
        user._insertion_groups = set(user.groups.values_list("name", flat=True))
    return user._insertion_groups


def can_see_records(user) -> bool:
    """True for signed-in counsellors, direction and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_groups(user) & set(RECORD_ROLES))


def is_direction(user) -> bool:
    """True for signed-in direction members and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.DIRECTION in _groups(user)


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
