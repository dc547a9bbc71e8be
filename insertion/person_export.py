"""Everything held about one person, as tables (right of access, GDPR art. 15)."""

from django.utils.translation import gettext as _

from insertion.exports import Table
from insertion.models import (
    AccessLog,
    Barrier,
    BarrierAction,
    Beneficiary,
    Contract,
    Exit,
    Immersion,
    Interview,
    PassExtension,
    PassIae,
    PassSuspension,
    Training,
)


def _value(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else ""
    return getattr(obj, field.attname)


def _table(key: str, title: str, model, objects) -> Table:
    fields = [f for f in model._meta.concrete_fields if f.name not in {"id", "beneficiary"}]
    return Table(
        key=key,
        title=title,
        headers=[str(f.verbose_name) for f in fields],
        rows=[[_value(obj, f) for f in fields] for obj in objects],
    )


def person_tables(person: Beneficiary) -> list[Table]:
    """One table per kind of data held about ``person``, including who accessed it."""
    identity_fields = [
        f for f in Beneficiary._meta.concrete_fields if f.name not in {"id", "anonymised_at"}
    ]
    identity = Table(
        key="identity",
        title=_("Identité et situation"),
        headers=[_("Champ"), _("Valeur")],
        rows=[[str(f.verbose_name), _value(person, f)] for f in identity_fields],
    )
    passes = PassIae.objects.filter(beneficiary=person)
    return [
        identity,
        _table("passes", _("PASS IAE"), PassIae, passes),
        _table(
            "suspensions",
            _("Suspensions"),
            PassSuspension,
            PassSuspension.objects.filter(pass_iae__in=passes),
        ),
        _table(
            "extensions",
            _("Prolongations"),
            PassExtension,
            PassExtension.objects.filter(pass_iae__in=passes),
        ),
        _table("contracts", _("Contrats"), Contract, Contract.objects.filter(beneficiary=person)),
        _table(
            "interviews",
            _("Entretiens"),
            Interview,
            Interview.objects.filter(beneficiary=person).select_related("counsellor"),
        ),
        _table("barriers", _("Freins"), Barrier, Barrier.objects.filter(beneficiary=person)),
        _table(
            "actions",
            _("Actions sur les freins"),
            BarrierAction,
            BarrierAction.objects.filter(barrier__beneficiary=person).select_related("barrier"),
        ),
        _table("trainings", _("Formations"), Training, Training.objects.filter(beneficiary=person)),
        _table(
            "immersions", _("Immersions"), Immersion, Immersion.objects.filter(beneficiary=person)
        ),
        _table("exit", _("Sortie"), Exit, Exit.objects.filter(beneficiary=person)),
        _table(
            "log",
            _("Accès au dossier"),
            AccessLog,
            AccessLog.objects.filter(beneficiary=person).order_by("at"),
        ),
    ]
