"""Badge images: a drawn default, and baking (an iTXt chunk in the PNG carrying the assertion, per OB 2.0 / 3.0)."""

from __future__ import annotations

import io
import math
import struct
import zlib

from PIL import Image, ImageDraw

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SKILL_COLOURS = {
    "first_aid": "#c62828",
    "fire": "#e65100",
    "environment": "#2e7d32",
    "legal_aid": "#283593",
    "traffic": "#f9a825",
    "social_assistance": "#6a1b9a",
    "search_rescue": "#0277bd",
}
IMAGE_SIZE = 256


def default_badge_png(*, skill_area: str) -> bytes:
    """A round badge in the skill area's colour with a white star; used when a badge class has no image."""
    colour = SKILL_COLOURS.get(skill_area, "#455a64")
    image = Image.new("RGBA", (IMAGE_SIZE, IMAGE_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, IMAGE_SIZE - 8, IMAGE_SIZE - 8), fill=colour, outline="#ffffff", width=10)
    centre = IMAGE_SIZE / 2
    points = []
    for index in range(10):
        radius = 80 if index % 2 == 0 else 34
        angle = math.pi / 2 + index * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre - radius * math.sin(angle)))
    draw.polygon(points, fill="#ffffff")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bake_png(png: bytes, *, keyword: str, text: str) -> bytes:
    """Insert one uncompressed iTXt chunk right after IHDR, replacing any chunk with the same keyword."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    position = len(PNG_SIGNATURE)
    chunks: list[tuple[bytes, bytes]] = []
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"iTXt" and data.split(b"\x00", 1)[0] == keyword.encode("latin-1"):
            continue
        chunks.append((kind, data))
    itxt = keyword.encode("latin-1") + b"\x00\x00\x00" + b"\x00" + b"\x00" + text.encode("utf-8")
    output = [PNG_SIGNATURE]
    for kind, data in chunks:
        output.append(_chunk(kind, data))
        if kind == b"IHDR":
            output.append(_chunk(b"iTXt", itxt))
    return b"".join(output)
