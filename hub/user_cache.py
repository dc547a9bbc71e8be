"""The signed-in user's row, read from the cache instead of the database on every page.

Django loads the user of a session with one query per request; the row changes rarely (a
login, a password, a deactivation, a profile edit). It is kept in the sessions' cache (the
``sessions`` alias: purged after a Redis outage, so a deactivation written while Redis was
down cannot come back from the cache) for ``USER_CACHE_SECONDS``, and forgotten whenever a
``User`` is saved or deleted (signals) or updated in bulk (``forget_users``), with the
tombstones of ``hub.remembered`` (a request that read the old row cannot store it back).
The entry also holds the names of the user's groups (their staff roles, ``hub.roles``), forgotten
when a group is given, taken, renamed or deleted, and the links of their account menu
(``hub.account_menu``, which forgets the entry on every change deciding them): one cache read
for the user, their roles and their menu.

The password hash is not put in the cache: the entry holds the other columns and the
session's verification hash (an HMAC of the password, what the session itself stores), which
``User.get_session_auth_hash`` returns. Code that reads ``password`` on such a user loads it
from the database (a deferred field), and saving that user leaves the password alone.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user, get_user_model
from django.contrib.auth.models import Group
from django.db import router
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from hub.account_menu import visible_link_names
from hub.remembered import forget, remembered

UNCACHED = ("password",)
# Bumped whenever the entry's layout (_entry) changes: entries of the former layout, still in
# Redis after a deploy, are then never read.
ENTRY_VERSION = 2


def _alias() -> str:
    return getattr(settings, "SESSION_CACHE_ALIAS", "default")


@cache
def _shape(names: str, secret: str) -> str:
    return hashlib.sha256(f"{names}|{secret}".encode()).hexdigest()[:12]


def _key(user_id: Any) -> str:
    """Changes with the model's columns and the secret key: an entry written by another
    version of the code (or hashed with another key) is never read."""
    names = ",".join(field.attname for field in get_user_model()._meta.concrete_fields)
    return f"hub:user:{ENTRY_VERSION}:{_shape(names, settings.SECRET_KEY)}:{user_id}"


def _entry(user: Any) -> dict[str, Any]:
    fields = [f for f in user._meta.concrete_fields if f.attname not in UNCACHED]
    return {
        "names": [f.attname for f in fields],
        "values": [getattr(user, f.attname) for f in fields],
        "auth_hash": user.get_session_auth_hash(),
        "groups": list(user.groups.values_list("name", flat=True)),
        "links": visible_link_names(user),
    }


def _user_from(entry: dict[str, Any]) -> Any:
    user_model = get_user_model()
    user: Any = user_model.from_db(router.db_for_read(user_model), entry["names"], entry["values"])
    user._cached_session_auth_hash = entry["auth_hash"]
    user._role_names = set(entry["groups"])  # what hub.roles.group_names would read
    user._account_link_names = entry["links"]  # what hub.account_menu would read
    return user


def _read(user_id: Any) -> Any | None:
    user_model = get_user_model()
    try:
        return user_model._default_manager.get(pk=user_id)
    except user_model.DoesNotExist:
        return None


def cached_user(user_id: Any) -> Any | None:
    """The user with this primary key (``None`` if there is none), from the cache when it is
    there; read from the database and remembered otherwise."""
    return remembered(
        _key(user_id),
        lambda: _read(user_id),
        settings.USER_CACHE_SECONDS,
        alias=_alias(),
        keep=_entry,
        restore=_user_from,
    )


def forget_users(user_ids: Any) -> None:
    """The next request of these users reads their row from the database (call it after a bulk
    ``update()`` of users: no signal tells)."""
    forget([_key(user_id) for user_id in user_ids], alias=_alias())


def _user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_users([instance.pk])


def _group_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_users(instance.user_set.values_list("pk", flat=True))


def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if not reverse:  # user.groups.add(...)
        if action in ("post_add", "post_remove", "post_clear"):
            forget_users([instance.pk])
    elif action in ("post_add", "post_remove"):  # group.user_set.add(...)
        forget_users(pk_set or ())
    elif action == "pre_clear":
        _group_changed(sender, instance)


def connect() -> None:
    """Forget a user's entry whenever their row or groups change (called once, from the hub)."""
    user_model = get_user_model()
    post_save.connect(_user_changed, sender=user_model, dispatch_uid="hub.user_cache:save")
    post_delete.connect(_user_changed, sender=user_model, dispatch_uid="hub.user_cache:delete")
    m2m_changed.connect(
        _groups_changed, sender=user_model.groups.through, dispatch_uid="hub.user_cache:groups"
    )
    post_save.connect(_group_changed, sender=Group, dispatch_uid="hub.user_cache:group")
    pre_delete.connect(_group_changed, sender=Group, dispatch_uid="hub.user_cache:group_gone")


class _SessionPeek:
    """A session's data, read-only, for ``auth.get_user``: the verdict without its side effects
    (flushing or cycling the session is left to that person's next request)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        pass

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def flush(self) -> None:
        pass

    def cycle_key(self) -> None:
        pass


def session_user(session_key: str | None) -> Any | None:
    """The active user the session ``session_key`` still signs in, decided as Django decides at
    each request (``None`` once logged out, the session deleted or expired, the password changed
    or the account deactivated): one read of the session (the sessions' cache, its row on a
    miss) and one of the user's cache entry. For long-lived answers (live streams) that must
    end with the session."""
    if not session_key:
        return None
    engine = import_module(settings.SESSION_ENGINE)
    data = engine.SessionStore(session_key).load()
    request: Any = SimpleNamespace(session=_SessionPeek(data))  # all get_user reads
    user = get_user(request)
    return user if user.is_authenticated and user.is_active else None
