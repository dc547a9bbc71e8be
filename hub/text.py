"""Text as people search it: without case or accents."""

import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def fold(text: str | None) -> str:
    """Lower-case text without accents or ligatures (« Œufs Frais » → « oeufs frais »)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
