"""The solidarity rate: a proof uploaded, checked, seen by the coworking team only."""

from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from coworking import services
from coworking.models import ProofStatus, RateTier, SolidarityProof
from hub.roles import Role
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="attestation.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def jpeg():
    output = BytesIO()
    Image.new("RGB", (40, 30), "red").save(output, format="JPEG")
    return SimpleUploadedFile("carte.jpg", output.getvalue(), content_type="image/jpeg")


def upload(client, file, category="job_seeker"):
    return client.post(reverse("coworking:solidarity"), {"category": category, "file": file})


def test_a_person_uploads_a_pdf_proof(client, settings, tmp_path):
    user = UserFactory()
    client.force_login(user)

    response = upload(client, pdf())

    assert response.status_code == 302
    proof = SolidarityProof.objects.get(user=user)
    assert proof.status == ProofStatus.PENDING
    assert proof.content_type == "application/pdf"
    # Stored outside the public media folder, under a random name.
    assert str(tmp_path / "private") in proof.file.path
    assert "attestation" not in proof.file.name


def test_a_photo_is_accepted_and_re_encoded(client, settings, tmp_path):
    client.force_login(UserFactory())

    upload(client, jpeg(), category="student")

    assert SolidarityProof.objects.get().content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00 not a document"), "PDF ou une photo"),
        (SimpleUploadedFile("faux.pdf", b"<html>not a pdf</html>"), "PDF ou une photo"),
    ],
)
def test_other_files_are_refused_and_nothing_is_saved(client, settings, tmp_path, file, message):
    client.force_login(UserFactory())

    response = upload(client, file)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SolidarityProof.objects.exists()


def test_a_file_too_large_is_refused(client, settings, tmp_path):
    settings.COWORKING_PROOF_MAX_BYTES = 1024
    client.force_login(UserFactory())

    response = upload(client, pdf(content=PDF + b"0" * 2048))

    assert "dépasse" in response.content.decode()
    assert not SolidarityProof.objects.exists()


def test_a_second_proof_waits_for_the_first_decision(client, settings, tmp_path):
    client.force_login(UserFactory())
    upload(client, pdf())

    response = client.get(reverse("coworking:solidarity"))

    assert "justificatif est en cours d" in response.content.decode()


@pytest.fixture
def proof():
    return services.submit_proof(UserFactory(), "job_seeker", pdf())


def test_only_the_coworking_team_opens_the_proof(client, proof):
    url = reverse("coworking:proof_file", args=[proof.pk])

    assert client.get(url).status_code == 302
    client.force_login(proof.user)
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[Role.COWORKING]))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_accepting_the_proof_applies_the_solidarity_rate_and_tells_the_person(proof):
    mail.outbox.clear()

    services.decide_proof(proof, True, StaffFactory(roles=[Role.COWORKING]))

    assert services.tier_of(proof.user) == RateTier.SOLIDARITY
    assert mail.outbox[-1].to == [proof.user.email]
    assert "tarif solidaire est accordé" in mail.outbox[-1].subject


def test_refusing_keeps_the_standard_rate(proof):
    services.decide_proof(proof, False, StaffFactory(roles=[Role.COWORKING]), "Attestation périmée")

    assert services.tier_of(proof.user) == RateTier.STANDARD
    assert "Attestation périmée" in mail.outbox[-1].body


def test_the_admin_action_decides_for_the_coworking_team(client, proof):
    client.force_login(StaffFactory(roles=[Role.COWORKING]))

    client.post(
        reverse("admin:coworking_solidarityproof_changelist"),
        {"action": "approve", "_selected_action": [proof.pk]},
    )

    proof.refresh_from_db()
    assert proof.status == ProofStatus.APPROVED
