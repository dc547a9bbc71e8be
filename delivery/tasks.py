from anima.celery import resilient_task
from delivery import notifications
from delivery.services import generate_slots, relay_due_notices, relay_notices
from delivery.services.proposals import compute_proposal
from delivery.services.push import send_to_courier
from delivery.services.shopper_news import send_round_news


@resilient_task
def generate_delivery_slots() -> int:
    """Keep the coming days' slots created (idempotent: existing slots are left alone)."""
    return generate_slots()


@resilient_task
def remind_tomorrow_deliveries() -> int:
    """E-mail each shopper delivered tomorrow the window (once per delivery and slot)."""
    return notifications.remind_tomorrow()


@resilient_task
def morning_dispatch_summary() -> int:
    """Tell the dispatch team, once a day, which of the day's deliveries are in no round."""
    return notifications.morning_summary()


@resilient_task
def relay_shop_notices(delivery_id: int) -> int:
    """Tell the shop what happened to one delivery (enqueued after the change's commit)."""
    return relay_notices(delivery_id)


@resilient_task
def relay_pending_shop_notices() -> int:
    """Scheduled: retry every notice the shop has not handled yet, with back-off."""
    return relay_due_notices()


@resilient_task
def compute_plan_proposal(proposal_id: int) -> str:
    """« Optimiser » / « Répartir » off the request path: solve and store the proposed plan
    (idempotent: a proposal already computed, applied or abandoned is left alone)."""
    return compute_proposal(proposal_id)


@resilient_task
def send_shopper_news(round_id: int, round_started: bool = False) -> int:
    """Tell the shoppers of a round it is out, or that their stop is next (enqueued after the
    courier's action committed; each message once, so safe to run twice)."""
    return send_round_news(round_id, round_started)


@resilient_task
def send_round_push(courier_id: int, round_id: int, published: bool) -> int:
    """Web push « Nouvelle tournée publiée », « Tournée modifiée » or « Tournée retirée » to
    a courier's browsers."""
    return send_to_courier(courier_id, round_id, published)
