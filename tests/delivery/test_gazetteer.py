"""The local address list matches addresses the way people type them (demo without network)."""

import csv
from decimal import Decimal

import pytest
from django.conf import settings

from delivery import services
from delivery.gazetteer import load, parse
from delivery.geocoding import AddressNotFound, GazetteerGeocoder, Precision

pytestmark = pytest.mark.django_db

JACQUARD_12 = "12 Boulevard Jacquard, 62100 Calais"


@pytest.fixture
def gazetteer():
    return GazetteerGeocoder(settings.DELIVERY_GAZETTEER_PATH)


@pytest.mark.parametrize(
    "typed",
    [
        "12 bd jacquard",
        "12 BD JACQUARD",
        "12 Boulevard Jacquard, Calais",
        "12 bd Jacquard, 62100 Calais",
        "12, boulevard Jacquard",
        "bd Jacquard 12",
        "12 blvd jacquard calais",
    ],
)
def test_abbreviations_case_punctuation_and_a_missing_postcode_find_the_address(gazetteer, typed):
    found = gazetteer.geocode(typed)

    assert found.label == JACQUARD_12
    assert found.precision == Precision.HOUSENUMBER
    assert (found.latitude, found.longitude) == (Decimal("50.952800"), Decimal("1.855500"))


def test_missing_accents_and_saint_abbreviated(gazetteer):
    assert gazetteer.geocode("2 place crevecoeur").label == "2 Place Crèvecœur, 62100 Calais"
    found = gazetteer.geocode("15 av st exupery")
    assert found.label == "15 Avenue Antoine de Saint-Exupéry, 62100 Calais"
    assert gazetteer.geocode("60 bd de l'egalite").label.startswith("60 Boulevard de l'Égalité")


def test_a_first_name_left_out_still_finds_the_street(gazetteer):
    assert gazetteer.geocode("9 av salengro").label == "9 Avenue Roger Salengro, 62100 Calais"


def test_a_number_between_two_known_ones_is_interpolated_and_marked_approximate(gazetteer):
    end_1 = gazetteer.geocode("1 bd jacquard")
    known = gazetteer.geocode("12 bd jacquard")
    between = gazetteer.geocode("6 bis bd jacquard")

    assert between.label == "6 bis Boulevard Jacquard, 62100 Calais"
    assert between.approximate
    assert known.latitude < between.latitude < end_1.latitude
    assert end_1.longitude < between.longitude < known.longitude


def test_a_street_without_number_is_placed_at_its_middle_approximately(gazetteer):
    found = gazetteer.geocode("Boulevard Jacquard, Calais")

    assert found.label == "Boulevard Jacquard, 62100 Calais"
    assert found.precision == Precision.STREET and found.approximate
    assert services.check_address("Boulevard Jacquard, Calais").deliverable


def test_a_number_beyond_the_known_ones_gives_the_street_not_an_invented_door(gazetteer):
    found = gazetteer.geocode("400 bd jacquard")

    assert found.label == "Boulevard Jacquard, 62100 Calais"
    assert found.precision == Precision.STREET and found.approximate


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("12 bd jaquard", JACQUARD_12),
        ("12 boulevard jacquart calai", JACQUARD_12),
        ("18 rue molien", "18 Rue Mollien, 62100 Calais"),
        ("gravelin", "59820 Gravelines"),
    ],
)
def test_a_typo_is_not_taken_for_granted_but_proposed(gazetteer, typed, meant):
    with pytest.raises(AddressNotFound) as error:
        gazetteer.geocode(typed)

    assert error.value.suggestions[0] == meant
    message = services.check_address(typed).message
    assert f"Vouliez-vous dire « {meant} » ?" in message


def test_the_wrong_street_type_is_proposed_as_a_correction(gazetteer):
    with pytest.raises(AddressNotFound) as error:
        gazetteer.geocode("12 rue jacquard")

    assert error.value.suggestions[0] == JACQUARD_12


