"""Pictures the platform draws (demo products, structure logos) write French letters, not the
empty boxes of a font without them."""

import pytest
from PIL import Image, ImageDraw, ImageFont

from hub.images import DRAWING_FONTS, drawing_font

FRENCH_LETTERS = "Pâté de campagne — éèêëàâîïôùûüçœÉÈÀÇŒ"


def drawn(font, letter: str) -> bytes:
    image = Image.new("L", (80, 80))
    ImageDraw.Draw(image).text((10, 10), letter, fill=255, font=font)
    return image.tobytes()


def boxes(font, text: str) -> list[str]:
    """Letters drawn as the font's « no glyph » box (the same bitmap as a private-use letter)."""
    missing = drawn(font, "\ue000")
    return [letter for letter in text if drawn(font, letter) == missing]


def test_the_drawing_font_has_every_french_letter():
    font = drawing_font(44)
    assert font.getname()[0] == "DejaVu Sans"
    assert boxes(font, FRENCH_LETTERS.replace(" ", "")) == []


@pytest.mark.parametrize("path", DRAWING_FONTS[1:])
def test_the_shipped_copy_has_them_too(path):
    assert boxes(ImageFont.truetype(str(path), 44), "Pâtéœ") == []


def test_the_check_sees_the_boxes_of_a_font_without_accents():
    # Pillow's own font, which drew « P□t□ de campagne » before.
    assert boxes(ImageFont.load_default(44), "Pâté") == ["â", "é"]
