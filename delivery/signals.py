"""What delivery tells the apps above it, which it may not import.

Sent after the delivery's transaction commits, with plain data; the shop listens and moves its
orders along and tells the shopper.
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
