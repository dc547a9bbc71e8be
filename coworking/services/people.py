"""The solidarity rate: a proof uploaded by the person, decided once by staff."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.models import ProofStatus, RateTier, SolidarityProof
from coworking.services.pricing import coworker_for, reprice_future_bookings
from hub.services import (
    Conflict,
    absolute_url,
    clean_image,
    other_fields,
    send_email,
    transition,
    validate_image,
)

PDF_MAGIC = b"%PDF-"


def validate_proof_file(file) -> str:
    """Raise a French ValidationError unless ``file`` is a PDF or an image within size; its type."""
    limit = settings.COWORKING_PROOF_MAX_BYTES
    if file is None:
        raise ValidationError(_("Joignez un justificatif."), code="required")
    if file.size > limit:
        raise ValidationError(
            _("Le justificatif dépasse %(max)s Mo.") % {"max": limit // (1024 * 1024)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(0)
    if head == PDF_MAGIC:
        return "application/pdf"
    try:
        validate_image(file, max_bytes=limit)
    except ValidationError:
        raise ValidationError(
            _("Envoyez un PDF ou une photo (JPEG, PNG ou WebP)."), code="format"
        ) from None
    return "image"


def submit_proof(user, category: str, file) -> SolidarityProof:
    """Store a proof for staff to decide on; images are re-encoded without their metadata."""
    content_type = validate_proof_file(file)
    with transaction.atomic():
        if SolidarityProof.objects.filter(user=user, status=ProofStatus.PENDING).exists():
            raise Conflict(_("Votre justificatif précédent est en cours d'examen."))
        if content_type == "image":
            file = clean_image(file)
            content_type = file.content_type
        proof = SolidarityProof(user=user, category=category, content_type=content_type)
        proof.file.save(file.name, file, save=False)
        proof.save()
    return proof


def decide_proof(
    proof: SolidarityProof, approve: bool, staff, comment: str = ""
) -> SolidarityProof:
    """Accept or refuse; the person is told. Accepted: the solidarity rate applies to every new
    booking and to the bookings still to come that are priced at a rate (not paid yet)."""
    with transaction.atomic():
        proof = SolidarityProof.objects.select_for_update().get(pk=proof.pk)
        if proof.status != ProofStatus.PENDING:
            raise Conflict(_("Ce justificatif a déjà été examiné."))
        proof.decided_by = staff
        proof.decided_at = timezone.now()
        proof.staff_comment = comment[:300]
        transition(
            proof,
            ProofStatus.APPROVED if approve else ProofStatus.REFUSED,
            by=staff,
            source="coworking.decide_proof",
            fields=other_fields(proof),
        )
        if approve:
            coworker = coworker_for(proof.user)
            coworker.tier = RateTier.SOLIDARITY
            coworker.tier_decided_at = proof.decided_at
            coworker.save(update_fields=["tier", "tier_decided_at"])
        repriced = reprice_future_bookings(proof.user, proof.decided_at) if approve else []
        send_email(
            proof.user.email,
            "coworking/email/proof_decided",
            {
                "proof": proof,
                "approved": approve,
                "repriced": repriced,
                "url": absolute_url(reverse("coworking:my_bookings")),
            },
        )
    return proof
