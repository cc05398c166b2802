"""Property tests for backend.timeparse (hypothesis)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.texts.formatting import WEEKDAYS_ESSIVE, WEEKDAYS_SHORT
from backend.timeparse import ParsedTime, Prefer, parse_time

HELSINKI = ZoneInfo("Europe/Helsinki")
VALUE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")

# Keep runs quick in CI; the parser is pure, so failures reproduce from the seed.
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

prefers: st.SearchStrategy[Prefer] = st.sampled_from(("future", "past"))

# "now" values well inside datetime's range; the edges are covered by the table tests.
_EARLIEST = datetime.datetime(2000, 1, 1)
_LATEST = datetime.datetime(2098, 12, 31)
naive_nows = st.datetimes(min_value=_EARLIEST, max_value=_LATEST)


def _aware(zones: st.SearchStrategy[datetime.tzinfo]) -> st.SearchStrategy[datetime.datetime]:
    return st.datetimes(min_value=_EARLIEST, max_value=_LATEST, timezones=zones)


any_nows = st.one_of(
    naive_nows,
    _aware(st.just(HELSINKI)),
    _aware(st.timezones()),
    _aware(st.just(datetime.timezone.utc)),
)


def local(now: datetime.datetime) -> datetime.datetime:
    """``now`` as naive Helsinki wall-clock time, the way the parser reads it."""
    if now.tzinfo is None:
        return now
    return now.astimezone(HELSINKI).replace(tzinfo=None)


def moment(result: ParsedTime) -> datetime.datetime:
    assert result.time is not None
    return datetime.datetime.combine(result.date, result.time)


# -- never raises ---------------------------------------------------------------

# Pieces that exercise the rules in odd combinations.
TIME_PIECES = [
    "klo",
    "kello",
    "klo.",
    "puoli",
    "yli",
    "vaille",
    "varttia",
    "kymmeneltä",
    "kahdelta",
    "kahdeltatoista",
    "yhdeksän",
    "aikaan",
    "illalla",
    "yöllä",
    "iltapäivällä",
    "huomenna",
    "ylihuomenna",
    "eilen",
    "tänään",
    "ensi",
    "viime",
    "viikon",
    "viikolla",
    "päästä",
    "sitten",
    "päivän",
    "tunnin",
    "maanantaina",
    "to",
    "ma",
    "mä",
    "joulukuuta",
    "joulukuun",
    "kuun",
    "päivä",
    "joskus",
    "keskiyöllä",
    "jouluaattona",
    "€",
    "-",
    ".",
    ":",
    ",",
    "24",
    "0",
    "29.2.",
    "31.12.",
    "14.30",
    "25:00",
    "9",
    "1000",
    "😀",
]
piece_texts = st.lists(
    st.one_of(st.sampled_from(TIME_PIECES), st.integers(0, 99).map(str)), max_size=12
).flatmap(lambda parts: st.sampled_from([" ", "", "."]).map(lambda sep: sep.join(parts)))


@FAST
@given(text=st.text(max_size=300), now=any_nows, prefer=prefers)
def test_never_raises_on_arbitrary_text(text: str, now: datetime.datetime, prefer: Prefer) -> None:
    result = parse_time(text, now, prefer=prefer)
    assert result is None or VALUE_RE.match(result.to_value())


@FAST
@given(text=piece_texts, now=st.one_of(any_nows, st.datetimes()), prefer=prefers)
def test_never_raises_on_time_like_fragments(
    text: str, now: datetime.datetime, prefer: Prefer
) -> None:
    result = parse_time(text, now, prefer=prefer)
    if result is not None:
        assert VALUE_RE.match(result.to_value())
        assert result.time is None or (result.time.second, result.time.microsecond) == (0, 0)


# -- no time words, no digits: None ---------------------------------------------------

_VOWELS_AND_DIGITS = set("aeiouy0123456789")


def _has_no_vowel_or_digit(char: str) -> bool:
    # Every Finnish time or day word has a vowel, and every number a digit, once
    # folded the way the parser folds (lower case, accents and umlauts removed).
    for form in (char.lower(), char.casefold()):
        if _VOWELS_AND_DIGITS & set(unicodedata.normalize("NFKD", form)):
            return False
    return True


vowelless_text = st.text(
    alphabet=st.characters(codec="utf-8").filter(_has_no_vowel_or_digit), max_size=200
)

# Ordinary chat words.  Number words and vague day talk are included on purpose:
# alone, without "klo", "yli", "aikaan" or a named day, they are not a time.
NON_TIME_WORDS = [
    "mulla",
    "on",
    "lääkäri",
    "laakari",
    "kiitos",
    "ei",
    "joo",
    "moi",
    "hei",
    "mä",
    "sä",
    "oon",
    "meen",
    "tuun",
    "en",
    "pääse",
    "työ",
    "työhakemus",
    "hakemus",
    "ansioluettelo",
    "haastattelu",
    "kela",
    "te-toimisto",
    "väsynyt",
    "väsyny",
    "hyvää",
    "huomenta",
    "päivää",
    "iltaa",
    "kaveri",
    "äiti",
    "kauppa",
    "bussi",
    "ruoka",
    "nukuin",
    "huonosti",
    "aika",
    "aikaa",
    "kymmenen",
    "kaksi",
    "kolme",
    "viisi",
    "euroa",
    "kertaa",
    "vuotta",
    "joskus",
    "ensi",
    "viikolla",
    "kuussa",
    "tänä",
    "vuonna",
    "nyt",
    "heti",
    "pian",
    "myöhemmin",
    "apua",
    "tarvitsen",
    "rahaa",
    "kiva",
    "😀",
    "!",
    "?",
    ",",
    "...",
]
word_texts = st.lists(st.sampled_from(NON_TIME_WORDS), max_size=15).map(" ".join)


@FAST
@given(text=vowelless_text, now=naive_nows, prefer=prefers)
def test_text_without_vowels_or_digits_is_none(
    text: str, now: datetime.datetime, prefer: Prefer
) -> None:
    assert parse_time(text, now, prefer=prefer) is None


@FAST
@given(text=word_texts, now=naive_nows, prefer=prefers)
def test_chat_without_time_words_is_none(text: str, now: datetime.datetime, prefer: Prefer) -> None:
    assert parse_time(text, now, prefer=prefer) is None


# -- round trip "D.M. klo H.MM" -------------------------------------------------------


def next_occurrence(
    day: int, month: int, hour: int, minute: int, now: datetime.datetime
) -> datetime.datetime:
    """Reference: the first D.M. H:MM strictly after now, searching year by year."""
    for year in range(now.year, now.year + 9):
        try:
            candidate = datetime.datetime(year, month, day, hour, minute)
        except ValueError:
            continue  # 29.2. outside leap years
        if candidate > now:
            return candidate
    raise AssertionError("no occurrence within nine years")


calendar_days = st.dates().map(lambda d: (d.day, d.month))
hours = st.integers(0, 23)
minutes = st.integers(0, 59)
date_formats = st.sampled_from(
    [
        "{d}.{m}. klo {h}.{mm:02d}",
        "{d}.{m}. kello {h}.{mm:02d}",
        "{d}.{m}. klo. {h}:{mm:02d}",
        "{dd:02d}.{mmm:02d}. klo {h}.{mm:02d}",
        "klo {h}.{mm:02d} {d}.{m}.",
        "Aika on {d}.{m}. klo {h}.{mm:02d}, muista!",
    ]
)


@FAST
@given(dm=calendar_days, h=hours, mm=minutes, now=naive_nows, fmt=date_formats)
def test_date_and_time_round_trip_into_the_future(
    dm: tuple[int, int], h: int, mm: int, now: datetime.datetime, fmt: str
) -> None:
    day, month = dm
    text = fmt.format(d=day, m=month, dd=day, mmm=month, h=h, mm=mm)
    result = parse_time(text, now)
    assert result is not None, text
    assert moment(result) == next_occurrence(day, month, h, mm, now)


@FAST
@given(day=st.dates(min_value=datetime.date(2000, 1, 1)), h=hours, mm=minutes, now=naive_nows)
def test_date_with_year_is_taken_as_given(
    day: datetime.date, h: int, mm: int, now: datetime.datetime
) -> None:
    text = f"{day.day}.{day.month}.{day.year} klo {h}.{mm:02d}"
    result = parse_time(text, now)
    assert result == ParsedTime(day, datetime.time(h, mm))


# -- future results lie after now, past ones at or before ----------------------------

# The names the bot itself writes must be the names it reads.
WEEKDAY_FORMS = list(WEEKDAYS_ESSIVE)
ABBREVIATIONS = list(WEEKDAYS_SHORT)
HOUR_WORDS = [
    "yhdeltä",
    "kahdelta",
    "kolmelta",
    "neljältä",
    "viideltä",
    "kuudelta",
    "seitsemältä",
    "kahdeksalta",
    "yhdeksältä",
    "kymmeneltä",
    "yhdeltätoista",
    "kahdeltatoista",
]
DAYPARTS = ["aamulla", "päivällä", "iltapäivällä", "illalla", "yöllä", ""]


@st.composite
def clock_phrases(draw: st.DrawFn) -> str:
    """A time of day in one of the spoken or written forms."""
    h = draw(hours)
    mm = draw(minutes)
    return draw(
        st.sampled_from(
            [
                f"klo {h}",
                f"klo {h}.{mm:02d}",
                f"{h}:{mm:02d}",
                f"kello {h}:{mm:02d}",
                f"{draw(st.sampled_from(DAYPARTS))} {draw(st.sampled_from(HOUR_WORDS))}",
                f"puoli {draw(st.sampled_from(['yksi', 'kaksi', 'kymmenen', 'yhdeksän']))}",
                f"varttia {draw(st.sampled_from(['yli', 'vaille']))} kolme",
                "keskipäivällä",
                "puolilta öin",
            ]
        )
    )


@st.composite
def day_phrases(draw: st.DrawFn) -> str:
    """A day that resolves by preference (no "tänään", "eilen" or explicit week)."""
    dm = draw(calendar_days)
    weekday = draw(st.integers(0, 6))
    return draw(
        st.sampled_from(
            [
                "",
                WEEKDAY_FORMS[weekday],
                ABBREVIATIONS[weekday],
                f"{dm[0]}.{dm[1]}.",
                f"{dm[0]}. joulukuuta",
            ]
        )
    )


@st.composite
def timed_phrases(draw: st.DrawFn) -> str:
    return f"{draw(day_phrases())} {draw(clock_phrases())}".strip()


@FAST
@given(text=timed_phrases(), now=any_nows)
def test_future_time_is_after_now(text: str, now: datetime.datetime) -> None:
    result = parse_time(text, now, prefer="future")
    assert result is not None, text
    assert moment(result) > local(now), text


@FAST
@given(text=timed_phrases(), now=any_nows)
def test_past_time_is_at_or_before_now(text: str, now: datetime.datetime) -> None:
    result = parse_time(text, now, prefer="past")
    assert result is not None, text
    assert moment(result) <= local(now), text


@FAST
@given(text=clock_phrases(), now=naive_nows)
def test_bare_time_is_within_a_day(text: str, now: datetime.datetime) -> None:
    future = parse_time(text, now, prefer="future")
    past = parse_time(text, now, prefer="past")
    assert future is not None and past is not None, text
    assert datetime.timedelta(0) < moment(future) - now <= datetime.timedelta(days=1)
    assert datetime.timedelta(0) <= now - moment(past) < datetime.timedelta(days=1)
    assert future.time == past.time


@FAST
@given(weekday=st.integers(0, 6), h=hours, mm=minutes, now=naive_nows)
def test_weekday_with_time_is_that_weekday_within_a_week(
    weekday: int, h: int, mm: int, now: datetime.datetime
) -> None:
    result = parse_time(f"{WEEKDAY_FORMS[weekday]} klo {h}.{mm:02d}", now)
    assert result is not None
    assert result.date.weekday() == weekday
    assert datetime.timedelta(0) < moment(result) - now <= datetime.timedelta(days=7)


@FAST
@given(weekday=st.integers(0, 6), now=naive_nows, prefer=prefers)
def test_weekday_without_time_is_never_today(
    weekday: int, now: datetime.datetime, prefer: Prefer
) -> None:
    result = parse_time(WEEKDAY_FORMS[weekday], now, prefer=prefer)
    assert result is not None and result.time is None
    assert result.date.weekday() == weekday
    distance = abs((result.date - now.date()).days)
    assert 1 <= distance <= 7


@FAST
@given(dm=calendar_days, now=naive_nows)
def test_date_without_time_is_today_or_later(dm: tuple[int, int], now: datetime.datetime) -> None:
    day, month = dm
    result = parse_time(f"{day}.{month}.", now)
    assert result is not None and result.time is None
    assert (result.date.day, result.date.month) == (day, month)
    assert now.date() <= result.date
    if (day, month) != (29, 2):
        assert result.date.year in (now.year, now.year + 1)
