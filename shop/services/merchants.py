"""Merchant applications, their review by moderation, and shop members."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import delivery.services as delivery
from hub.services import Actor, other_fields, set_initial_status, transition
from shop import notifications
from shop.models import MemberRole, Merchant, MerchantMember, MerchantStatus


def member_merchants(user):
    """Shops the user belongs to (any status), by name."""
    return Merchant.objects.of_member(user).order_by("name").distinct()


def is_merchant_member(user) -> bool:
    """Whether the user runs at least one shop."""
    return user.is_authenticated and MerchantMember.objects.filter(user=user).exists()


def merchant_roles(user) -> list[str]:
    """The « merchant » relation role for /api/v1/me/ when the user runs an approved shop."""
    approved = MerchantMember.objects.filter(user=user, merchant__status=MerchantStatus.APPROVED)
    return ["merchant"] if approved.exists() else []


def membership(user, merchant: Merchant) -> MerchantMember | None:
    """The user's membership of this shop, if any."""
    if not user.is_authenticated:
        return None
    return MerchantMember.objects.filter(user=user, merchant=merchant).first()


def place_merchant(merchant: Merchant) -> None:
    """Set an unsaved or changed shop's position from its address (a call to the geocoder:
    never while holding locks); a position staff typed is kept."""
    if merchant.latitude is not None and merchant.longitude is not None:
        return
    found = delivery.check_address(merchant.address)
    if found.latitude is not None:
        merchant.latitude, merchant.longitude = found.latitude, found.longitude


def place_unplaced_merchants(merchant_ids: list[int]) -> None:
    """Store the position of those shops that have none yet (before a checkout takes locks)."""
    for merchant in Merchant.objects.filter(pk__in=merchant_ids, latitude__isnull=True):
        place_merchant(merchant)
        if merchant.latitude is not None:
            Merchant.objects.filter(pk=merchant.pk).update(
                latitude=merchant.latitude, longitude=merchant.longitude
            )


def apply_for_merchant(user, merchant: Merchant) -> Merchant:
    """Record an application (unsaved Merchant built by a form) from a signed-in user."""
    set_initial_status(merchant, MerchantStatus.PENDING)
    merchant.applicant = user
    place_merchant(merchant)
    merchant.save()
    return merchant


def approve_merchant(merchant: Merchant, *, by: Actor = None) -> Merchant:
    """Moderation approves: the applicant becomes owner, the shop is placed on the map."""
    place_unplaced_merchants([merchant.pk])
    return _approve(merchant, by)


@transaction.atomic
def _approve(merchant: Merchant, by: Actor) -> Merchant:
    merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
    if merchant.status == MerchantStatus.APPROVED:
        return merchant
    merchant.refusal_reason = ""
    merchant.reviewed_at = timezone.now()
    transition(
        merchant,
        MerchantStatus.APPROVED,
        by=by,
        why=_("Demande validée."),
        source="shop.approve_merchant",
        fields=other_fields(merchant),
    )
    if merchant.applicant_id:
        MerchantMember.objects.update_or_create(
            merchant=merchant, user_id=merchant.applicant_id, defaults={"role": MemberRole.OWNER}
        )
    notifications.application_reviewed(merchant, approved=True)
    return merchant


@transaction.atomic
def refuse_merchant(merchant: Merchant, reason: str, *, by: Actor = None) -> Merchant:
    """Moderation refuses an application; the reason is e-mailed to the applicant."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
    if merchant.status != MerchantStatus.PENDING:
        raise ValidationError(_("Seule une demande en attente peut être refusée."))
    merchant.refusal_reason = reason
    merchant.reviewed_at = timezone.now()
    transition(
        merchant,
        MerchantStatus.REFUSED,
        by=by,
        why=reason,
        source="shop.refuse_merchant",
        fields=other_fields(merchant),
    )
    notifications.application_reviewed(merchant, approved=False)
    return merchant


def _require_owner(merchant: Merchant, user) -> None:
    member = membership(user, merchant)
    if member is None or member.role != MemberRole.OWNER:
        raise PermissionDenied(_("Seul·e la ou le responsable du commerce gère l'équipe."))


@transaction.atomic
def add_member(merchant: Merchant, by_user, email: str) -> MerchantMember:
    """An owner adds a staff member by the e-mail of their account."""
    from django.contrib.auth import get_user_model

    _require_owner(merchant, by_user)
    email = (email or "").strip().lower()
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Aucun compte n'utilise cette adresse : demandez à la personne d'en créer un."
                )
            }
        )
    if MerchantMember.objects.filter(merchant=merchant, user=user).exists():
        raise ValidationError({"email": _("Cette personne fait déjà partie de l'équipe.")})
    return MerchantMember.objects.create(merchant=merchant, user=user, role=MemberRole.STAFF)


@transaction.atomic
def remove_member(merchant: Merchant, by_user, member_id) -> None:
    """An owner removes a member; the last owner cannot be removed."""
    _require_owner(merchant, by_user)
    member = MerchantMember.objects.filter(merchant=merchant, pk=member_id).first()
    if member is None:
        raise ValidationError(_("Cette personne ne fait pas partie de l'équipe."))
    owners = MerchantMember.objects.filter(merchant=merchant, role=MemberRole.OWNER)
    if member.role == MemberRole.OWNER and owners.count() == 1:
        raise ValidationError(_("Le commerce doit garder au moins un·e responsable."))
    member.delete()
