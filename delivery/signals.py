"""What delivery tells the apps above it, which it may not import.

Sent by the relay of ``ShopNotice`` rows (``delivery.services.shop_notices``), after the
delivery's transaction has committed, inside the relay's own transaction, with plain data and
``notice_id`` (to make the receiver's e-mails idempotent). A receiver that raises rolls the
relay back and the notice is tried again later; the shop listens, moves its orders along and
tells the shopper.
"""

from django.dispatch import Signal

# A courier took a shop's part. kwargs: order_number (str), merchant_id (int)
parcel_picked_up = Signal()
# The drop-off is done. kwargs: order_number (str), payment_collected (bool)
parcel_delivered = Signal()
# The drop-off failed; dispatch will decide. kwargs: order_number (str), reason (French label),
# note (str)
delivery_failed = Signal()
# Dispatch planned a new attempt. kwargs: order_number (str), slot_id (int),
# relay_point_id (int | None: the parcels now go to this relay point)
delivery_replanned = Signal()
# Dispatch gave up: the parcels go back to the shops. kwargs: order_number (str), reason (str)
delivery_returned = Signal()
