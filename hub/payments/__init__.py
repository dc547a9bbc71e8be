"""Online payment by card (Stripe Connect behind ``provider``), used by the shop, coworking
passes and paid events through ``hub.services``."""
