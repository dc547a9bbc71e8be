"""Every CSV the platform writes follows one convention (``hub.csv_export``): « ; », a UTF-8
byte-order mark, Calais time, French labels and decimals, formulas neutralised."""

import csv
import io
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coworking import services as coworking
from hub.csv_export import csv_cell, csv_text, neutralise, read_cell
from hub.registry import ImpactSource, Indicator, registry
from hub.roles import Role
from tests.coworking.factories import RateFactory, RoomFactory, at
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.event_factories import EventFactory, OrganiserFactory, RegistrationFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.insertion.factories import ContractFactory
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://exemple.invalid";"clic")'
RAW_DECIMAL = re.compile(r"^-?\d+\.\d+$")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def rows_of(response) -> list[list[str]]:
    """The response's cells, after checking what every export shares."""
    body = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark"
    text = body.decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows[0]) > 1, "« ; » separates the cells"
    assert all(len(row) == len(rows[0]) for row in rows)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not (cell.startswith("-") and not re.fullmatch(r"-\d+(,\d+)?", cell)), cell
            assert not RAW_DECIMAL.match(cell), f"decimal point: {cell}"
            assert not ISO_MOMENT.search(cell), f"not a French date: {cell}"
            assert cell not in ("True", "False", "None"), cell
    return rows


def cells(rows) -> set[str]:
    return {cell for row in rows for cell in row}


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_the_cells_follow_the_convention():
    winter = datetime(2026, 1, 15, 8, 30, tzinfo=ZoneInfo("UTC"))

    assert csv_cell(winter) == "15/01/2026 09:30"  # Calais time
    assert csv_cell(Decimal("12.50")) == "12,50"
    assert csv_cell(Decimal("-3.5")) == "-3,5"  # a number stays a number
    assert csv_cell(True) == "oui" and csv_cell(None) == ""
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"
        assert read_cell(neutralise(f"{start}1+1")) == f"{start}1+1"
    text = csv_text(["Nom", "Montant"], [["Élise", Decimal("4.20")]])
    assert text == "\ufeffNom;Montant\r\nÉlise;4,20\r\n"


def test_1_the_impact_export(client):
    def indicators(first, last):
        return [Indicator("odd", FORMULA, Decimal("12.5"), unit="%")]

    source = ImpactSource(name="Source de test", indicators=indicators, order=1)
    registry.impact.append(source)
    try:
        client.force_login(StaffFactory(roles=[Role.DIRECTION]))
        rows = rows_of(client.get(reverse("hub:impact_csv")))
    finally:
        registry.impact.remove(source)

    assert rows[0][:2] == ["Domaine", "Indicateur"]
    assert "'" + FORMULA in cells(rows)
    assert "12,5" in cells(rows)


def test_2_the_organisers_participant_list(client):
    organiser = OrganiserFactory()
    event = EventFactory(structure=organiser.structure)
    registration = RegistrationFactory(event=event, name=FORMULA, status="waiting")
    client.force_login(organiser.user)

    rows = rows_of(client.get(reverse("hub:participants_csv", args=[event.pk])))

    assert "'" + FORMULA in cells(rows)
    assert "Liste d'attente" in cells(rows)
    assert local(registration.created_at) in cells(rows)


@pytest.mark.parametrize(
    ("changelist", "action"),
    [("hub_event", "export_registrations"), ("hub_registration", "export")],
)
def test_3_the_admin_registration_exports(client, changelist, action):
    event = EventFactory(start=timezone.now() + timedelta(days=3))
    registration = RegistrationFactory(event=event, name=FORMULA)
    client.force_login(StaffFactory(roles=[Role.ANIMATION]))
    selected = event.pk if changelist == "hub_event" else registration.pk

    rows = rows_of(
        client.post(
            reverse(f"admin:{changelist}_changelist"),
            {"action": action, "_selected_action": [selected]},
        )
    )

    assert "'" + FORMULA in cells(rows)
    assert local(event.start) in cells(rows)


@pytest.fixture
def merchant():
    return MerchantFactory(name="@Boulangerie du Courgain")


