"""The client's diary of their days, and the forgiving measure of their morning rhythm.

Every entry is a `CheckinEntry`. Its `kind` is one of these (`KINDS`):

=============  =================================================================================
``wake_up``    when the client woke: `happened_at`; `words` as they said it
``bedtime``    when they went to bed: `happened_at` (after midnight is the next day's date)
``mood``       how they feel: `mood` 1-5, or None when their words gave no score
``meal``       a meal: `detail` is its name (`MEALS`) or how they ate ("well", "little", or
               "hardly", which is not counted as a meal)
``activity``   going out or doing something: `detail` says what, or "yes" / "no" from the
               evening check-in ("no" is not counted as going out)
``sleep``      the morning check-in's "how did you sleep?": `detail` good / ok / bad
``plan``       the morning check-in's "what will you do today?"
``went_well``  the evening check-in's "what went well?"
``sick``       a sick day: the rhythm measure is frozen on its `local_date`
``pause``      a pause the client asked for: `local_date` is its first day and `detail` its last
               (ISO date); see `record_pause`
=============  =================================================================================

A morning is **on time** when the client's earliest sign of being up that day came by their
morning check-in time plus `ON_TIME_SLACK`: a `wake_up` entry's `happened_at` (what they reported,
even if they reported it later: "heräsin yhdeksältä" written at 11 is a nine o'clock morning), or
the moment they answered the morning check-in (`sleep` or `plan` entries' `created_at`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from backend.models import CheckinEntry, CheckinKind, CheckinSchedule, Client, ClientStatus
from backend.services.checkins import local_time
from backend.timeparse import parse_time
from backend.timeparse.normalise import normalise
from backend.timeparse.rules import extract

WAKE_UP = "wake_up"
BEDTIME = "bedtime"
MOOD = "mood"
MEAL = "meal"
ACTIVITY = "activity"
SLEEP = "sleep"
PLAN = "plan"
WENT_WELL = "went_well"
SICK = "sick"
PAUSE = "pause"
KINDS = frozenset(
    {WAKE_UP, BEDTIME, MOOD, MEAL, ACTIVITY, SLEEP, PLAN, WENT_WELL, SICK, PAUSE},
)
# Details that say the thing did not happen: "en juuri" eaten, "en käynyt" out.
NOT_DONE = {MEAL: frozenset({"hardly"}), ACTIVITY: frozenset({"no"})}

MEALS = ("aamupala", "lounas", "päivällinen", "iltapala", "välipala")

# The client's own words are kept as written, up to about a page; longer pastes are cut so that
# one message cannot fill the diary.
MAX_WORDS = 1000
_MAX_DETAIL = 64

# How late after the planned morning time a wake-up still counts as on time.
ON_TIME_SLACK = dt.timedelta(minutes=60)
# Before this, a client who has not slept yet still talks about the day that just ended.
NIGHT_ENDS = dt.time(5, 0)
# The rhythm measure weighs each counted morning half as much as one 10 counted mornings newer:
# a single lapse after a good run costs about a tenth, and a bad start fades within weeks.
HALF_LIFE_MORNINGS = 10
_DECAY = 0.5 ** (1 / HALF_LIFE_MORNINGS)
# Mornings older than this weigh under 0.03 % of today's, so they are not read at all.
_HORIZON = dt.timedelta(days=120)
MILESTONES = (3, 5, 7, 14, 21, 30)
CELEBRATION = "celebrate_mornings"


# -- the time a report names -------------------------------------------------------------------


def report_time(text: str, kind: str, now: dt.datetime, tz: ZoneInfo | str) -> dt.datetime | None:
    """When a reported event happened, as an aware UTC datetime at or before `now`.

    The hour is read the way the event makes sense, unless the client fixed it themselves with a
    day part ("illalla"), a 24-hour time ("klo 23") or a word such as "puolilta öin":

    * ``bedtime``: 7-11 is the evening (yhdeltätoista = 23:00), 12 is midnight, 0-6 the small
      hours; a bedtime is the latest such moment at or before now (23:00 reported at 08:00 is
      yesterday's).
    * ``wake_up``: 5-12 is the morning (kymmeneltä = 10:00); 0-4 is the afternoon if that is
      already past (kahdelta at 15:00 = 14:00), else the night.  A wake-up later than now is
      yesterday's only before `NIGHT_ENDS` (at 00:30, "heräsin kymmeneltä" is about the day that
      just ended); later in the day it cannot be today's and None is returned, so that the caller
      records the report's own time: the client is up now, at the latest.
    * ``meal``: by the meal named (aamupala in the morning, lounas around midday, päivällinen and
      iltapala in the evening); otherwise, as for every other kind, the latest of the morning and
      the evening reading at or before now, today or yesterday.

    A named day ("eilen", "maanantaina", "22.11.") is kept; a bedtime in the small hours of a
    named day is the night after it ("eilen menin nukkumaan kahdelta") when that is past.
    Returns None when the text names no time of day (the caller then uses now) or only a time
    that cannot be the report's.
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    parsed = parse_time(text, now, tz=zone, prefer="past")
    if parsed is None or parsed.time is None:
        return None
    facts = extract(normalise(text))
    if facts.elapsed:
        # "tunti sitten" is an exact moment, already counted back from now.
        candidates = [dt.datetime.combine(parsed.date, parsed.time)]
    else:
        first = min(facts.times, key=lambda time: time.start) if facts.times else None
        # The parser reads hours literally and leaves the 12-hour choice to its callers; it is
        # only ours to make when nothing in the text already made it.
        open_hour = (
            first is not None
            and first.adjustable
            and first.carry_days == 0
            and first.hour <= 12
            and not facts.dayparts
        )
        clocks = _readings(kind, parsed.time, text) if open_hour else [parsed.time]
        local_now = now.astimezone(zone).replace(tzinfo=None)
        if facts.dates or facts.relative_days or facts.weekdays:
            candidates = [dt.datetime.combine(parsed.date, clock) for clock in clocks]
            if kind == BEDTIME:
                night_after = parsed.date + dt.timedelta(days=1)
                candidates += [
                    dt.datetime.combine(night_after, clock) for clock in clocks if clock.hour < 12
                ]
        else:
            today = local_now.date()
            days = [today]
            if kind != WAKE_UP or local_now.time() < NIGHT_ENDS:
                days.append(today - dt.timedelta(days=1))
            candidates = [dt.datetime.combine(day, clock) for day in days for clock in clocks]
    moments = [
        candidate.replace(tzinfo=zone).astimezone(dt.timezone.utc) for candidate in candidates
    ]
    past = [moment for moment in moments if moment <= now]
    return max(past) if past else None


