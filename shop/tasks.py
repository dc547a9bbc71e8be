from anima.celery import resilient_task
from shop import services


@resilient_task
def release_unaccepted_orders() -> int:
    """Cancel orders no shop accepted before the cut-off (idempotent: released ones are gone)."""
    return services.release_unaccepted_orders()


@resilient_task
def reconcile_orders_with_deliveries() -> int:
    """Bring in step orders whose delivery moved on without them (idempotent)."""
    return services.repair_orders_behind_deliveries()


@resilient_task
def purge_pending_photos() -> int:
    """Delete photos kept for product forms abandoned past their token (idempotent)."""
    return services.purge_pending_photos()
