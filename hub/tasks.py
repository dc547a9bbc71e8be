from django.db import InterfaceError, OperationalError
from django.utils import timezone

from anima.celery import enqueue, resilient_task
from hub import emails, sms
from hub.models import Heartbeat


@resilient_task
def heartbeat() -> None:
    """Sent by beat every minute (see hub.signals) and run by a worker: the worker is alive."""
    record_heartbeat(Heartbeat.Component.WORKER)


def record_heartbeat(component: str) -> None:
    Heartbeat.objects.update_or_create(component=component, defaults={"seen_at": timezone.now()})


@resilient_task
def send_outgoing_email(email_id: int) -> None:
    """Send one stored e-mail; a second run finds it sent (or being sent) and does nothing."""
    emails.send(email_id)


@resilient_task
def resend_overdue_emails() -> int:
    """Every minute: queue again the stored e-mails a lost message or a killed worker left."""
    overdue = emails.overdue()
    for email_id in overdue:
        enqueue(send_outgoing_email, email_id)
    return len(overdue)


@resilient_task(autoretry_for=(OSError, OperationalError, InterfaceError, sms.SmsUnavailable))
def send_outgoing_sms(sms_id: int) -> None:
    """Send one stored text message; retried while the provider cannot take it; a second run
    finds it sent (or being sent, or refused) and does nothing."""
    sms.send(sms_id)


@resilient_task
def resend_overdue_sms() -> int:
    """Every minute: queue again the stored text messages left unsent."""
    overdue = sms.overdue()
    for sms_id in overdue:
        enqueue(send_outgoing_sms, sms_id)
    return len(overdue)


@resilient_task
def send_event_reminders() -> None:
    """Daily: remind tomorrow's participants (once each) and drop stale unconfirmed requests."""
    from hub.agenda.reminders import purge_unconfirmed, send_reminders

    send_reminders()
    purge_unconfirmed()


@resilient_task
def settle_payment(payment_id: int) -> None:
    """Capture or release, refund and pay out what a payment's decisions call for."""
    from hub.payments.services import settle_payment as settle

    settle(payment_id)


@resilient_task
def reconcile_payments() -> None:
    """Every few minutes: settle payments whose webhook was lost or whose work stopped."""
    from hub.payments.services import reconcile

    reconcile()


@resilient_task
def release_event_holds() -> None:
    """Every few minutes: seats of paid events held past their time go to the waiting list."""
    from hub.agenda.paid_seats import release_expired_holds

    release_expired_holds()
