"""The one authentication backend: allauth's, with the session's user read through the cache
(``hub.user_cache``) instead of one query per page."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend

from hub.user_cache import cached_user


class CachedUserBackend(AuthenticationBackend):
    def get_user(self, user_id: Any) -> Any:
        user = cached_user(user_id)
        # Django's own check: an inactive user is no longer signed in (its next request).
        return user if user is not None and self.user_can_authenticate(user) else None
