"""What delivery tells the apps above it, which it may not import.

The dispatch part (couriers, rounds) sends these when a courier picks up at a shop and when
the drop-off is done; the shop listens and moves its orders along.
"""

from django.dispatch import Signal

# sender: the sending class; kwargs: order_number (str), merchant_id (int)
parcel_picked_up = Signal()
# sender: the sending class; kwargs: order_number (str)
parcel_delivered = Signal()
