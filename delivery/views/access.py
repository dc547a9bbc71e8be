"""Who may see what: the board and figures for staff roles, the courier page for couriers."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from hub.services import Role, has_role


def is_dispatcher(user) -> bool:
    return has_role(user, Role.DISPATCH)


def reads_figures(user) -> bool:
    return has_role(user, Role.DISPATCH, Role.DIRECTION)


def dispatch_required(view):
    """Signed-in members of the dispatch group only (others get 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_dispatcher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def figures_required(view):
    """Dispatch and direction only."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not reads_figures(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