def _readings(kind: str, literal: dt.time, text: str) -> list[dt.time]:
    """The clock times an hour written without a day part can mean for this kind of event."""
    hour = literal.hour
    evening = literal.replace(hour=hour + 12) if hour < 12 else literal
    if kind == BEDTIME:
        if 7 <= hour <= 11:
            return [evening]
        return [literal.replace(hour=0)] if hour == 12 else [literal]
    if kind == WAKE_UP:
        return [literal, evening] if hour <= 4 else [literal]
    if kind == MEAL:
        meal = meal_of(text)
        if meal == "aamupala":
            return [literal]
        if meal == "lounas":
            return [evening] if hour <= 6 else [literal]
        if meal == "päivällinen" or (meal == "iltapala" and hour >= 1):
            return [evening]
    return [literal, evening] if hour < 12 else [literal]


# -- words: mood and meals ---------------------------------------------------------------------

_T = TypeVar("_T")

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "å": "a"})
_REPEATS = re.compile(r"([a-z])\1{2,}")
# Scores are read from the start of a message; a pasted page adds nothing but work.
_MAX_READ = 2000


def _fold(text: str) -> str:
    """Lower-case ASCII letters, digits and the separators of scores ("4/5"), ä/ö folded and a
    letter repeated for emphasis cut to two ("Tosiiii hyvää!!" -> "tosii hyvaa  ")."""
    lowered = unicodedata.normalize("NFC", text[:_MAX_READ]).lower().translate(_UMLAUTS)
    out = []
    for char in unicodedata.normalize("NFKD", lowered):
        if "a" <= char <= "z" or "0" <= char <= "9" or char in "/.,:-":
            out.append(char)
        elif not unicodedata.combining(char):
            out.append(" ")
    return _REPEATS.sub(r"\1\1", "".join(out))


