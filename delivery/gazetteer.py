"""The local address list used without network (demo, tests): streets with known house-number
positions, named places and the communes around Calais, matched the way people type.

``delivery/data/gazetteer.csv`` has one row per known position (``delivery/data/README.md``
describes the columns and the sources). A street's house numbers are placed by linear
interpolation between its two nearest known numbers; a street typed without a number gets the
position of the middle of its known numbers, a commune its centre. Typed text is folded (case,
accents, punctuation), abbreviations are expanded (« bd », « av », « st »…), filler words
dropped, the postcode and the commune are optional, and a typo still finds the street, as a
correction to confirm (« Vouliez-vous dire … ? »).
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from hub.services import fold


class Precision(TextChoices):
    """How precisely a position places an address (the BAN's result types)."""

    HOUSENUMBER = "housenumber", _("numéro")
    STREET = "street", _("rue")
    PLACE = "locality", _("lieu-dit")
    MUNICIPALITY = "municipality", _("commune")


ABBREVIATIONS = {
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "boul": "boulevard",
    "bvd": "boulevard",
    "av": "avenue",
    "ave": "avenue",
    "r": "rue",
    "pl": "place",
    "qu": "quai",
    "rte": "route",
    "ch": "chemin",
    "chem": "chemin",
    "imp": "impasse",
    "all": "allee",
    "sq": "square",
    "fg": "faubourg",
    "fbg": "faubourg",
    "st": "saint",
    "ste": "sainte",
    "gal": "general",
    "gen": "general",
    "mal": "marechal",
    "pdt": "president",
    "pres": "president",
    "dr": "docteur",
    "cc": "centre",
}
STREET_TYPES = {
    "allee",
    "avenue",
    "boulevard",
    "chemin",
    "cours",
    "digue",
    "esplanade",
    "faubourg",
    "impasse",
    "passage",
    "place",
    "promenade",
    "quai",
    "route",
    "rue",
    "square",
}
FILLER = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"}
NUMBER = re.compile(r"^(\d{1,4})(bis|ter|quater|b|t|q)?$")
SUFFIXES = {"b": "bis", "t": "ter", "q": "quater", "bis": "bis", "ter": "ter", "quater": "quater"}
POSTCODE = re.compile(r"^\d{5}$")
# A typed word this close to a known word (difflib ratio) is taken as a typo of it.
TYPO_RATIO = 0.75
ACCEPTED_SCORE = 0.75
SUGGESTED_SCORE = 0.6


def fold_address(text: str) -> str:
    """Lower-case, accents removed, punctuation and repeated spaces collapsed."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def words_of(text: str) -> list[str]:
    """Folded words with abbreviations expanded and filler words dropped."""
    words = fold_address(text).split()
    return [ABBREVIATIONS.get(word, word) for word in words if word not in FILLER]


@dataclass(frozen=True)
class KnownPoint:
    number: int | None
    latitude: Decimal
    longitude: Decimal
    source: str
    approximate: bool


@dataclass(frozen=True)
class Entry:
    """A street, a named place or a commune, with its known positions."""

    kind: str
    name: str
    postcode: str
    city: str
    names: tuple[tuple[str, ...], ...]  # significant words of the name and of each alias
    street_type: str
    city_words: tuple[str, ...]
    points: tuple[KnownPoint, ...]

    @property
    def numbers(self) -> list[int]:
        return [point.number for point in self.points if point.number is not None]

    def label(self, number: str = "") -> str:
        if self.kind == "commune":
            return f"{self.postcode} {self.city}"
        return f"{number + ' ' if number else ''}{self.name}, {self.postcode} {self.city}"


@dataclass(frozen=True)
class Place:
    """A position found for typed text."""

    label: str
    latitude: Decimal
    longitude: Decimal
    precision: str
    approximate: bool
    source: str


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float
    exact: bool
    place: Place


@dataclass(frozen=True)
class Typed:
    """What someone typed, taken apart."""

    number: int | None
    suffix: str
    postcode: str
    street_type: str
    words: tuple[str, ...]


def parse(text: str) -> Typed:
    """The house number (« 12 », « 12 bis », « 12b », before or after the street), postcode,
    street type and the other words."""
    tokens = fold_address(text).split()
    postcode = next((token for token in tokens if POSTCODE.match(token)), "")
    tokens = [token for token in tokens if not POSTCODE.match(token)]
    number, suffix = None, ""
    if tokens and (found := NUMBER.match(tokens[0])):
        number, suffix = int(found.group(1)), SUFFIXES.get(found.group(2) or "", "")
        tokens = tokens[1:]
        if tokens and tokens[0] in {"bis", "ter", "quater"}:
            suffix, tokens = tokens[0], tokens[1:]
    elif len(tokens) > 1 and (found := NUMBER.match(tokens[-1])):
        # « bd Lafayette 30 »: the number typed after the street
        number, suffix = int(found.group(1)), SUFFIXES.get(found.group(2) or "", "")
        tokens = tokens[:-1]
    words = [ABBREVIATIONS.get(token, token) for token in tokens if token not in FILLER]
    street_type = words[0] if words and words[0] in STREET_TYPES else ""
    if street_type:
        words = words[1:]
    return Typed(number, suffix, postcode, street_type, tuple(words))


def _word_match(typed: str, known: str, prefix: bool) -> tuple[float, bool]:
    """(similarity, exact) of a typed word to a known one; ``prefix`` allows « jac » for
    « jacquard » (the word being typed)."""
    if typed == known or (prefix and len(typed) >= 2 and known.startswith(typed)):
        return 1.0, True
    if len(typed) >= 4:
        ratio = SequenceMatcher(None, typed, known).ratio()
        if ratio >= TYPO_RATIO:
            return ratio, False
    return 0.0, False


def _best(typed: str, known: tuple[str, ...], prefix: bool) -> tuple[float, bool]:
    return max((_word_match(typed, word, prefix) for word in known), default=(0.0, False))


def _name_score(typed: Typed, name: tuple[str, ...], entry: Entry, autocomplete: bool):
    """Score of the typed words against one name of ``entry``: (score, exact). How well the
    typed words match (precision), weighted by how much of the name they cover: « av salengro »
    for « Avenue Roger Salengro » still scores 0.8."""
    if not typed.words or not name:
        return 0.0, False
    matched, exact, counted = 0.0, True, 0
    for index, word in enumerate(typed.words):
        prefix = autocomplete and index == len(typed.words) - 1
        score, is_exact = _best(word, name, prefix)
        if entry.kind != "commune" and _best(word, entry.city_words, prefix)[0] > score:
            continue  # the commune typed after the street, even misspelt: neither helps nor hurts
        counted += 1
        matched += score
        exact = exact and is_exact
    if not counted:
        return 0.0, False
    precision = matched / counted
    coverage = sum(
        max(_word_match(word, known, autocomplete)[0] for word in typed.words) for known in name
    ) / len(name)
    return precision * (0.6 + 0.4 * coverage), exact


def _score(typed: Typed, entry: Entry, autocomplete: bool) -> tuple[float, bool]:
    score, exact = max(
        (_name_score(typed, name, entry, autocomplete) for name in entry.names),
        default=(0.0, False),
    )
    if typed.street_type and entry.street_type and typed.street_type != entry.street_type:
        score *= 0.9  # « rue Jacquard » for the boulevard: close, but say so
        exact = False
    if typed.postcode and typed.postcode != entry.postcode:
        score *= 0.5
    return score, exact


def _interpolate(points: tuple[KnownPoint, ...], number: int) -> KnownPoint:
    """Position of ``number`` between the two nearest known numbers (approximate unless known)."""
    numbered = sorted((p for p in points if p.number is not None), key=lambda p: p.number)
    for point in numbered:
        if point.number == number:
            return point
    below = [p for p in numbered if p.number < number][-1]
    above = next(p for p in numbered if p.number > number)
    share = Decimal(number - below.number) / Decimal(above.number - below.number)
    latitude = below.latitude + (above.latitude - below.latitude) * share
    longitude = below.longitude + (above.longitude - below.longitude) * share
    return KnownPoint(number, _six(latitude), _six(longitude), below.source, True)


def _six(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.000001"))


def _frames(entry: Entry, number: int | None) -> bool:
    """Whether ``number`` lies between the lowest and highest known numbers of a street."""
    numbers = entry.numbers
    return bool(numbers) and number is not None and min(numbers) <= number <= max(numbers)


def _place(entry: Entry, typed: Typed) -> Place:
    """Where ``typed`` lies on ``entry``: its house number when the street's known numbers
    frame it, else the street's middle (approximate), the place, or the commune's centre."""
    if entry.kind == "street" and _frames(entry, typed.number):
        point = _interpolate(entry.points, typed.number)
        number = f"{typed.number}{' ' + typed.suffix if typed.suffix else ''}"
        return _at(entry.label(number), point, Precision.HOUSENUMBER, point.approximate)
    if entry.kind == "street":
        numbers = entry.numbers
        if len(numbers) >= 2:
            point = _interpolate(entry.points, (min(numbers) + max(numbers)) // 2)
        else:
            point = entry.points[0]
        return _at(entry.label(), point, Precision.STREET, True)
    point = entry.points[0]
    precision = Precision.MUNICIPALITY if entry.kind == "commune" else Precision.PLACE
    return _at(entry.label(), point, precision, point.approximate)


def _at(label: str, point: KnownPoint, precision: str, approximate: bool) -> Place:
    return Place(label, point.latitude, point.longitude, precision, approximate, point.source)


def _distance(entry: Entry, near: tuple[float, float]) -> float:
    point = entry.points[0]
    dlat = float(point.latitude) - near[0]
    dlon = (float(point.longitude) - near[1]) * math.cos(math.radians(near[0]))
    return dlat * dlat + dlon * dlon


def search(
    path: str, text: str, near: tuple[float, float], autocomplete: bool = False, limit: int = 5
) -> list[Match]:
    """The entries that look like ``text``, best first (ties: nearest to ``near`` first)."""
    typed = parse(text)
    matches = []
    for entry in load(path):
        score, exact = _score(typed, entry, autocomplete)
        if score >= SUGGESTED_SCORE:
            matches.append((score, exact, entry))
    matches.sort(key=lambda item: (-round(item[0], 3), not item[1], _distance(item[2], near)))
    return [Match(entry, score, exact, _place(entry, typed)) for score, exact, entry in matches][
        :limit
    ]


def best(path: str, text: str, near: tuple[float, float]) -> tuple[Match | None, list[Match]]:
    """The entry ``text`` surely names (or None), and otherwise the likely corrections."""
    matches = search(path, text, near)
    if matches and matches[0].exact and matches[0].score >= ACCEPTED_SCORE:
        return matches[0], []
    return None, matches[:3]


@lru_cache(maxsize=4)
def load(path: str) -> tuple[Entry, ...]:
    """The entries of the CSV file (rows of one street grouped together)."""
    rows: dict[tuple[str, str, str, str], list[dict]] = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[(row["kind"], row["name"], row["postcode"], row["city"])].append(row)
    entries = []
    for (kind, name, postcode, city), group in rows.items():
        aliases = [alias for row in group for alias in row["aliases"].split("|") if alias]
        names = [words_of(text) for text in [name, *aliases]]
        street_type = names[0][0] if kind == "street" and names[0][0] in STREET_TYPES else ""
        if street_type:
            names[0] = names[0][1:]
        entries.append(
            Entry(
                kind=kind,
                name=name,
                postcode=postcode,
                city=city,
                names=tuple(tuple(words) for words in names if words),
                street_type=street_type,
                city_words=tuple(words_of(city)),
                points=tuple(
                    KnownPoint(
                        int(row["number"]) if row["number"] else None,
                        _six(Decimal(row["lat"])),
                        _six(Decimal(row["lon"])),
                        row["source"],
                        row["approximate"] == "oui",
                    )
                    for row in group
                ),
            )
        )
    return tuple(entries)
