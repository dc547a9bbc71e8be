"""French typography helpers: elision, « 1er », kilograms rounded once."""

import html
from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.translation import gettext

from hub.formatting import elide, french_date, kilograms, with_first_of_month


@pytest.mark.parametrize(
    ("word", "name", "expected"),
    [
        ("de", "Épicerie du Port", "d'Épicerie du Port"),
        ("de", "Atelier 8", "d'Atelier 8"),
        ("de", "Boulangerie du Beffroi", "de Boulangerie du Beffroi"),
        ("la", "Îlot", "l'Îlot"),
        ("De", "Inès", "D'Inès"),
        ("de", "Halles de Calais", "de Halles de Calais"),
    ],
)
def test_elision_follows_the_first_letter(word, name, expected):
    assert elide(word, name) == expected


def test_the_elide_filter_is_used_in_templates():
    rendered = Template('{% load anima %}la partie {{ shop|elide:"de" }}').render(
        Context({"shop": "Épicerie"})
    )
    assert html.unescape(rendered) == "la partie d'Épicerie"


def test_in_english_the_name_comes_without_the_french_article():
    with translation.override("en"):
        assert elide("de", "Inès") == "Inès"
        message = gettext("Ajoutée à la tournée %(of_name)s.") % {"of_name": elide("de", "Inès")}
    assert message == "Added to Inès's round."


def test_the_first_of_the_month_reads_premier():
    assert french_date(date(2026, 11, 1), "j F Y") == "1er novembre 2026"
    assert french_date(date(2026, 11, 2), "j F Y") == "2 novembre 2026"
    assert french_date(date(2026, 11, 1), "l j F") == "dimanche 1er novembre"
    assert with_first_of_month(r"\j j") == r"\j j\e\r"


def test_every_template_date_filter_writes_premier_on_the_first():
    first = timezone.make_aware(datetime(2026, 11, 1, 9, 30))
    template = Template('le {{ day|date:"j F Y" }}, {{ day|date:"l j F, H:i" }}, {{ day|date }}')
    rendered = template.render(Context({"day": first}))
    assert rendered == "le 1er novembre 2026, dimanche 1er novembre, 09:30, 1er novembre 2026"
    second = Template('{{ day|date:"j F" }}').render(Context({"day": date(2026, 11, 2)}))
    assert second == "2 novembre"


@pytest.mark.parametrize(
    ("grams", "expected"),
    [
        (1150, "1,2\xa0kg"),
        (1149, "1,1\xa0kg"),
        (50, "0,1\xa0kg"),
        (0, "0,0\xa0kg"),
        (None, "0,0\xa0kg"),
    ],
)
def test_kilograms_round_half_up_once(grams, expected):
    assert kilograms(grams) == expected


def test_e_mail_text_writes_premier_on_the_first_too():
    from django.template import engines

    text = engines["text"].from_string('le {{ day|date:"l j F" }}')
    assert text.render({"day": date(2026, 11, 1)}) == "le dimanche 1er novembre"
