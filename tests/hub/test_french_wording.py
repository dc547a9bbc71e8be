"""Wording a French reader notices: month abbreviations, hour limits, admin labels."""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db.models import ForeignObjectRel
from django.test import RequestFactory
from django.urls import reverse

from hub.impact import _month_label, bar_chart
from hub.roles import Role
from insertion.choices import Workshop
from tests.coworking.factories import LeaseFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.insertion.factories import BeneficiaryFactory, CounsellorFactory

pytestmark = pytest.mark.django_db


def test_june_and_july_are_told_apart_and_never_abbreviated_jui():
    labels = [_month_label(date(2026, month, 1)) for month in (6, 7, 9)]

    assert labels == ["juin 2026", "juil. 2026", "sept. 2026"]
    chart = bar_chart([(label, 1) for label in labels])
    assert [bar["short"] for bar in chart["bars"]] == ["juin", "juil.", "sept."]


def test_the_pages_with_short_dates_never_write_jui(client):
    client.force_login(UserFactory())

    html = client.get(reverse("hub:impact")).content.decode()

    assert "Jui" not in html and ">jui<" not in html


def test_zero_hours_a_week_is_not_called_more_than_35_hours(client):
    cip = CounsellorFactory()
    person = BeneficiaryFactory(counsellor=cip)
    client.force_login(cip)

    response = client.post(
        reverse("insertion:contract_create", args=[person.pk]),
        {
            "workshop": Workshop.DECO,
            "post": "Agent·e déco",
            "start_date": "2026-01-05",
            "end_date": "2026-07-04",
            "weekly_hours": "0",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "au plus 35 heures" not in html
    assert "positif" in html


def test_the_studio_lease_list_names_the_tenant_column_in_french(client):
    LeaseFactory()
    client.force_login(StaffFactory(roles=[Role.COWORKING]))

    html = client.get(reverse("admin:coworking_studiolease_changelist")).content.decode()

    assert "Locataire" in html or "locataire" in html
    assert "Tenant name" not in html and "tenant name" not in html.lower()


def test_the_beneficiary_filters_say_sortie_not_exit(client):
    BeneficiaryFactory()
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))

    response = client.get(reverse("admin:insertion_beneficiary_changelist"))

    titles = [str(spec.title) for spec in response.context_data["cl"].filter_specs]
    assert "sortie du parcours" in titles
    assert "exit" not in titles


PROJECT_APPS = {"hub", "shop", "delivery", "coworking", "insertion"}


def _project_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in PROJECT_APPS:
            yield model, model_admin


def _computed_columns():
    for model, model_admin in _project_admins():
        fields = {field.name for field in model._meta.get_fields()}
        for name in model_admin.list_display:
            if isinstance(name, str) and name not in fields and name != "__str__":
                yield model, model_admin, name


@pytest.mark.parametrize(
    ("model", "model_admin", "name"),
    list(_computed_columns()),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_computed_admin_column_has_a_french_label(model, model_admin, name):
    label = str(label_for_field(name, model, model_admin))

    assert label.lower() != name.replace("_", " ").lower(), f"{model.__name__}.{name}"


def _reverse_relation_filters():
    for model, model_admin in _project_admins():
        for entry in model_admin.list_filter:
            path = entry[0] if isinstance(entry, tuple) else entry
            if not isinstance(path, str):
                continue
            field = model._meta.get_field(path.split("__")[0])
            if isinstance(field, ForeignObjectRel) and "__" not in path:
                yield model, model_admin, path


@pytest.mark.parametrize(
    ("model", "model_admin", "path"),
    list(_reverse_relation_filters()),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_filter_on_a_reverse_relation_has_a_french_title(model, model_admin, path):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = superuser
    changelist = model_admin.get_changelist_instance(request)

    titles = [str(spec.title) for spec in changelist.filter_specs]
    assert path not in titles, f"{model.__name__}: {titles}"
