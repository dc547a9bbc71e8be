"""The one way to guard a page: anonymous visitors go to the login page, signed-in people
without the right get 403."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from hub.roles import has_role

View = Callable[..., Any]


def access_required(
    test: Callable[[Any], bool], refusals: logging.Logger | None = None
) -> Callable[[View], View]:
    """A view decorator letting through signed-in users for whom ``test(user)`` is true;
    refusals of signed-in users are logged to ``refusals`` when given (personal data)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                if refusals is not None:
                    refusals.warning(
                        "Access refused: user %s to %s %s.",
                        request.user.pk,
                        request.method,
                        request.path,
                    )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def role_required(*roles: str, refusals: logging.Logger | None = None) -> Callable[[View], View]:
    """A view decorator for the holders of one of the staff ``roles`` (and superusers)."""
    return access_required(lambda user: has_role(user, *roles), refusals)


def is_active_staff(user) -> bool:
    return user.is_active and user.is_staff
