"""One folding for every search: case, accents and ligatures ignored."""

from delivery.gazetteer import fold_address
from hub.text import fold


def test_it_drops_case_accents_and_ligatures():
    assert fold("Œufs Frais de l'Été") == "oeufs frais de l'ete"


def test_it_takes_nothing_as_empty():
    assert fold(None) == ""


def test_addresses_fold_the_same_way_with_punctuation_collapsed():
    assert fold_address("18, Rue  Mollien – Cœur de Calais") == "18 rue mollien coeur de calais"
