"""Maija's digest displays in a real browser: headless Chromium takes a screenshot of the HTML.

The screenshot is kept in var/test-artefacts/ for a person to look at; the test checks that it
is not blank, and that the attention box, the clients' cards and the charts were drawn (their
colours are in the picture).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

from backend.context import AppContext
from backend.db import transaction
from backend.digest.build import build_digest
from backend.digest.render import DigestRenderer
from tests.unit.test_digest import HELSINKI, NOW, WEEK, make_week

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "var" / "test-artefacts"
CHROMIUM = "/usr/bin/chromium"

ATTENTION_BORDER = (0xC0, 0x39, 0x2B)
MOOD_LINE = (0x2A, 0x6F, 0xB0)
WAKE_DOT = (0xD9, 0x82, 0x2B)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of RGB(A) bytes of an 8-bit PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            line[i] = (
                line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
            ) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, channels)]


def test_the_digest_displays_in_headless_chromium(context: AppContext, tmp_path: Path) -> None:
    assert shutil.which(CHROMIUM), "Chromium is missing: run `make system-packages`"
    with transaction(context.sessions) as session:
        coach_id = make_week(session)
    with transaction(context.sessions) as session:
        digest = build_digest(session, coach_id, WEEK, NOW, HELSINKI, silent_days=3)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = ARTEFACTS / "digest.html"
    page.write_text(DigestRenderer(context.renderer).render(digest).html, encoding="utf-8")
    shot = ARTEFACTS / "digest.png"
    shot.unlink(missing_ok=True)
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--window-size=700,1800",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    width, height, pixels = read_png(shot)
    assert (width, height) == (700, 1800)
    colours = set(pixels)
    non_white = sum(1 for pixel in pixels if pixel != b"\xff\xff\xff")
    assert non_white > len(pixels) // 100, "the page is (nearly) blank"
    for name, colour in (
        ("attention box", ATTENTION_BORDER),
        ("mood line", MOOD_LINE),
        ("wake-up dots", WAKE_DOT),
    ):
        assert bytes(colour) in colours, f"no {name} in the screenshot"
