"""Aino's ladder as she reads it: the whole of it on Telegram, and within two SMS segments on her
phone, where her words are shortened at a word boundary and never cut in half."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.channels.sms_text import segments, sms_body
from backend.context import text_constants
from backend.models import Goal, GoalStep, StepOutcome
from backend.services.ladder_text import (
    WORDS_IN_MESSAGE,
    ladder,
    ladder_for_sms,
    ladder_for_telegram,
    shorten,
)
from backend.settings import Settings
from backend.texts.catalogs import Catalogs
from backend.texts.responses import Renderer

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.timezone.utc)
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(Catalogs(ROOT / "locales"), text_constants(Settings(_env_file=None)))


def _goal(words: str, support: str | None, steps: list[tuple[str, str]]) -> Goal:
    """A goal in memory; each step is (words, state): brought, done, partly, not_done, now, next."""
    goal = Goal(words=words, support_wish=support, active=True, created_at=NOW)
    for position, (step_words, state) in enumerate(steps, 1):
        outcome = {
            "done": StepOutcome.DONE,
            "partly": StepOutcome.PARTLY,
            "not_done": StepOutcome.NOT_DONE,
        }.get(state)
        goal.steps.append(
            GoalStep(
                position=position,
                words=step_words,
                already_done=state == "brought",
                week_start=None if state in ("brought", "next") else MONDAY,
                outcome=outcome,
                created_at=NOW,
            )
        )
    return goal


AINO = _goal(
    "haluan saada päivärytmin kuntoon",
    "että ohjaaja kysyy välillä miten menee",
    [
        ("herään jo arkisin kymmeneltä", "brought"),
        ("herään kolmena aamuna yhdeksältä", "not_done"),
        ("herään yhtenä aamuna yhdeksältä", "done"),
        ("herään kolmena aamuna yhdeksältä", "now"),
        ("käyn aamulla kävelyllä", "next"),
    ],
)


def test_telegram_shows_the_whole_ladder_without_the_week_that_did_not_go(
    renderer: Renderer,
) -> None:
    reply = ladder_for_telegram(renderer, [AINO])
    assert reply.text == (
        "Tavoite: haluan saada päivärytmin kuntoon\n"
        "- tehty: herään jo arkisin kymmeneltä\n"
        "- tehty: herään yhtenä aamuna yhdeksältä\n"
        "- nyt: herään kolmena aamuna yhdeksältä\n"
        "- seuraavaksi: käyn aamulla kävelyllä\n"
        "- toivot ohjaajalta: että ohjaaja kysyy välillä miten menee\n"
        "Kerro, kun saat askeleen tehtyä."
    )
    assert reply.buttons == ()


def test_sms_counts_the_rungs_climbed_and_keeps_words_that_fit(renderer: Renderer) -> None:
    reply = ladder_for_sms(renderer, [AINO])
    assert reply.text == (
        "Tavoite: haluan saada päivärytmin kuntoon\n"
        "- 2 askelta tehty\n"
        "- nyt: herään kolmena aamuna yhdeksältä\n"
        "- seuraavaksi: käyn aamulla kävelyllä\n"
        "- toivot ohjaajalta: että ohjaaja kysyy välillä miten menee\n"
        "Kerro, kun saat askeleen tehtyä."
    )
    assert segments(sms_body(reply)) == 2


def test_a_long_ladder_over_sms_shortens_words_at_a_boundary(renderer: Renderer) -> None:
    long_words = (
        "haluan päästä kuntouttavaan työtoimintaan puutyöpajalle ja jaksaa käydä siellä "
        "kolmena päivänä viikossa ilman että väsyn liikaa"
    )
    goals = [
        _goal(
            long_words,
            long_words,
            [(long_words, "done"), (long_words, "now"), (long_words, "next")],
        ),
        _goal(long_words, None, [(long_words, "next")]),
    ]
    reply = ladder_for_sms(renderer, goals)
    body = sms_body(reply)
    assert segments(body) <= 2
    for line in reply.text.splitlines()[:-1]:
        _label, _, quoted = line.partition(": ")
        if not quoted:
            continue  # a count of rungs, or of the other goals
        # The client's words, shortened only at a word boundary.
        kept = quoted.removesuffix("...")
        assert (long_words + " ").startswith(kept + " "), line
    assert "..." in reply.text


def test_with_no_step_of_the_week_the_ladder_offers_to_choose_one(renderer: Renderer) -> None:
    goal = _goal("haluan käydä ulkona joka päivä", None, [("käyn pihalla", "next")])
    reply = ladder(renderer, [goal], sms=True)
    assert reply.text.endswith("Valitaanko tämän viikon askel?")
    assert [b.payload for b in reply.buttons] == ["/goal_step_next"]


def test_no_goal_yet_is_an_offer_to_set_one(renderer: Renderer) -> None:
    reply = ladder(renderer, [], sms=False)
    assert reply.text == "Sinulla ei ole vielä tavoitetta. Haluatko asettaa sellaisen?"
    assert [b.payload for b in reply.buttons] == ["/set_goal"]


@pytest.mark.parametrize(
    ("words", "limit", "short"),
    [
        ("käyn kaupassa", 80, "käyn kaupassa"),
        ("soitan huomenna työtoiminnan ohjaajalle", 24, "soitan huomenna..."),
        ("kuntouttavaantyötoimintaan", 12, "kuntouttavaantyötoimintaan"[:9] + "..."),
    ],
)
def test_shorten_cuts_at_a_word_boundary(words: str, limit: int, short: str) -> None:
    assert shorten(words, limit) == short


@given(
    st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzäö ,.", max_size=300), min_size=1, max_size=4
    )
)
def test_any_ladder_fits_two_sms_segments(words: list[str]) -> None:
    renderer = Renderer(Catalogs(ROOT / "locales"), text_constants(Settings(_env_file=None)))
    goals = [
        _goal(
            text or "tavoite",
            text,
            [(text or "askel", "done"), (text or "askel", "now"), (text or "x", "next")],
        )
        for text in words
    ]
    assert segments(sms_body(ladder_for_sms(renderer, goals))) <= 2


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäö ", max_size=200))
def test_shortened_words_are_whole_words_of_the_original(words: str) -> None:
    short = shorten(words, WORDS_IN_MESSAGE)
    assert len(short) <= WORDS_IN_MESSAGE
    kept = short.removesuffix("...").split()
    original = words.split()
    # Every kept word but a lone over-long first one is a whole word of the original.
    assert kept[: len(kept) - 1] == original[: len(kept) - 1]
    if short.endswith("...") and len(kept) > 1:
        assert kept[-1] == original[len(kept) - 1]
