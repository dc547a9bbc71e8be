"""Checks and cleans uploaded pictures: real images only, bounded size, EXIF stripped; the font
pictures drawn by the demo are written with."""

import warnings
import zlib
from functools import cache
from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFont, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# A phone photo is 12 to 48 megapixels: 40 MP bounds what one upload may take in memory once
# decoded (160 MB in RGBA), checked from the header before any decoding. A 350 kB PNG can
# announce 9500 x 9500 pixels and take 1.3 GB: Pillow only refuses beyond twice its own limit.
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# Pillow's errors for a file it cannot read to the end (corrupt deflate stream, truncation…).
DECODING_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    zlib.error,
)


def _unreadable() -> ValidationError:
    return ValidationError(
        _("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP)."), code="unreadable"
    )


# Pillow's own font has no accented letters (« P□t□ »): DejaVu has them all. Debian's
# fonts-dejavu-core when installed, else the copy shipped here (Bitstream Vera licence).
DRAWING_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf",
)


@cache
def drawing_font(size: int) -> ImageFont.FreeTypeFont:
    """A bold font with the glyphs of French, for pictures the platform draws itself."""
    path = next(path for path in DRAWING_FONTS if path.exists())
    return ImageFont.truetype(str(path), size)


def validate_image(file, max_bytes: int = MAX_IMAGE_BYTES) -> None:
    """Raise a French ValidationError unless ``file`` is a JPEG, PNG or WebP within size and
    pixel budget that Pillow decodes to the last pixel."""
    if file is None:
        return
    if getattr(file, "size", 0) > max_bytes:
        raise ValidationError(
            _("L'image dépasse %(max)s Mo.") % {"max": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels()
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _too_many_pixels() from None
    except DECODING_ERRORS:
        raise _unreadable() from None
    finally:
        file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Formats acceptés : JPEG, PNG ou WebP."), code="format")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("L'image compte trop de pixels (%(max)s millions au plus) : réduisez-la.")
        % {"max": MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def clean_image(file, max_side: int = 2000, quality: int = 85) -> InMemoryUploadedFile:
    """Re-encode ``file`` as JPEG or PNG without its metadata (EXIF, GPS), upright, bounded."""
    file.seek(0)
    with Image.open(file) as source:
        image = ImageOps.exif_transpose(source)
        image.thumbnail((max_side, max_side))
        keep_alpha = image.mode in ("RGBA", "LA", "P") and source.format == "PNG"
        output = BytesIO()
        if keep_alpha:
            image.save(output, format="PNG", optimize=True)
            ext, content_type = "png", "image/png"
        else:
            image.convert("RGB").save(output, format="JPEG", quality=quality, optimize=True)
            ext, content_type = "jpg", "image/jpeg"
    stem = (getattr(file, "name", "") or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    return InMemoryUploadedFile(
        output, None, f"{stem}.{ext}", content_type, output.getbuffer().nbytes, None
    )


def rendition(file, size: tuple[int, int], quality: int = 80) -> InMemoryUploadedFile:
    """A JPEG cropped to ``size`` (for list and detail pages), without metadata."""
    file.seek(0)
    with Image.open(file) as source:
        image = ImageOps.fit(ImageOps.exif_transpose(source).convert("RGB"), size)
        output = BytesIO()
        image.save(output, format="JPEG", quality=quality, optimize=True)
    stem = (getattr(file, "name", "") or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    name = f"{stem}-{size[0]}x{size[1]}.jpg"
    return InMemoryUploadedFile(output, None, name, "image/jpeg", output.getbuffer().nbytes, None)