def _words(folded: str) -> list[str]:
    return re.findall(r"[a-z]+", folded)


def _single(word: str) -> str:
    """A word with every doubled letter single, so that "tosiii" and "eii" are still known."""
    return re.sub(r"([a-z])\1+", r"\1", word)


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance (a swap of neighbours counts as one), or limit + 1 once it is over."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if before is not None and i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
        if min(previous) > limit:
            return limit + 1
    return previous[-1]


def _near(word: str, known: dict[str, _T], *, long_slips: bool = False) -> _T | None:
    """What `word` means if it is a typo of known spellings that all mean the same: one slip,
    or two in a word of nine letters or more when `long_slips` allows it."""
    if len(word) < 5:
        return None
    limit = 2 if long_slips and len(word) >= 9 else 1
    meanings = {
        meaning for spelling, meaning in known.items() if _distance(word, spelling, limit) <= limit
    }
    return meanings.pop() if len(meanings) == 1 else None


# Word stems and the mood each means; a word counts when it starts with a stem.
_MOOD_STEMS: tuple[tuple[str, int], ...] = (
    ("loistav", 5),
    ("mahtav", 5),
    ("upea", 5),
    ("erinomai", 5),
    ("huippu", 5),
    ("taydelli", 5),
    ("fantastis", 5),
    ("paras", 5),
    ("ihana", 5),
    ("onnelli", 5),
    ("hyv", 4),
    ("parem", 4),
    ("kiva", 4),
    ("mukava", 4),
    ("iloi", 4),
    ("pirtea", 4),
    ("virkea", 4),
    ("menettel", 3),
    ("keskivert", 3),
    ("neutraal", 3),
    ("normaal", 3),
    ("kohtalai", 3),
    ("huonoin", 1),
    ("huono", 2),
    ("paha", 2),
    ("kurja", 2),
    ("heikko", 2),
    ("surulli", 2),
    ("ahdist", 2),
    ("alakulo", 2),
    ("vasyn", 2),
    ("vasytt", 2),
    ("stressa", 2),
    ("kamal", 1),
    ("kauhe", 1),
    ("hirve", 1),
    ("surke", 1),
    ("paska", 1),
    ("karme", 1),
    ("syvalt", 1),
    ("toivoton", 1),
    ("masentu", 1),
)
# Words that are a mood only as a whole word ("ok" inside "oksensin" is not).
_MOOD_WORDS = {
    "ok": 3,
    "okei": 3,
    "okey": 3,
    "okay": 3,
    "oke": 3,
    "okk": 3,
    "ookoo": 3,
    "perus": 3,
    "jees": 4,
    "super": 5,
}
# The full spellings typos are matched against (words with a near-twin are left out: "mukava"
# is one slip from "mukana", "huono" from "huone").
_MOOD_SPELLINGS = {
    "hyvaa": 4,
    "huonoa": 2,
    "huonosti": 2,
    "loistava": 5,
    "loistavaa": 5,
    "mahtava": 5,
    "mahtavaa": 5,
    "erinomainen": 5,
    "keskiverto": 3,
    "menettelee": 3,
    "kohtalainen": 3,
    "kamala": 1,
    "kamalaa": 1,
    "kauhea": 1,
    "kauheaa": 1,
    "surkea": 1,
}
# The strongest positive words: "ei mikään loistava" is middling, not bad.
_STRONG = ("loistav", "mahtav", "upea", "erinomai", "huippu", "taydelli", "fantastis", "paras")


