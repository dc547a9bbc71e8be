from anima.celery import resilient_task
from delivery.services import generate_slots


@resilient_task
def generate_delivery_slots() -> int:
    """Keep the coming days' slots created (idempotent: existing slots are left alone)."""
    return generate_slots()
