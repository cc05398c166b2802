"""Clock phrases: "klo 14.30", "puoli kymmenen", "varttia vaille kolme", "kymmeneltä".

Hours are taken literally on the 24-hour clock: "kahdelta" is 02:00 and
"puoli kolme" 02:30.  Only a day-part word moves them ("iltapäivällä kahdelta" is
14:00), see :func:`apply_daypart`.  Guessing afternoon for small hours would be
right for appointments and wrong for "heräsin kolmelta" (I woke at three), so
the parser leaves that choice to the dialogue, which can ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import DayPart
from .numbers import Case, NumberWord, cardinal, number_word
from .vocabulary import (
    ABLATIVE_SUFFIXES,
    AROUND_WORDS,
    FROM_WORDS,
    HALF_WORDS,
    PAST_WORDS,
    QUARTER_WORDS,
    TO_WORDS,
    UNIT_WORDS,
    UNTIL_WORDS,
)

TOKEN_RE = re.compile(r"[a-z]+|[0-9]+(?:[.:,][0-9]+)*")


@dataclass(frozen=True)
class Token:
    """A word or number in the normalised text."""

    text: str
    start: int
    end: int
    typed_with_umlaut: bool = False

    @property
    def is_number(self) -> bool:
        """True for digit tokens, including "14.30" and "25.11.2026"."""
        return self.text[0].isdigit()


@dataclass(frozen=True)
class ClockPhrase:
    """A clock phrase found at ``tokens[first:next_index]``."""

    hour: int
    minute: int
    first: int
    next_index: int
    carry_days: int = 0


class InvalidClock(Exception):
    """A written time that cannot exist, such as "klo 25" or "klo 14.75"."""


def digits_clock(text: str) -> tuple[int, int, int] | None:
    """Read "14", "14.30", "14:30", "14,30" or "1430" as (hour, minute, carry_days).

    Returns None when the text is not shaped like a time and raises
    :class:`InvalidClock` when it is shaped like one but names no real time.
    """
    parts = re.split(r"[.:,]", text)
    head = parts[0]
    if len(parts) == 1:
        if len(head) <= 2:
            hour, minute = int(head), 0
        elif len(head) <= 4:
            # "klo 1430": the military style some clients copy from letters.
            hour, minute = int(head[:-2]), int(head[-2:])
        else:
            return None
    else:
        if len(head) > 2 or len(parts[1]) != 2:
            raise InvalidClock(text)
        hour, minute = int(head), int(parts[1])
    return validated(hour, minute)


def validated(hour: int, minute: int) -> tuple[int, int, int]:
    """Check a clock reading; "24.00" is midnight at the end of the day."""
    if hour == 24 and minute == 0:
        return 0, 0, 1
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InvalidClock(f"{hour}:{minute}")
    return hour, minute, 0


def apply_daypart(hour: int, part: DayPart | None) -> tuple[int, int]:
    """Move a literal hour by a day-part word; returns (hour, carry_days).

    * morning ("aamulla"): unchanged
    * daytime ("päivällä"): 0 -> 12, 1-6 -> 13-18 ("päivällä kahdelta" = 14)
    * afternoon ("iltapäivällä", "ip"): 0-11 -> 12-23
    * evening ("illalla"): 1-11 -> 13-23, and 0 or 12 is the coming midnight
    * night ("yöllä"): 12 -> 0, 7-11 -> 19-23 ("yöllä yhdeltätoista" = 23), 1-6 unchanged
    """
    if part is None or part is DayPart.MORNING:
        return hour, 0
    if part is DayPart.DAYTIME:
        if hour == 0:
            return 12, 0
        return (hour + 12, 0) if 1 <= hour <= 6 else (hour, 0)
    if part is DayPart.AFTERNOON:
        return (hour + 12, 0) if hour < 12 else (hour, 0)
    if part is DayPart.EVENING:
        if hour in (0, 12):
            return 0, 1
        return (hour + 12, 0) if hour < 12 else (hour, 0)
    # DayPart.NIGHT
    if hour == 12:
        return 0, 0
    return (hour + 12, 0) if 7 <= hour <= 11 else (hour, 0)


def _word(token: Token) -> NumberWord | None:
    return number_word(token.text, typed_with_umlaut=token.typed_with_umlaut)


def _is_unit(tokens: list[Token], index: int) -> bool:
    return index < len(tokens) and tokens[index].text in UNIT_WORDS


def _hour_at(tokens: list[Token], index: int, cases: frozenset[Case]) -> int | None:
    """An hour 0-24 written as digits or as a number word in one of ``cases``."""
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.is_number:
        value = cardinal(token.text)
        if value is None or value > 24 or _is_unit(tokens, index + 1):
            return None
        return value
    word = _word(token)
    if word is None or not (word.cases & cases) or word.value > 24:
        return None
    return word.value


_MINUTE_CASES = frozenset({Case.NOM, Case.PART, Case.GEN})


def _minute_at(tokens: list[Token], index: int) -> int | None:
    """Minutes before "yli"/"vaille": "varttia", "viittä", "kymmenen", "5"."""
    token = tokens[index]
    if token.text in QUARTER_WORDS:
        return 15
    if token.is_number:
        value = cardinal(token.text)
    else:
        word = _word(token)
        value = word.value if word is not None and word.cases & _MINUTE_CASES else None
    if value is None or not 1 <= value <= 59:
        return None
    return value


_HOUR_CASES = frozenset({Case.NOM, Case.GEN, Case.ABL})
_AROUND_CASES = frozenset({Case.NOM, Case.GEN})


def _hour_clock(hour: int, minute: int, first: int, next_index: int) -> ClockPhrase:
    carry = 0
    if hour == 24:
        hour, carry = 0, 1
    return ClockPhrase(hour % 24, minute, first, next_index, carry)


def _is_quantifier(tokens: list[Token], index: int) -> bool:
    """ "kahdelta työnantajalta" is "from two employers": an ablative noun follows."""
    if index >= len(tokens):
        return False
    following = tokens[index]
    return (
        not following.is_number
        and following.text.endswith("lta")
        and number_word(following.text) is None
    )


def clock_words_at(tokens: list[Token], index: int, *, after_klo: bool) -> ClockPhrase | None:
    """Match a spoken clock phrase starting at ``tokens[index]``.

    ``after_klo`` allows a bare nominative hour ("kello kymmenen"), which on its
    own would be an ordinary number ("kymmenen euroa").
    """
    count = len(tokens)
    text = tokens[index].text

    # "puoli kymmenen" is half *to* ten: 9:30.
    if text in HALF_WORDS:
        hour = _hour_at(tokens, index + 1, _HOUR_CASES | {Case.ILL})
        if hour is not None and hour >= 1:
            return _hour_clock(hour - 1, 30, index, index + 2)
        return None

    # "varttia yli kaksi" = 2:15, "viittä vaille kymmenen" = 9:55
    if index + 2 < count and tokens[index + 1].text in PAST_WORDS | TO_WORDS:
        minute = _minute_at(tokens, index)
        hour = _hour_at(tokens, index + 2, _HOUR_CASES)
        if minute is not None and hour is not None:
            if tokens[index + 1].text in PAST_WORDS:
                return _hour_clock(hour, minute, index, index + 3)
            total = (hour * 60 - minute) % (24 * 60)
            return ClockPhrase(total // 60, total % 60, index, index + 3)

    follower = tokens[index + 1].text if index + 1 < count else ""

    if tokens[index].is_number:
        value = cardinal(text)
        if value is None or value > 24:
            return None
        # "10 aikaan", "10:n aikaan" (the ":n" arrives as its own token)
        skip = 1 if follower == "n" else 0
        after = tokens[index + 1 + skip].text if index + 1 + skip < count else ""
        if after in AROUND_WORDS:
            return _hour_clock(value, 0, index, index + 2 + skip)
        # "10:ltä", "10-lta"
        if follower in ABLATIVE_SUFFIXES:
            return _hour_clock(value, 0, index, index + 2)
        return None

    word = _word(tokens[index])
    if word is None or word.value > 24:
        return None
    if Case.ABL in word.cases and word.value >= 1:
        if _is_quantifier(tokens, index + 1):
            return None
        return _hour_clock(word.value, 0, index, index + 1)
    if word.cases & _AROUND_CASES and follower in AROUND_WORDS:
        return _hour_clock(word.value, 0, index, index + 2)
    if Case.ILL in word.cases and follower in UNTIL_WORDS:
        return _hour_clock(word.value, 0, index, index + 2)
    if Case.ELA in word.cases:
        # "kahdeksasta alkaen", "kahdeksasta neljään" (from eight to four)
        if follower in FROM_WORDS:
            return _hour_clock(word.value, 0, index, index + 2)
        if index + 1 < count:
            target = _word(tokens[index + 1])
            if target is not None and Case.ILL in target.cases and target.value <= 24:
                return _hour_clock(word.value, 0, index, index + 2)
    if after_klo and Case.NOM in word.cases:
        return _hour_clock(word.value, 0, index, index + 1)
    return None
