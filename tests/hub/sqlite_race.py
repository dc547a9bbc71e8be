"""Run by test_event_registration_concurrency in a fresh process: the 20-for-5 race on a real
SQLite file (the embedded default), where only the database write lock serialises writers.

Prints the statuses in queue order, then whether the ids follow that order.
"""

import os
import sys
import threading
from datetime import timedelta

os.environ["DJANGO_SETTINGS_MODULE"] = "anima.settings"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
sys.path.insert(0, os.getcwd())

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from hub.agenda.registrations import register  # noqa: E402
from hub.models import Event, Registration, Structure, User  # noqa: E402

call_command("migrate", verbosity=0)
structure = Structure.objects.create(name="Galilée", slug="galilee", kind="association")
start = timezone.now() + timedelta(days=2)
event = Event.objects.create(
    title="Café de l'ESS",
    kind="cafe_ess",
    structure=structure,
    place="Pôle Anima",
    start=start,
    end=start + timedelta(hours=2),
    capacity=5,
)
people = [User.objects.create(email=f"p{n}@exemple.fr") for n in range(20)]
barrier = threading.Barrier(len(people))
errors = []


def attempt(person):
    try:
        barrier.wait()
        register(event, user=person)
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()


threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
queue = list(Registration.objects.order_by("queued_at", "pk"))
print(" ".join(registration.status for registration in queue))
print("ids-in-order" if [r.pk for r in queue] == sorted(r.pk for r in queue) else "ids-shuffled")
print(Event.objects.get(pk=event.pk).confirmed_seats)
print(errors)
