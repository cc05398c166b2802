"""Every client text goes out as plain GSM-7 SMS, choices numbered, in at most two segments."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.channels.sms_text import (
    GSM7_BASIC,
    GSM7_EXTENDED,
    segments,
    septets,
    sms_body,
    to_gsm7,
)
from backend.context import text_constants
from backend.settings import Settings
from backend.texts.catalogs import Catalogs, read_catalog
from backend.texts.responses import CHOICES, Button, Renderer, Reply
from tests.unit.catalog_values import LONG_VALUES

ROOT = Path(__file__).resolve().parents[2]


def _names() -> list[str]:
    catalog = read_catalog(ROOT / "locales", "fi")
    return sorted(
        str(m.id) for m in catalog if m.id and not isinstance(m.id, tuple) and "_plural" not in m.id
    )


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(Catalogs(ROOT / "locales"), text_constants(Settings(_env_file=None)))


@pytest.mark.parametrize("name", _names())
def test_every_text_with_its_numbered_choices_fits_two_segments(
    renderer: Renderer, name: str
) -> None:
    reply = renderer.render(name, None, **LONG_VALUES)
    body = sms_body(reply)
    assert set(body) <= GSM7_BASIC | GSM7_EXTENDED, f"{name}: {sorted(set(body) - GSM7_BASIC)}"
    assert segments(body) <= 2, f"{name}: {septets(body)} septets"
    # Nothing of the words is lost on the way: the plain text is the catalog's text.
    assert to_gsm7(reply.text) == reply.text.strip()


def test_choices_are_numbered_so_that_a_digit_answers() -> None:
    reply = Reply("Sopiiko?", (Button("Kyllä, sopii", "/affirm"), Button("Ei sovi", "/deny")))
    assert sms_body(reply) == "Sopiiko?\n1) Kyllä, sopii\n2) Ei sovi"


def test_every_text_with_choices_is_measured() -> None:
    assert set(CHOICES) <= set(_names())


def test_typographic_characters_become_plain_and_emoji_go() -> None:
    assert to_gsm7("“Hei” – näin… 🙂") == '"Hei" - näin...'
    assert to_gsm7("10\u00a0000 askelta") == "10 000 askelta"
    assert to_gsm7("Šárka") == "Sarka"


def test_segments_are_counted_as_phones_count_them() -> None:
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("€" * 80) == 1  # an extension character takes two septets
    assert segments("€" * 81) == 2


@given(st.text(max_size=400))
def test_any_text_becomes_gsm7(text: str) -> None:
    assert set(to_gsm7(text)) <= GSM7_BASIC | GSM7_EXTENDED
