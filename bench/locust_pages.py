"""Locust users for bench/pages.py: the same users hit each page in turn."""

from locust import FastHttpUser, constant, task


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare view")

    @task
    def home(self):
        self.client.get("/", name="home page")

    @task
    def structures(self):
        self.client.get("/structures/", name="structures page")
