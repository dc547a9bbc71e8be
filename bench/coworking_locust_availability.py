"""Locust users for bench/coworking_availability.py: each page in turn."""

import os
from datetime import date, timedelta

from locust import FastHttpUser, constant, task

POOL = os.environ.get("BENCH_POOL_ID", "1")
NEXT_MONDAY = date.today() + timedelta(days=7 - date.today().weekday())


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare view")

    @task
    def week(self):
        self.client.get(f"/espaces/ressources/{POOL}/?du={NEXT_MONDAY}", name="week view")

    @task
    def availability(self):
        self.client.get(
            f"/api/v1/resources/{POOL}/availability/?from={NEXT_MONDAY}"
            f"&to={NEXT_MONDAY + timedelta(days=13)}",
            name="availability API (14 days)",
        )
