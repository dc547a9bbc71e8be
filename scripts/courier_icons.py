"""Draws the courier app's icons (the Anima drop of static/img/logo.svg) as the PNG files the
web app manifest names: 192 and 512 px, and a 512 px maskable one whose drop keeps inside the
safe zone (the centre circle of 80 %). Run once after changing the logo:
    .venv/bin/python scripts/courier_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = "#0f5c4d"
MINT = "#c7f0e4"
OUT = Path(__file__).resolve().parent.parent / "static" / "delivery" / "icons"
SUPERSAMPLE = 4


def drop(draw: ImageDraw.ImageDraw, size: float, offset: float, scale: float) -> None:
    """The logo's drop and its eye, drawn in a 64-unit box scaled to ``scale`` px per unit."""

    def at(x: float, y: float) -> tuple[float, float]:
        return (offset + x * scale, offset + y * scale)

    # Body: the circle of radius 14 centred at (32, 38), topped by a point at (32, 12).
    cx, cy, r = 32, 38, 14
    draw.ellipse([at(cx - r, cy - r), at(cx + r, cy + r)], fill=MINT)
    draw.polygon([at(32, 12), at(19.2, 32.5), at(44.8, 32.5)], fill=MINT)
    draw.ellipse([at(26, 34), at(38, 46)], fill=GREEN)


def icon(size: int, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Full bleed background; the drop fits in the safe zone.
        draw.rectangle([0, 0, big, big], fill=GREEN)
        scale = big * 0.62 / 64
        drop(draw, big, (big - 64 * scale) / 2, scale)
    else:
        scale = big / 64
        draw.ellipse([2 * scale, 2 * scale, 62 * scale, 62 * scale], fill=GREEN)
        drop(draw, big, 0, scale)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192, False).save(OUT / "courier-192.png", optimize=True)
    icon(512, False).save(OUT / "courier-512.png", optimize=True)
    icon(512, True).save(OUT / "courier-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
