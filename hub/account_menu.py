"""The account menu's links, kept in the cache per user so that a page spends no query on them.

Which links a user sees (``AccountLink.visible``) is checked once and remembered for
``ACCOUNT_MENU_SECONDS``; it is forgotten at once at sign-in, when the user's groups or staff
flags change (``User`` saved, groups added or removed) and when a row of a model listed in a
link's ``changes_with`` (a shop membership, an organiser, a courier profile) is saved or
deleted. A change written with a bulk ``update()`` shows within the delay; the pages behind
the links check access themselves, so a link shown late or too long opens nothing it should
not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from hub.registry import AccountLink, registry


def _key(user_id: Any) -> str:
    return f"hub:account-links:{user_id}"


def _sorted_links() -> list[AccountLink]:
    return sorted(registry.account_links, key=lambda link: link.order)


def visible_link_names(user: Any) -> list[str]:
    """The names of the links ``user`` sees, checked now (queries)."""
    return [link.url_name for link in _sorted_links() if link.visible is None or link.visible(user)]


def account_links(user: Any) -> list[AccountLink]:
    """The links of ``user``'s account menu, in order. A user read from the cache carries
    them (``hub.user_cache``, forgotten on the same changes); others read this cache."""
    if not user.is_authenticated:
        return []
    shown = getattr(user, "_account_link_names", None)
    if shown is None:
        shown = cache.get(_key(user.pk))
    if shown is None:
        shown = visible_link_names(user)
        cache.set(_key(user.pk), shown, settings.ACCOUNT_MENU_SECONDS)
    return [link for link in _sorted_links() if link.url_name in shown]


def menu_key(user: Any) -> tuple:
    """What the account menu shows besides the e-mail: the names of its links and the staff
    flag (the layout keeps one rendering of the menu per such set, ``{% memo %}``; members
    with the same set share their pages kept whole, ``hub.whole_pages``)."""
    return (*(link.url_name for link in account_links(user)), user.is_staff)


def forget_account_links(user_id: Any) -> None:
    """The user's links are checked again on their next page."""
    from hub.user_cache import forget_users  # it reads the links through this module

    cache.delete(_key(user_id))
    forget_users([user_id])


def _row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_account_links(instance.user_id)


def watch(link: AccountLink) -> None:
    """Forget a user's links when a row deciding ``link`` for them changes."""
    model: Any
    for model in link.changes_with:
        uid = f"hub.account_menu:{model._meta.label}"
        post_save.connect(_row_changed, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(_row_changed, sender=model, weak=False, dispatch_uid=uid + ":delete")


def _user_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_account_links(instance.pk)


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    forget_account_links(user.pk)


def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if not reverse:  # user.groups.add(...)
        if action in ("post_add", "post_remove", "post_clear"):
            forget_account_links(instance.pk)
    elif action in ("post_add", "post_remove"):  # group.user_set.add(...)
        for user_id in pk_set or ():
            forget_account_links(user_id)
    elif action == "pre_clear":
        for user_id in instance.user_set.values_list("pk", flat=True):
            forget_account_links(user_id)


def connect() -> None:
    """Hook the reactions that do not depend on other apps (called once, from the hub)."""
    user_model = get_user_model()
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="hub.account_menu:user")
    user_logged_in.connect(_signed_in, dispatch_uid="hub.account_menu:login")
    m2m_changed.connect(
        _groups_changed, sender=user_model.groups.through, dispatch_uid="hub.account_menu:groups"
    )
