"""The e-mails sent about registrations and events; each carries the registration's own link."""

from hub.mail import absolute_url, send_email
from hub.models import Registration, RegistrationStatus


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITING,
        queued_at__lte=registration.queued_at,
    ).exclude(queued_at=registration.queued_at, pk__gte=registration.pk)
    return ahead.count() + 1


def notify(registration: Registration, template: str, dedupe_key: str | None = None, **extra):
    """Send ``templates/hub/email/<template>_*.txt`` to the person behind ``registration``."""
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "manage_url": absolute_url(registration.get_absolute_url()),
        "event_url": absolute_url(event.get_absolute_url()),
        **extra,
    }
    if registration.status == RegistrationStatus.WAITING:
        context.setdefault("position", waiting_position(registration))
    return send_email(registration.email, f"hub/email/{template}", context, dedupe_key=dedupe_key)
