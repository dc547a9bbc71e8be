"""Atelier 8: applications reviewed by the coworking team, free occupancy agreements."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from coworking.models import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    BookingMode,
    OccupancyAgreement,
    Resource,
)
from coworking.workflows import APPLICATION
from hub.services import Conflict, Role, absolute_url, other_fields, send_email, transition

APPLICATION_FIELDS = (
    "project_title",
    "project",
    "needs",
    "wants_desk",
    "wants_storage",
    "wants_workshop",
    "job_seeker_since",
    "job_seeker_id",
    "availability",
)


def coworking_team_emails() -> list[str]:
    """Addresses of the active members of the coworking staff group."""
    users = get_user_model().objects.filter(groups__name=Role.COWORKING, is_active=True)
    return list(users.values_list("email", flat=True).distinct())


def submit_application(user, data: dict) -> Application:
    """Record a new application; the applicant and the coworking team are e-mailed."""
    if not (data.get("wants_desk") or data.get("wants_storage") or data.get("wants_workshop")):
        raise ValidationError(
            {"wants_desk": _("Dites ce que vous demandez : un poste, du stockage ou un atelier.")}
        )
    with transaction.atomic():
        if Application.objects.filter(
            applicant=user,
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW],
        ).exists():
            raise Conflict(_("Vous avez déjà une candidature en cours."))
        application = Application.objects.create(
            applicant=user, **{name: data[name] for name in APPLICATION_FIELDS if name in data}
        )
        ApplicationStatusChange.objects.create(
            application=application, status=application.status, changed_by=user
        )
        _tell_applicant(application, "")
        url = absolute_url(reverse("coworking:staff_application", args=[application.pk]))
        for email in coworking_team_emails():
            send_email(
                email,
                "coworking/email/application_received",
                {"application": application, "url": url},
            )
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    )


def _move(application: Application, status: str, by, comment: str) -> None:
    if not APPLICATION.allows(application.status, status):
        raise Conflict(
            _("Une candidature « %(current)s » ne peut pas passer à « %(next)s ».")
            % {
                "current": application.get_status_display(),
                "next": ApplicationStatus(status).label,
            }
        )
    transition(
        application,
        status,
        by=by,
        why=comment,
        source="coworking.atelier8",
        fields=other_fields(application),
    )
    ApplicationStatusChange.objects.create(
        application=application, status=status, comment=comment, changed_by=by
    )
    _tell_applicant(application, comment)


def _tell_applicant(application: Application, comment: str) -> None:
    send_email(
        application.applicant.email,
        "coworking/email/application_status",
        {
            "application": application,
            "comment": comment,
            "url": absolute_url(reverse("coworking:application_detail", args=[application.pk])),
        },
    )


def review_application(
    application: Application,
    staff,
    status: str,
    comment: str = "",
    committee_date: date | None = None,
) -> Application:
    """Put under review or refuse, with a comment and the committee date; the applicant is told."""
    if status == ApplicationStatus.ACCEPTED:
        raise ValidationError({"status": _("Pour accepter, indiquez la ressource et les dates.")})
    with transaction.atomic():
        application = _lock(application)
        if committee_date is not None:
            application.committee_date = committee_date
        _move(application, status, staff, comment)
    return application


def withdraw_application(application: Application, user) -> Application:
    """The applicant withdraws an application still open."""
    with transaction.atomic():
        application = _lock(application)
        if application.applicant_id != user.pk:
            raise Conflict(_("Seule la personne candidate peut retirer sa candidature."))
        _move(application, ApplicationStatus.WITHDRAWN, user, "")
    return application


def accept_application(
    application: Application,
    staff,
    resource: Resource,
    start: date,
    end: date,
    comment: str = "",
) -> OccupancyAgreement:
    """Accept and grant a free occupancy agreement for ``resource`` from ``start`` to ``end``."""
    if end < start:
        raise ValidationError({"end_date": _("La fin de la convention doit suivre son début.")})
    if resource.booking_mode != BookingMode.AGREEMENT:
        raise ValidationError(
            {"resource": _("Choisissez une ressource d'Atelier 8 (prêtée sous convention).")}
        )
    with transaction.atomic():
        application = _lock(application)
        _move(application, ApplicationStatus.ACCEPTED, staff, comment)
        agreement = OccupancyAgreement.objects.create(
            application=application,
            holder=application.applicant,
            resource=resource,
            start_date=start,
            end_date=end,
        )
    return agreement


def renew_agreement(agreement: OccupancyAgreement, months: int) -> OccupancyAgreement:
    """Extend an agreement by ``months``; the holder is e-mailed the new end date."""
    if not 1 <= months <= 12:
        raise ValidationError({"months": _("Renouvelez pour 1 à 12 mois.")})
    with transaction.atomic():
        agreement = OccupancyAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.terminated_on:
            raise Conflict(_("Cette convention a été résiliée."))
        agreement.end_date += relativedelta(months=months)
        agreement.renewals += 1
        agreement.save(update_fields=["end_date", "renewals"])
        send_email(
            agreement.holder.email,
            "coworking/email/agreement_renewed",
            {
                "agreement": agreement,
                "url": absolute_url(reverse("coworking:agreement_detail", args=[agreement.pk])),
            },
        )
    return agreement