# Words that strengthen the mood word right after them: "tosi hyvä" 5, "hyvin huono" 1.
_INTENSIFIERS = frozenset(
    _single(word)
    for word in (
        "tosi",
        "todella",
        "tosiaan",
        "erittain",
        "hyvin",
        "super",
        "kauhean",
        "kauheen",
        "hirvean",
        "hirveen",
        "tavattoman",
        "mielettoman",
        "sairaan",
        "todellakin",
        "mega",
    )
)
_NEGATIONS = frozenset(
    _single(word)
    for word in ("ei", "en", "et", "emme", "ette", "eivat", "eika", "eipa", "eip", "enka")
)
# "ei yhtään hyvä" is worse than "ei hyvä", "ei ollenkaan huono" better than "ei huono".
_WHOLLY = frozenset(
    _single(word) for word in ("yhtaan", "ollenkaan", "lainkaan", "yhtikas", "mitenkaan")
)
_NEGATION_REACH = 4
# Number words answering the 1-5 question: "kolmonen", or "kolme" as the whole answer.
_SCORE_NAMES = {"ykkonen": 1, "kakkonen": 2, "kolmonen": 3, "nelonen": 4, "vitonen": 5}
_SCORE_WORDS = {
    "yksi": 1,
    "yks": 1,
    "kaksi": 2,
    "kaks": 2,
    "kolme": 3,
    "nelja": 4,
    "viisi": 5,
    "viis": 5,
}
_EMOJI = {
    "😀": 5,
    "😁": 5,
    "😄": 5,
    "😍": 5,
    "🤩": 5,
    "🥳": 5,
    "😊": 4,
    "🙂": 4,
    "😃": 4,
    "👍": 4,
    "😐": 3,
    "😶": 3,
    "🤷": 3,
    "😕": 2,
    "🙁": 2,
    "☹": 2,
    "😟": 2,
    "😔": 2,
    "😞": 1,
    "😢": 1,
    "😭": 1,
    "😩": 1,
    "😫": 1,
}
_SCALE = re.compile(r"(?<![0-9.,:/])([0-9]{1,2})\s*/\s*(5|10)(?![0-9])")
_DIGIT = re.compile(r"(?<![0-9a-z.,:/])([0-9]{1,2})(?![0-9]|[.,:][0-9]|\s*/)")
# A number followed by one of these is an amount ("nukuin 3 tuntia"), not a score.
_AMOUNT = re.compile(
    r"\s*(?:tunti|tunni|h\b|min|kerta|kerran|krt|paiva|viikko|vuot|kk\b|kuukau|euro|e\b|kpl"
    r"|kilo|kg\b|km\b|litra|%)"
)
_CLOCK_BEFORE = re.compile(r"(?:klo|kello|kl)\s*$")


def mood_score(text: str) -> int | None:
    """The mood 1-5 a client's answer gives, or None when it gives none.

    A score on the scale wins ("3", "4/5", "8/10" is 4; a range "3-4" is its lower end); then
    words, folded and forgiving of typos ("tosi huono" 1, "huono" and "ei kovin hyvä" 2, "ihan
    ok", "menettelee" and "ei huono" 3, "hyvä" and "ihan hyvä" 4, "tosi hyvä" and "loistava" 5),
    the last one said winning ("aamu oli huono mutta nyt ok" is 3); then emoji.
    """
    folded = _fold(text)
    scored = _score_on_scale(folded)
    if scored is not None:
        return scored
    words = _words(folded)
    if len(words) == 1 and words[0] in _SCORE_WORDS:
        return _SCORE_WORDS[words[0]]
    said = _score_in_words(words)
    if said is not None:
        return said
    emoji = [score for symbol, score in _EMOJI.items() if symbol in text[:_MAX_READ]]
    return round(sum(emoji) / len(emoji)) if emoji else None


