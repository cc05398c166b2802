"""Every client text is in the Finnish catalog, complete, and fits an SMS; formats are pinned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from backend.context import text_constants
from backend.settings import Settings
from backend.texts.catalogs import Catalogs, read_catalog
from backend.texts.formatting import (
    clock_time,
    date_and_time,
    long_date,
    number,
    short_date,
    weekday_essive,
)
from backend.texts.responses import CHOICES, Renderer, UnknownResponse, placeholders
from tests.unit.catalog_values import LONG_VALUES

ROOT = Path(__file__).resolve().parents[2]
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Values that texts are filled with at run time, besides the settings' constants.
RUNTIME_VALUES = {
    "greeting",
    "name",
    "client",
    "morning",
    "evening",
    "messages",
    "appointments",
    "goals",
    "times",
    "time",
    "first",
    "last",
    "n",
    "appointment",
    "phone",
    "lines",
    "goal",
    "step",
    "climbed",
    "rungs",
}


def _catalog_messages() -> list[tuple[str, str]]:
    catalog = read_catalog(ROOT / "locales", "fi")
    messages: list[tuple[str, str]] = []
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, tuple):  # a plural: check every form
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            messages.extend((f"{ids[0]}[{n}]", form) for n, form in enumerate(message.string))
        else:
            messages.append((str(message.id), str(message.string)))
    return messages


def _domain_responses() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        domain = yaml.safe_load(path.read_text(encoding="utf-8"))
        names.update(a for a in domain.get("actions", []) if a.startswith("utter_"))
    return names


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(Catalogs(ROOT / "locales"), text_constants(Settings(_env_file=None)))


def test_no_entry_is_fuzzy_empty_or_malformed() -> None:
    catalog = read_catalog(ROOT / "locales", "fi")
    problems = [m.id for m in catalog if m.id and (m.fuzzy or not m.string)]
    assert problems == []
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


def test_every_domain_response_has_a_finnish_text(renderer: Renderer) -> None:
    missing = [name for name in sorted(_domain_responses()) if not renderer.knows(name)]
    assert missing == []


def test_every_button_title_has_a_finnish_text(renderer: Renderer) -> None:
    titles = {title for choices in CHOICES.values() for title, _ in choices}
    assert [title for title in sorted(titles) if not renderer.knows(title)] == []


def test_texts_use_only_known_placeholders() -> None:
    known = set(text_constants(Settings(_env_file=None))) | RUNTIME_VALUES
    unknown = {msgid: placeholders(text) - known for msgid, text in _catalog_messages()}
    assert {msgid: names for msgid, names in unknown.items() if names} == {}


@pytest.mark.parametrize(("msgid", "text"), _catalog_messages())
def test_every_text_fits_two_gsm7_sms_segments(msgid: str, text: str) -> None:
    # Placeholders are filled with realistic long values before measuring.
    filled = text.format_map({**text_constants(Settings(_env_file=None)), **LONG_VALUES})
    assert set(filled) <= GSM7, f"{msgid}: {sorted(set(filled) - GSM7)}"
    assert len(filled) <= 306, f"{msgid} is {len(filled)} characters"


def test_an_unknown_name_is_an_error_not_a_silent_key(renderer: Renderer) -> None:
    with pytest.raises(UnknownResponse):
        renderer.render("utter_no_such_thing")


def test_a_response_renders_with_constants_and_buttons(renderer: Renderer) -> None:
    reply = renderer.render("utter_iamabot")
    assert "112" in reply.text and "automaattinen" in reply.text
    greet = renderer.render("utter_greet_named", "fi", greeting="Huomenta", name="Aino")
    assert greet.text.startswith("Huomenta, Aino!")
    assert [b.to_json() for b in greet.buttons] == []
    assert renderer.render("utter_greet", greeting="Hei").to_json()["buttons"] == [
        {"title": "Mitä osaat?", "payload": "/help"}
    ]


def test_an_unknown_language_falls_back_to_finnish(renderer: Renderer) -> None:
    assert renderer.text("utter_goodbye", "sv") == renderer.text("utter_goodbye", "fi")


def test_finnish_formats_are_pinned() -> None:
    moment = dt.datetime(2026, 3, 4, 11, 5)
    assert short_date(moment.date()) == "ke 4.3."
    assert clock_time(moment) == "klo 11.05"
    assert date_and_time(dt.datetime(2026, 11, 26, 14, 0)) == "to 26.11. klo 14.00"
    assert weekday_essive(dt.date(2026, 11, 29)) == "sunnuntaina"
    assert weekday_essive(dt.date(2026, 11, 23)) == "maanantaina"
    assert long_date(dt.date(2026, 11, 26)) == "26. marraskuuta 2026"
    assert number(1234.5) == "1 234,5"
    assert "\xa0" not in number(1234567)


def test_counts_use_finnish_plurals(renderer: Renderer) -> None:
    assert renderer.count("count_messages", 1) == "1 viesti"
    assert renderer.count("count_messages", 3) == "3 viestiä"
    assert renderer.count("count_appointments", 0) == "0 tapaamista"
    assert renderer.count("count_goals", 1) == "1 tavoite"


@pytest.mark.parametrize(("msgid", "text"), _catalog_messages())
def test_no_text_ends_a_date_with_a_second_full_stop(msgid: str, text: str) -> None:
    # Finnish dates end with a full stop ("su 6.12."): a sentence ending in one gets no other.
    filled = text.format_map({**text_constants(Settings(_env_file=None)), **LONG_VALUES})
    assert ".." not in filled.replace("...", ""), msgid


def _po(path: Path, *entries: tuple[str, str]) -> None:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    body = "".join(f'msgid "{name}"\nmsgstr "{text}"\n\n' for name, text in entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")


def test_texts_split_by_subject_are_read_as_one_catalog(tmp_path: Path) -> None:
    folder = tmp_path / "fi" / "LC_MESSAGES"
    _po(folder / "askel.po", ("utter_greet", "Hei!"))
    _po(folder / "digest.po", ("digest_title", "Viikkokooste"))
    catalog = read_catalog(tmp_path, "fi")
    assert catalog["utter_greet"].string == "Hei!"
    assert catalog["digest_title"].string == "Viikkokooste"


def test_a_text_defined_in_two_files_stops_the_start(tmp_path: Path) -> None:
    folder = tmp_path / "fi" / "LC_MESSAGES"
    _po(folder / "askel.po", ("utter_greet", "Hei!"))
    _po(folder / "goals.po", ("utter_greet", "Moi!"))
    with pytest.raises(ValueError, match="utter_greet"):
        read_catalog(tmp_path, "fi")
