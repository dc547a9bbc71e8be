from celery.signals import before_task_publish

from hub.models import Heartbeat

HEARTBEAT_TASK = "hub.tasks.heartbeat"


@before_task_publish.connect(dispatch_uid="hub.beat_heartbeat")
def record_beat_alive(sender=None, **kwargs):
    """Beat is the only publisher of the heartbeat task: publishing it proves beat is alive."""
    if sender == HEARTBEAT_TASK:
        from hub.tasks import record_heartbeat

        record_heartbeat(Heartbeat.Component.BEAT)
