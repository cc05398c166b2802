"""A pause for the period the client names, read from their own words."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.services.pause import PausePeriod, pause_period, sensible

TZ = "Europe/Helsinki"
# Monday 23 November 2026, 09:00 in Helsinki.
MONDAY = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc)
D = dt.date


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("ei viestejä ensi viikolla", D(2026, 11, 30), D(2026, 12, 6)),
        ("ei viestejä ensi viikoks", D(2026, 11, 30), D(2026, 12, 6)),
        ("ensi viikon ajan tauko", D(2026, 11, 30), D(2026, 12, 6)),
        ("tauko viikoksi", D(2026, 11, 23), D(2026, 11, 29)),
        ("haluun tauon viikoks", D(2026, 11, 23), D(2026, 11, 29)),
        ("kolmeks päiväks", D(2026, 11, 23), D(2026, 11, 25)),
        ("pidetään viikon tauko", D(2026, 11, 23), D(2026, 11, 29)),
        ("kahdeksi viikoksi ei muistutuksia", D(2026, 11, 23), D(2026, 12, 6)),
        ("kolmeksi päiväksi", D(2026, 11, 23), D(2026, 11, 25)),
        ("3 paivaksi", D(2026, 11, 23), D(2026, 11, 25)),
        ("tänään ei viestejä", D(2026, 11, 23), D(2026, 11, 23)),
        ("huomenna ei muistutuksia", D(2026, 11, 24), D(2026, 11, 24)),
        ("perjantaihin asti ei viestejä", D(2026, 11, 23), D(2026, 11, 27)),
        ("ei viestejä 5.12. asti", D(2026, 11, 23), D(2026, 12, 5)),
        ("loppuviikoksi tauko", D(2026, 11, 23), D(2026, 11, 29)),
    ],
)
def test_the_period_the_client_names(text: str, first: dt.date, last: dt.date) -> None:
    assert pause_period(text, MONDAY, TZ) == PausePeriod(first, last)


@pytest.mark.parametrize("text", ["ei viestejä", "tauko kiitos", "haluun tauon"])
def test_no_period_named_means_the_bot_asks(text: str) -> None:
    assert pause_period(text, MONDAY, TZ) is None


def test_a_past_or_a_very_long_pause_is_not_taken_as_it_is() -> None:
    assert not sensible(PausePeriod(D(2026, 11, 1), D(2026, 11, 2)), MONDAY, TZ)
    assert not sensible(PausePeriod(D(2026, 11, 23), D(2027, 3, 1)), MONDAY, TZ)
    assert sensible(PausePeriod(D(2026, 11, 30), D(2026, 12, 6)), MONDAY, TZ)


@given(
    st.text(max_size=80),
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31)),
)
def test_any_words_give_a_period_in_order_or_none(text: str, when: dt.datetime) -> None:
    period = pause_period(text, when.replace(tzinfo=dt.timezone.utc), TZ)
    assert period is None or period.first <= period.last
