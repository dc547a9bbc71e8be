"""Who may organise which events: the animation team, and the member-structure organisers
that it authorises (``StructureOrganiser``)."""

from django.db.models import QuerySet

from hub.models import Event, Structure
from hub.roles import Role, group_names


def is_animation_team(user) -> bool:
    """Superusers and staff of the animation group organise every event."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and Role.ANIMATION in group_names(user))


def organisable_structures(user) -> QuerySet[Structure]:
    """The structures for which ``user`` may create and run events."""
    if is_animation_team(user):
        return Structure.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Structure.objects.none()
    return Structure.objects.filter(organisers__user=user)


def is_organiser(user) -> bool:
    """Whether ``user`` organises events for at least one structure."""
    return is_animation_team(user) or organisable_structures(user).exists()


def can_organise(user, structure: Structure) -> bool:
    """Whether ``user`` may create, change and run the events of ``structure``."""
    if is_animation_team(user):
        return True
    return organisable_structures(user).filter(pk=structure.pk).exists()


def organised_events(user) -> QuerySet[Event]:
    """The events whose participants ``user`` may see."""
    if is_animation_team(user):
        return Event.objects.all()
    return Event.objects.filter(structure__in=organisable_structures(user))
