"""Hand-made PNG files for upload tests: a corrupt one that passes Pillow's verify(), and one
whose header announces more pixels than a phone photo (its data never needs decoding)."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, idat: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def corrupt_png(name: str = "photo.png") -> SimpleUploadedFile:
    """Valid chunks and checksums (verify() passes) around a deflate stream that breaks."""
    rows = b"".join(b"\x00" + bytes(range(256)) for _row in range(64))
    stream = bytearray(zlib.compress(rows))
    stream[10:40] = b"\xff" * 30
    return SimpleUploadedFile(name, _png(64, 64, bytes(stream)), content_type="image/png")


def huge_png(side: int = 9500, name: str = "photo.png") -> SimpleUploadedFile:
    """A few hundred bytes announcing ``side`` x ``side`` RGBA pixels."""
    return SimpleUploadedFile(
        name, _png(side, side, zlib.compress(b"\x00" * 1000)), content_type="image/png"
    )


def transparent_png(name: str = "photo.png") -> SimpleUploadedFile:
    output = BytesIO()
    Image.new("RGBA", (40, 30), (0, 128, 0, 100)).save(output, format="PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")
