"""French typography shared by every app: elision, « 1er » for the first of the month, weights
in kilograms. Templates reach these through the ``anima`` filters; the ``date`` filter of every
template is ``french_date`` (``hub.templatetags.french``, a template builtin)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat, formats
from django.utils.translation import get_language

NBSP = "\u00a0"
# Words starting with one of these take an apostrophe after de, le, la, que… An initial h is
# left alone: the aspirated h (« de Halles ») cannot be told from the mute one by spelling.
VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")
ELIDED = {"de": "d'", "le": "l'", "la": "l'", "que": "qu'", "je": "j'", "ne": "n'"}


def elide(word: str, name: object) -> str:
    """« de » + « Épicerie du port » → « d'Épicerie du port »; « de » + « Boulangerie » →
    « de Boulangerie » (the word keeps its case). In another language, the name alone."""
    name = str(name)
    # The English catalogue places the bare name itself (« Inès's round »): a French « de »
    # left in front of it would read « de Inès's round ».
    if not (get_language() or "fr").startswith("fr"):
        return name
    if word.lower() in ELIDED and name[:1].lower() in VOWELS:
        elided = ELIDED[word.lower()]
        return (elided[0].upper() + elided[1:] if word[:1].isupper() else elided) + name
    return f"{word} {name}"


def with_first_of_month(date_format: str) -> str:
    """The same format with the day written « 1er » (the ``j`` not escaped by a backslash)."""
    out, escaped = [], False
    for char in date_format:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "j":
            out.append(r"j\e\r")
        else:
            out.append(char)
    return "".join(out)


def french_date(value, date_format: str | None = None) -> str:
    """Django's ``date_format``, except that the first of the month reads « 1er novembre »."""
    resolved = formats.get_format(date_format or "DATE_FORMAT")
    if getattr(value, "day", None) == 1 and (get_language() or "fr").startswith("fr"):
        resolved = with_first_of_month(resolved)
    return dateformat.format(value, resolved)


def kilograms(grams) -> str:
    """Grams as kilograms, one decimal rounded half up, French style: 1150 → « 1,2 kg »."""
    kilos = (Decimal(grams or 0) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{formats.number_format(kilos, 1)}{NBSP}kg"