def test_nothing_alike_is_not_found_without_a_wild_guess(gazetteer):
    with pytest.raises(AddressNotFound) as error:
        gazetteer.geocode("1 rue de Nulle-Part")

    assert error.value.suggestions == ()
    assert "Vérifiez-la" in services.check_address("1 rue de Nulle-Part").message


@pytest.mark.parametrize(
    ("town", "kilometres"),
    [("Gravelines", "19,2"), ("Dunkerque", "37,4"), ("boulogne sur mer", "30,3")],
)
def test_a_town_outside_the_zone_is_out_of_zone_with_its_distance(town, kilometres):
    result = services.check_address(town)

    assert not result.deliverable and result.out_of_zone
    assert result.message.startswith(f"Hors zone ({kilometres} km du centre-ville)")
    assert "point relais" in result.message


def test_the_commune_alone_is_found_but_too_vague_to_deliver():
    result = services.check_address("Calais")

    assert result.label == "62100 Calais" and not result.deliverable
    assert not result.out_of_zone
    assert "Précisez le numéro et la rue" in result.message


def test_named_places_are_found_by_their_usual_names(gazetteer):
    assert gazetteer.geocode("pole anima").label == "Pôle Anima, 62100 Calais"
    assert gazetteer.geocode("anima").label == "Pôle Anima, 62100 Calais"
    coeur = gazetteer.geocode("coeur de vie")
    assert coeur.label == "Centre commercial Cœur de Vie, 62100 Calais"
    assert coeur.precision == Precision.PLACE


def test_suggestions_complete_the_word_being_typed(gazetteer):
    assert [found.label for found in gazetteer.suggest("12 bd jac")] == [JACQUARD_12]
    assert gazetteer.suggest("grav")[0].label == "59820 Gravelines"
    assert gazetteer.suggest("rue ro")[0].label == "Rue Royale, 62100 Calais"


def test_the_same_street_name_in_two_communes_is_told_apart_by_the_commune(tmp_path):
    path = tmp_path / "gazetteer.csv"
    header = "kind,name,aliases,postcode,city,number,lat,lon,source,approximate\n"
    path.write_text(
        header
        + "street,Rue Jean Jaurès,,62100,Calais,1,50.950000,1.860000,plan,oui\n"
        + "street,Rue Jean Jaurès,,62340,Guînes,11,50.870000,1.870000,plan,oui\n",
        encoding="utf-8",
    )
    gazetteer = GazetteerGeocoder(path, near=(50.9513, 1.8587))

    assert gazetteer.geocode("1 rue jean jaures").label == "1 Rue Jean Jaurès, 62100 Calais"
    assert gazetteer.geocode("11 rue jean jaures guines").label.endswith("62340 Guînes")


def test_the_number_is_read_in_every_usual_spelling():
    assert (parse("12b bd jacquard").number, parse("12b bd jacquard").suffix) == (12, "bis")
    assert (parse("12 ter rue royale").number, parse("12 ter rue royale").suffix) == (12, "ter")
    assert parse("rue royale 62100 calais").number is None
    assert parse("rue royale 62100 calais").postcode == "62100"


def test_every_position_states_its_source_and_whether_it_is_approximate():
    with open(settings.DELIVERY_GAZETTEER_PATH, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    assert rows and all(row["source"] in {"plan", "centre-commune"} for row in rows)
    assert all(row["approximate"] in {"oui", "non"} for row in rows)
    assert {row["approximate"] for row in rows if row["source"] == "plan"} == {"oui"}


def test_the_demo_world_is_in_the_list():
    from delivery.demo import RELAY_POINTS
    from shop.demo import DAY_OF_ORDERS
    from shop.demo_data import SHOPS

    addresses = [shop[2] for shop in SHOPS] + [point[1] for point in RELAY_POINTS]
    addresses += [where for _who, mode, where, *_rest in DAY_OF_ORDERS if mode != "relay"]
    for address in addresses:
        result = services.check_address(address)
        assert result.deliverable, (address, result.message)
    kinds = {entry.kind for entry in load(settings.DELIVERY_GAZETTEER_PATH)}
    assert kinds == {"street", "place", "commune"}