def test_4_the_shops_sales_export(client, merchant):
    from shop import services as shop

    order = place(
        UserFactory(phone="06 12 34 56 78"),
        (ProductFactory(merchant=merchant, vat_rate="20", price="12.00"), 2),
        slot=DeliverySlotFactory().pk,
    )
    shop.accept_part(order.merchant_orders.get())
    client.force_login(merchant.owner)

    rows = rows_of(client.get(reverse("shop:merchant_sales_export", args=[merchant.slug])))

    assert rows[0][0] == "Mois"
    assert "24,00" in cells(rows)


def test_5_the_products_export_reads_back_what_it_wrote(client, merchant):
    product = ProductFactory(merchant=merchant, name="-20 % sur les éclairs")
    product.label_list = ["bio", "fait_main"]
    product.save()
    client.force_login(merchant.owner)

    response = client.get(reverse("shop:merchant_products_export", args=[merchant.slug]))
    rows = rows_of(response)

    assert "'-20 % sur les éclairs" in cells(rows)
    assert "Bio, Fait main" in cells(rows)
    assert product.get_category_display() in cells(rows)
    reply = client.post(
        reverse("shop:merchant_products_import", args=[merchant.slug]),
        {"file": SimpleUploadedFile("produits.csv", response.content, content_type="text/csv")},
    )
    assert reply.status_code == 302
    product.refresh_from_db()
    assert product.name == "-20 % sur les éclairs"
    assert product.label_list == ["bio", "fait_main"]


def test_6_the_shop_admin_export(client, merchant):
    client.force_login(StaffFactory(roles=[Role.MODERATION]))

    rows = rows_of(
        client.post(
            reverse("admin:shop_merchant_changelist"),
            {"action": "export_csv", "_selected_action": [merchant.pk]},
        )
    )

    assert "name" not in rows[0] and "status" not in rows[0]
    assert "'@Boulangerie du Courgain" in cells(rows)
    assert merchant.get_status_display() in cells(rows)


def test_7_the_delivery_admin_export(client):
    slot = DeliverySlotFactory()
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))

    rows = rows_of(
        client.post(
            reverse("admin:delivery_deliveryslot_changelist"),
            {"action": "export_csv", "_selected_action": [slot.pk]},
        )
    )

    assert "capacity" not in rows[0]
    assert local(slot.cutoff) in cells(rows)


def test_8_the_bookings_export_has_local_times_labels_and_decimal_commas(client):
    room = RoomFactory(space__late_cancellation_percent=50)
    RateFactory(resource=room, hourly=Decimal("5.00"), half_day=None, day=None)
    booking = coworking.book(UserFactory(), room, at(1, 10), at(1, 13))
    booking.title = FORMULA
    booking.save(update_fields=["title"])
    coworking.cancel_booking(booking, now=at(1, 9))
    client.force_login(StaffFactory(roles=[Role.COWORKING]))

    rows = rows_of(
        client.post(
            reverse("admin:coworking_booking_changelist"),
            {"action": "export_csv", "_selected_action": [booking.pk]},
        )
    )

    found = cells(rows)
    assert "Annulée tardivement" in found and "late_cancelled" not in found
    assert local(at(1, 10)) in found
    assert "15,00" in found and "7,50" in found
    assert "'" + FORMULA in found


def test_9_the_insertion_exports(client):
    direction = StaffFactory(roles=[Role.DIRECTION])
    contract = ContractFactory(beneficiary__last_name=FORMULA)
    client.force_login(direction)
    month = {"first_month": f"{contract.start_date:%Y-%m}", "last_month": "2025-06"}

    participants = rows_of(
        client.get(reverse("insertion:participants_export", args=["csv"]), month)
    )
    indicators = rows_of(client.get(reverse("insertion:indicators_export", args=["csv"]), month))
    admin = rows_of(
        client.post(
            reverse("admin:insertion_beneficiary_changelist"),
            {"action": "export_csv", "_selected_action": [contract.beneficiary.pk]},
        )
    )

    assert "'" + FORMULA in cells(participants)
    assert contract.start_date.strftime("%d/%m/%Y") in cells(participants)
    assert len(indicators) > 1
    assert "'" + FORMULA in cells(admin)


def test_a_day_of_summer_time_is_written_in_calais_time():
    summer = timezone.make_aware(datetime.combine(datetime(2026, 7, 1), time(14)))

    assert csv_cell(summer.astimezone(ZoneInfo("UTC"))) == "01/07/2026 14:00"
