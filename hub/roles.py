"""Staff roles (Django groups) and the admin permissions each one holds.

Groups are created by a data migration. Each app declares the permissions its models give to
each role in its ``AppConfig.ready`` through ``hub.services.grant_permissions``; after every
``migrate`` the groups are set to exactly the declared permissions, no others.
"""

from collections import defaultdict

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.registry import registry


class Role(models.TextChoices):
    DIRECTION = "direction", _("Direction")
    DISPATCH = "dispatch", _("Régulation des livraisons")
    CIP = "cip", _("Conseil en insertion (CIP)")
    COWORKING = "coworking", _("Espaces et Atelier 8")
    ANIMATION = "animation", _("Animation")
    MODERATION = "moderation", _("Modération")


_declared: dict[str, set[str]] = defaultdict(set)


def group_names(user) -> set[str]:
    """The staff roles (group names) of ``user``, read once per request and memoised on it."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, *roles: str) -> bool:
    """Whether ``user`` is an active superuser or holds one of ``roles``."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(group_names(user) & set(roles))


def grant(role: str, permissions: list[str]) -> None:
    """Declare that ``role`` holds ``permissions`` ("app_label.codename")."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    _declared[role].update(permissions)


def declared_permissions(role: str) -> set[str]:
    return set(_declared.get(role, set()))


def sync_role_permissions(**kwargs) -> None:
    """Give each role group exactly its declared permissions (post_migrate handler)."""
    for role in Role.values:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = declared_permissions(role)
        if not wanted:
            group.permissions.clear()
            continue
        condition = Q()
        for name in wanted:
            app_label, codename = name.split(".", 1)
            condition |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(condition))


def user_roles(user) -> list[str]:
    """Staff group names plus relation roles declared by the apps, sorted."""
    if not user.is_authenticated:
        return []
    names = set(group_names(user))
    for provider in registry.role_providers:
        names.update(provider(user))
    return sorted(names)
