from anima.celery import resilient_task
from shop import services


@resilient_task
def release_unaccepted_orders() -> int:
    """Cancel orders no shop accepted before the cut-off (idempotent: released ones are gone)."""
    return services.release_unaccepted_orders()
