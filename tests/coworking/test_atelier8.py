"""Atelier 8: apply, review, accept with a free agreement, follow it, renew it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import (
    Application,
    ApplicationStatus,
    BookingMode,
    OccupancyAgreement,
    SpaceKind,
)
from hub.exceptions import Conflict
from hub.roles import Role
from tests.coworking.factories import (
    AgreementFactory,
    ApplicationFactory,
    DeskPoolFactory,
    RateFactory,
    at,
)
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "project_title": "Recyclerie de vélos",
    "project": "Remettre en état des vélos donnés et les revendre à petit prix.",
    "needs": "Un atelier pour réparer et un peu de stockage.",
    "wants_workshop": "on",
    "wants_storage": "on",
    "job_seeker_since": "2025-09-01",
    "job_seeker_id": "1234567A",
    "availability": "Du lundi au vendredi",
    "certify": "on",
}


@pytest.fixture
def team():
    return StaffFactory(roles=[Role.COWORKING])


@pytest.fixture
def incubator_desks():
    return DeskPoolFactory(
        name="Postes Atelier 8", booking_mode=BookingMode.AGREEMENT, space__kind=SpaceKind.INCUBATOR
    )


def test_a_job_seeker_applies_and_both_sides_are_emailed(client, team):
    applicant = UserFactory()
    client.force_login(applicant)

    response = client.post(reverse("coworking:atelier8"), FORM, follow=True)

    application = Application.objects.get(applicant=applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.wants_workshop and not application.wants_desk
    assert "Recyclerie de vélos" in response.content.decode()
    assert {m.to[0] for m in mail.outbox} == {applicant.email, team.email}


def test_the_form_refuses_an_application_asking_for_nothing_or_not_certified(client):
    client.force_login(UserFactory())
    data = {**FORM, "wants_workshop": "", "wants_storage": "", "certify": ""}

    response = client.post(reverse("coworking:atelier8"), data)

    body = response.content.decode()
    assert "Dites ce que vous demandez" in body
    assert "réservé aux demandeurs" in body
    assert not Application.objects.exists()


def test_a_second_open_application_is_refused():
    application = ApplicationFactory()

    with pytest.raises(Conflict, match="déjà une candidature"):
        services.submit_application(application.applicant, {**FORM, "wants_desk": True})


def test_anonymous_visitors_are_invited_to_sign_in(client):
    page = client.get(reverse("coworking:atelier8")).content.decode()

    assert "Se connecter pour candidater" in page


def test_the_applicant_follows_their_application_and_nobody_else_can(client, team):
    application = ApplicationFactory()
    services.review_application(
        application,
        team,
        ApplicationStatus.UNDER_REVIEW,
        "Dossier complet, merci.",
        timezone.localdate() + timedelta(days=10),
    )
    url = reverse("coworking:application_detail", args=[application.pk])

    client.force_login(application.applicant)
    page = client.get(url).content.decode()
    assert "En cours d&#x27;examen" in page or "En cours d'examen" in page
    assert "Dossier complet, merci." in page
    assert "comité" in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_each_status_change_emails_the_applicant(team):
    application = ApplicationFactory()
    mail.outbox.clear()

    services.review_application(
        application, team, ApplicationStatus.REFUSED, "Projet hors du champ."
    )

    assert mail.outbox[-1].to == [application.applicant.email]
    assert "Refusée" in mail.outbox[-1].subject
    assert "Projet hors du champ." in mail.outbox[-1].body


def test_a_closed_application_cannot_change_again(team):
    application = ApplicationFactory(status=ApplicationStatus.REFUSED)

    with pytest.raises(Conflict, match="ne peut pas passer"):
        services.review_application(application, team, ApplicationStatus.UNDER_REVIEW)


def test_staff_accept_from_their_page_and_the_agreement_appears(client, team, incubator_desks):
    application = ApplicationFactory()
    start = timezone.localdate()
    client.force_login(team)

    client.post(
        reverse("coworking:staff_application", args=[application.pk]),
        {
            "action": "accept",
            "accept-resource": incubator_desks.pk,
            "accept-start_date": start.isoformat(),
            "accept-end_date": (start + timedelta(days=180)).isoformat(),
            "accept-comment": "Bienvenue à Atelier 8 !",
        },
    )

    agreement = OccupancyAgreement.objects.get()
    assert agreement.holder == application.applicant
    client.force_login(application.applicant)
    page = client.get(
        reverse("coworking:application_detail", args=[application.pk])
    ).content.decode()
    assert "Voir la convention" in page
    printable = client.get(
        reverse("coworking:agreement_detail", args=[agreement.pk])
    ).content.decode()
    assert "Convention d&#x27;occupation" in printable or "Convention d'occupation" in printable
    assert incubator_desks.name in printable


def test_the_agreement_makes_bookings_of_its_resource_free(incubator_desks):
    RateFactory(resource=incubator_desks)
    agreement = AgreementFactory(resource=incubator_desks)

    booking = services.book(agreement.holder, incubator_desks, at(2, 9), at(2, 13))

    assert booking.price == Decimal("0.00")


def test_accepting_needs_an_atelier8_resource_and_dates_in_order(team, incubator_desks):
    application = ApplicationFactory()
    public_pool = DeskPoolFactory()
    today = timezone.localdate()

    with pytest.raises(Exception, match="Atelier 8"):
        services.accept_application(
            application, team, public_pool, today, today + timedelta(days=10)
        )
    with pytest.raises(Exception, match="suivre"):
        services.accept_application(
            application, team, incubator_desks, today, today - timedelta(days=1)
        )
    assert not OccupancyAgreement.objects.exists()


@pytest.mark.parametrize("role", [None, Role.DIRECTION, Role.CIP])
def test_staff_pages_are_for_the_coworking_team_only(client, role):
    application = ApplicationFactory()
    client.force_login(StaffFactory(roles=[role]) if role else UserFactory())

    for url in (
        reverse("coworking:staff_home"),
        reverse("coworking:staff_applications"),
        reverse("coworking:staff_application", args=[application.pk]),
    ):
        assert client.get(url).status_code == 403


def test_the_agreement_is_seen_by_its_holder_and_the_team_only(client, team):
    agreement = AgreementFactory()
    url = reverse("coworking:agreement_detail", args=[agreement.pk])

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(team)
    assert client.get(url).status_code == 200


def test_the_applicant_withdraws_an_open_application(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)

    client.post(reverse("coworking:application_withdraw", args=[application.pk]))

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_renewing_extends_the_agreement_and_tells_the_holder():
    agreement = AgreementFactory()
    end = agreement.end_date

    services.renew_agreement(agreement, 6)

    agreement.refresh_from_db()
    assert agreement.end_date > end + timedelta(days=170)
    assert agreement.renewals == 1
    assert "renouvelée" in mail.outbox[-1].subject