def _score_on_scale(folded: str) -> int | None:
    scale = _SCALE.search(folded)
    if scale is not None:
        value, top = int(scale.group(1)), int(scale.group(2))
        if top == 10 and value <= 10:
            return max(1, (value + 1) // 2)
        return value if 1 <= value <= 5 else None
    for digit in _DIGIT.finditer(folded):
        if _AMOUNT.match(folded, digit.end()) or _CLOCK_BEFORE.search(folded, 0, digit.start()):
            continue
        value = int(digit.group(1))
        return value if 1 <= value <= 5 else None
    return None


def _word_mood(word: str) -> tuple[int, bool] | None:
    """The mood a single word means and whether it is one of the strongest words."""
    if word in _SCORE_NAMES:
        return _SCORE_NAMES[word], False
    if word in _MOOD_WORDS:
        return _MOOD_WORDS[word], False
    for stem, score in _MOOD_STEMS:
        if word.startswith(stem):
            return score, stem in _STRONG
    near = _near(word, _MOOD_SPELLINGS, long_slips=True)
    # Every misspelt word that means 5 is one of the strongest.
    return (near, near == 5) if near is not None else None


def _score_in_words(words: Sequence[str]) -> int | None:
    joined = " ".join(words)
    if re.search(r"\b(?:siina ja siina|so so|ei hyva eika huono|ei huono eika hyva)\b", joined):
        return 3
    last: int | None = None
    negated_at: int | None = None
    wholly = False
    singles = [_single(word) for word in words]
    for index, word in enumerate(words):
        if singles[index] in _NEGATIONS:
            negated_at, wholly = index, False
            continue
        if singles[index] in _WHOLLY:
            wholly = True
            continue
        following = _word_mood(words[index + 1]) if index + 1 < len(words) else None
        if singles[index] in _INTENSIFIERS and following is not None:
            continue
        found = _word_mood(word)
        if found is None:
            continue
        score, strong = found
        if index > 0 and singles[index - 1] in _INTENSIFIERS:
            score = {4: 5, 2: 1}.get(score, score)
        if negated_at is not None and index - negated_at <= _NEGATION_REACH:
            score = _negated(score, strong=strong, wholly=wholly)
            negated_at = None
        last = score
    return last


def _negated(score: int, *, strong: bool, wholly: bool) -> int:
    if score >= 4:
        if wholly:
            return 1
        return 3 if strong else 2
    if score == 3:
        return 2
    return 4 if wholly else 3


# Meal stems in the order of the day; a word counts when it starts with a stem.
_MEAL_STEMS: tuple[tuple[str, str], ...] = (
    ("aamupal", "aamupala"),
    ("aamiai", "aamupala"),
    ("aamupuur", "aamupala"),
    ("louna", "lounas"),
    ("paivalli", "päivällinen"),
    ("illalli", "päivällinen"),
    ("iltapal", "iltapala"),
    ("valipal", "välipala"),
)
_MEAL_SPELLINGS = {
    "aamupala": "aamupala",
    "aamupalaa": "aamupala",
    "aamupalan": "aamupala",
    "aamiainen": "aamupala",
    "aamiaista": "aamupala",
    "lounas": "lounas",
    "lounaan": "lounas",
    "lounasta": "lounas",
    "paivallinen": "päivällinen",
    "paivallista": "päivällinen",
    "paivallisen": "päivällinen",
    "illallinen": "päivällinen",
    "illallista": "päivällinen",
    "iltapala": "iltapala",
    "iltapalaa": "iltapala",
    "iltapalan": "iltapala",
    "valipala": "välipala",
    "valipalaa": "välipala",
    "valipalan": "välipala",
}


def meals_of(text: str) -> list[str]:
    """Every meal a message names, in the order named and each once (names as in `MEALS`)."""
    found: list[str] = []
    for word in _words(_fold(text)):
        meal = next((name for stem, name in _MEAL_STEMS if word.startswith(stem)), None)
        if meal is None:
            meal = _near(word, _MEAL_SPELLINGS)
        if meal is not None and meal not in found:
            found.append(meal)
    return found


def meal_of(text: str) -> str | None:
    """The meal a message names ("söin lounaan" -> "lounas"), the first if several; else None."""
    meals = meals_of(text)
    return meals[0] if meals else None


# -- keeping entries ---------------------------------------------------------------------------


def record(
    session: Session,
    client: Client,
    kind: str,
    now: dt.datetime,
    *,
    happened_at: dt.datetime | None = None,
    mood: int | None = None,
    detail: str | None = None,
    words: str | None = None,
) -> CheckinEntry:
    """Keep one diary entry and return it (added to the session, not yet flushed).

    `happened_at` defaults to `now`; `local_date` is its date in the client's time zone.
    `words` are the client's own, kept as written up to `MAX_WORDS` characters (None when
    blank); `detail` is cut to what its column holds. An unknown kind, a mood outside 1-5 or a
    naive time is a programming error and raises ValueError.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown diary entry kind {kind!r}")
    if mood is not None and not 1 <= mood <= 5:
        raise ValueError(f"mood must be 1-5, not {mood}")
    moment = now if happened_at is None else happened_at
    if moment.tzinfo is None or now.tzinfo is None:
        raise ValueError("diary times must be aware")
    entry = CheckinEntry(
        client_id=client.id,
        kind=kind,
        local_date=moment.astimezone(ZoneInfo(client.timezone)).date(),
        happened_at=moment.astimezone(dt.timezone.utc),
        mood=mood,
        detail=detail[:_MAX_DETAIL] if detail else None,
        words=words[:MAX_WORDS] if words and words.strip() else None,
        created_at=now,
    )
    session.add(entry)
    return entry


def record_pause(
    session: Session, client: Client, first: dt.date, last: dt.date, now: dt.datetime
) -> CheckinEntry:
    """Keep a pause's local days (`first` to `last`, both included) so that the rhythm measure
    stays frozen for exactly those days, also after `Client.paused_until` has moved on."""
    start = dt.datetime.combine(first, dt.time(12, 0), tzinfo=ZoneInfo(client.timezone))
    return record(session, client, PAUSE, now, happened_at=start, detail=last.isoformat())


def _entries(session: Session, client_id: int, first: dt.date, last: dt.date) -> list[CheckinEntry]:
    return list(
        session.scalars(
            select(CheckinEntry)
            .where(
                CheckinEntry.client_id == client_id,
                CheckinEntry.local_date >= first,
                CheckinEntry.local_date <= last,
            )
            .order_by(CheckinEntry.local_date, CheckinEntry.created_at, CheckinEntry.id)
        )
    )


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def paused_days(
    session: Session, client: Client, first: dt.date, last: dt.date, today: dt.date
) -> set[dt.date]:
    """The days from `first` to `last` on which the client's messages were paused (see
    `paused_days_of`)."""
    return paused_days_of(session, [client], first, last, today)[client.id]


def paused_days_of(
    session: Session, clients: Sequence[Client], first: dt.date, last: dt.date, today: dt.date
) -> defaultdict[int, set[dt.date]]:
    """Each client's days from `first` to `last` on which their messages were paused, by
    client id: one query for the pause entries of all of them, and one more only when some
    client's current pause has no pause entry to start it.

    These are the days of `pause` entries, and the days `Client.paused_until` covers (a day is
    covered when it starts before that moment; a client with status paused and no end date is
    paused up to `today`). Where that pause began is not kept on the client: it is taken from
    the latest `pause` entry, or else as the day after the client's last entry before its end
    (a pause starts no earlier than the client's last word), so that a lapse is never counted
    against a pause.
    """
    ids = [client.id for client in clients]
    spans: defaultdict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    pauses = session.scalars(
        select(CheckinEntry).where(
            CheckinEntry.client_id.in_(ids),
            CheckinEntry.kind == PAUSE,
            CheckinEntry.local_date <= last,
        )
    )
    for pause in pauses:
        spans[pause.client_id].append((pause.local_date, _pause_end(pause)))
    unstarted: dict[int, dt.date] = {}
    for client in clients:
        end = _paused_until(client, today)
        if end is None:
            continue
        started = [start for start, _ in spans[client.id] if start <= end]
        if started:
            spans[client.id].append((max(started), end))
        else:
            unstarted[client.id] = end
    if unstarted:
        before_end = [
            and_(CheckinEntry.client_id == client_id, CheckinEntry.local_date <= end)
            for client_id, end in unstarted.items()
        ]
        rows = session.execute(
            select(CheckinEntry.client_id, func.max(CheckinEntry.local_date))
            .where(or_(*before_end))
            .group_by(CheckinEntry.client_id)
        )
        talked: dict[int, dt.date] = {client_id: day for client_id, day in rows}
        for client_id, end in unstarted.items():
            said = talked.get(client_id)
            spans[client_id].append((said + dt.timedelta(days=1) if said else first, end))
    return defaultdict(
        set,
        {
            client_id: {
                day
                for start, stop in client_spans
                for day in _days(max(start, first), min(stop, last))
            }
            for client_id, client_spans in spans.items()
        },
    )


def _pause_end(pause: CheckinEntry) -> dt.date:
    try:
        return dt.date.fromisoformat(pause.detail or "")
    except ValueError:
        return pause.local_date


def _paused_until(client: Client, today: dt.date) -> dt.date | None:
    """The last local day of the client's current pause, if they have one."""
    if client.paused_until is not None:
        local = client.paused_until.astimezone(ZoneInfo(client.timezone))
        return (local - dt.timedelta(microseconds=1)).date()
    return today if client.status is ClientStatus.PAUSED else None


def _schedules(session: Session, client_id: int, kind: CheckinKind) -> list[CheckinSchedule]:
    return list(
        session.scalars(
            select(CheckinSchedule).where(
                CheckinSchedule.client_id == client_id,
                CheckinSchedule.kind == kind,
                CheckinSchedule.active.is_(True),
            )
        )
    )


def planned_time(
    schedules: Sequence[CheckinSchedule], client: Client, day: dt.date, zone: ZoneInfo
) -> dt.time | None:
    """The check-in time planned for `day`: the latest of the schedules that cover it, at
    their activity-day time on the client's activity days (an up at 6.30 for the workshop)."""
    times = [
        local_time(schedule, client, day)
        for schedule in schedules
        if str(day.isoweekday()) in schedule.weekdays
        and schedule.created_at.astimezone(zone).date() <= day
    ]
    return max(times) if times else None


def scheduled_days(
    session: Session,
    client: Client,
    kind: CheckinKind,
    first: dt.date,
    last: dt.date,
    today: dt.date,
) -> set[dt.date]:
    """The days from `first` to `last` with a check-in of `kind` planned: an active schedule
    of that kind, made by then, covers the weekday, and the client had not paused."""
    zone = ZoneInfo(client.timezone)
    schedules = _schedules(session, client.id, kind)
    paused = paused_days(session, client, first, last, today)
    return {
        day
        for day in _days(first, last)
        if day not in paused and planned_time(schedules, client, day, zone) is not None
    }


# -- the rhythm measure ------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How the client's morning rhythm is going, as of one local day.

    `level` is the weighted share of on-time mornings in [0, 1] (each counted morning weighs
    `HALF_LIFE_MORNINGS`-wise less than the one after it), None before any morning counted.
    `mornings_in_a_row` counts on-time mornings back from today. Paused days, sick days and days
    with no morning check-in planned are frozen: they count neither way and do not break a run.
    Today counts only once it is on time, so that a morning still to come is never a lapse.
    """

    level: float | None
    mornings_in_a_row: int
    today_on_time: bool
    mornings_counted: int


def _on_time_days(
    entries: Iterable[CheckinEntry],
    schedules: Sequence[CheckinSchedule],
    client: Client,
    zone: ZoneInfo,
) -> set[dt.date]:
    earliest: dict[dt.date, dt.datetime] = {}
    for entry in entries:
        if entry.kind == WAKE_UP and entry.happened_at is not None:
            moment = entry.happened_at
        elif entry.kind in (SLEEP, PLAN):
            moment = entry.created_at
        else:
            continue
        local = moment.astimezone(zone).replace(tzinfo=None)
        known = earliest.get(entry.local_date)
        earliest[entry.local_date] = local if known is None else min(known, local)
    on_time = set()
    for day, up in earliest.items():
        planned = planned_time(schedules, client, day, zone)
        if planned is not None and up <= dt.datetime.combine(day, planned) + ON_TIME_SLACK:
            on_time.add(day)
    return on_time


def rhythm_progress(session: Session, client_id: int, today: dt.date) -> Progress:
    """The forgiving measure of the client's morning rhythm up to and including `today`.

    Every morning with a check-in planned since the first morning schedule is on time or a lapse
    (a morning with no sign of the client by the planned time plus `ON_TIME_SLACK` is a lapse;
    the client is never told so). Raises LookupError for an unknown client.
    """
    client = session.get(Client, client_id)
    if client is None:
        raise LookupError(f"no client {client_id}")
    zone = ZoneInfo(client.timezone)
    schedules = _schedules(session, client_id, CheckinKind.MORNING)
    if not schedules:
        return Progress(level=None, mornings_in_a_row=0, today_on_time=False, mornings_counted=0)
    began = min(schedule.created_at.astimezone(zone).date() for schedule in schedules)
    first = max(began, today - _HORIZON)
    entries = _entries(session, client_id, first, today)
    frozen = paused_days(session, client, first, today, today)
    frozen |= {entry.local_date for entry in entries if entry.kind == SICK}
    on_time = _on_time_days(entries, schedules, client, zone)
    outcomes: list[bool] = []
    for day in _days(first, today):
        if day in frozen or planned_time(schedules, client, day, zone) is None:
            continue
        if day in on_time:
            outcomes.append(True)
        elif day < today:
            outcomes.append(False)
    in_a_row = 0
    for outcome in reversed(outcomes):
        if not outcome:
            break
        in_a_row += 1
    # Newest first: the morning just counted weighs 1, each older one `_DECAY` times less.
    weights = [(_DECAY**age, outcome) for age, outcome in enumerate(reversed(outcomes))]
    level = (
        sum(weight for weight, outcome in weights if outcome) / sum(w for w, _ in weights)
        if weights
        else None
    )
    return Progress(
        level=level,
        mornings_in_a_row=in_a_row,
        today_on_time=today in on_time and today not in frozen,
        mornings_counted=len(outcomes),
    )


def celebration(progress: Progress) -> tuple[str, int] | None:
    """("celebrate_mornings", n) when today is the n-th on-time morning in a row and n is one
    of `MILESTONES`; None otherwise (never after a lapse or on a frozen day).

    The answer stays the same all day: to celebrate once, celebrate only when the entry just
    recorded made today on time (`today_on_time` false before it, true after it).
    """
    if progress.today_on_time and progress.mornings_in_a_row in MILESTONES:
        return CELEBRATION, progress.mornings_in_a_row
    return None
