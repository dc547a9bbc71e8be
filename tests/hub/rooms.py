"""A small room booker standing in for the coworking app, which this branch does not have."""

from hub.exceptions import Conflict


class FakeRooms:
    ROOMS = [("salle-galilee", "Salle Galilée"), ("atelier-mic", "Espace ateliers Made in Calais")]

    def __init__(self):
        self.bookings: dict[str, tuple] = {}
        self.counter = 0

    def rooms(self):
        return list(self.ROOMS)

    def book(self, key, start, end, title, user):
        for room, taken_start, taken_end, _title in self.bookings.values():
            if room == key and taken_start < end and start < taken_end:
                raise Conflict("Cette salle est déjà réservée sur ce créneau.")
        self.counter += 1
        reference = f"resa-{self.counter}"
        self.bookings[reference] = (key, start, end, title)
        return reference

    def cancel(self, reference):
        self.bookings.pop(reference, None)
