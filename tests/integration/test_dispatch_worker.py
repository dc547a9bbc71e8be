"""« Optimiser » on the board: a real worker, reached through Redis, computes the proposed plan
off the request path; the dispatcher then applies it."""

import pytest
from django.urls import reverse

from delivery import services
from delivery.models import PlanProposal, ProposalStatus
from tests.delivery.factories import DeliverySlotFactory, RoundFactory, make_delivery
from tests.hub.factories import StaffFactory
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_dispatcher_optimises_a_round_through_the_worker_and_applies_it(
    celery_worker_process, client
):
    slot = DeliverySlotFactory()
    round_ = RoundFactory(slot=slot)
    deliveries = [make_delivery(slot, shops=1) for _ in range(3)]
    services.add_deliveries(round_.pk, [d.pk for d in deliveries], None)
    client.force_login(StaffFactory(roles=["dispatch"]))

    started = client.post(reverse("delivery:round_optimise", args=[round_.pk]), **HTMX)

    assert "Calcul du plan lancé" in started.content.decode()
    proposal = PlanProposal.objects.get()
    assert wait_for(
        lambda: (
            PlanProposal.objects.get(pk=proposal.pk).status
            not in (ProposalStatus.QUEUED, ProposalStatus.RUNNING)
        )
    ), "the worker did not compute the proposal"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY, proposal.error
    panel = client.get(reverse("delivery:proposal", args=[proposal.pk]), **HTMX).content.decode()
    assert "Appliquer" in panel

    applied = client.post(reverse("delivery:proposal_apply", args=[proposal.pk]), **HTMX)

    assert "Optimisation : 1 tournée(s)" in applied.content.decode()
    round_.refresh_from_db()
    assert round_.optimised_at is not None
    assert PlanProposal.objects.get().status == ProposalStatus.APPLIED
