"""Extraction rules: turn a normalised message into :class:`~.facts.Facts`.

The rules run in a fixed order and each one blanks the text it used, so one
phrase feeds exactly one fact: "viikon päästä" is an offset and not also
"next week", "klo 9.30" is a time and not also 9 March.

Order and why:

1. offsets ("kolmen päivän päästä", "tunti sitten"): they contain day words
2. dates with month names, fixed holidays ("jouluaattona"), ISO dates and
   day-of-month phrases ("25. päivä", "ensi kuun 3.")
3. vague day talk ("joskus", "ensi kuussa"): only after real dates took theirs
4. relative days, weekdays, week shifts: before clock words, because
   "yli huomenna" would otherwise read as "... past ..."
5. clock phrases in tokens ("klo 14", "puoli kymmenen", "14:30", "kymmeneltä")
6. ranges of days ("3.-5.12.") and then single dotted numbers ("25.11.", "14.30"),
   which need to know whether a day was named
7. a bare hour right after a day ("to 14", "huomenna 10")
8. "keskipäivällä" / "puolilta öin", which only count when no clock time was given

Day-part words ("illalla") are collected from the untouched text, since they
also hide inside day compounds ("huomisiltana", "maanantai-iltana").
"""

from __future__ import annotations

import calendar
import datetime
import re

from .clock import TOKEN_RE, ClockPhrase, InvalidClock, Token, clock_words_at, digits_clock
from .facts import (
    CalendarDate,
    ClockTime,
    DayPartMark,
    Facts,
    RelativeDay,
    WeekdayMode,
    WeekdayRef,
)
from .normalise import Normalised
from .numbers import Case, cardinal, number_word
from .vocabulary import (
    ABBREVIATION_AFTER_MODIFIER_RE,
    ABBREVIATION_ALONE_RE,
    ABBREVIATION_BEFORE_DAYPART_RE,
    ABBREVIATION_RE,
    ABBREVIATIONS,
    DATE_RANGE_RE,
    DAY_FIRST_DATE_RE,
    DAY_OF_MONTH_RE,
    DAYPART_EXACT,
    DAYPART_FORMS,
    DAYPART_PREFIXES,
    DOTTED_RE,
    FUTURE_OFFSET_RE,
    FUTURE_OFFSET_UNITS,
    HOLIDAY_PATTERNS,
    ISO_DATE_RE,
    KLO_WORDS,
    LAST_WEEKDAY_MODIFIER_RE,
    MIDNIGHT_RE,
    MONTH_FIRST_DATE_RE,
    MONTH_SHIFT_DAY_RE,
    NEXT_WEEKDAY_MODIFIER_RE,
    NOON_RE,
    PAST_OFFSET_RE,
    PAST_OFFSET_UNITS,
    RELATIVE_DAY_PATTERNS,
    VAGUE_COUNTS,
    VAGUE_DAY_RE,
    WEEK_SHIFT_RE,
    WEEKDAY_RE,
    followed_by_unit,
    month_number,
    weekday_of_stem,
)

# "huomenna 10", "to 14": a bare number right after a day is an hour when nothing
# but the end of the phrase follows (so "huomenna 3 haastattelua" is not 03:00).
_BARE_HOUR_AFTER_DAY_RE = re.compile(
    r"\s{0,3}(?:,\s{0,3})?(?P<hour>[0-9]{1,2})(?![0-9])"
    r"(?=\s*$|\s{0,3}(?:[,?!]|\.(?:\s|$)|-\s{0,3}[0-9])"
    r"|\s{1,3}(?:tai|ja|asti|saakka|alkaen|aikaan|mennessa|jalkeen|paikkeilla|maissa"
    r"|aamulla|aamupaivalla|paivalla|iltapaivalla|illalla|yolla|ip|ap)\b)"
)
# Longest month lengths (leap year), for dates written without a year.
_MAX_DAY_IN_MONTH = {month: calendar.monthrange(2024, month)[1] for month in range(1, 13)}


def _date_is_possible(day: int, month: int, year: int | None) -> bool:
    """Whether day.month exists in ``year``, or in some year when no year is given."""
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= _MAX_DAY_IN_MONTH[month]
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return False
    return day <= calendar.monthrange(year, month)[1]


def _two_digit_year(text: str) -> int:
    # "25.11.26" is 2026: nobody books an appointment for 1926.
    value = int(text)
    return value + 2000 if len(text) == 2 else value


class _Scanner:
    """Runs the rules over one message; see the module docstring for the order."""

    def __init__(self, normalised: Normalised) -> None:
        self.source = normalised
        # The working copy; used spans are replaced by spaces of the same length so
        # that positions stay comparable with the source text.
        self.text = normalised.text
        self.facts = Facts()
        self.day_ends: list[int] = []

    # -- helpers -------------------------------------------------------------

    def _consume(self, spans: list[tuple[int, int]]) -> None:
        if not spans:
            return
        chars = list(self.text)
        for start, end in spans:
            chars[start:end] = " " * (end - start)
        self.text = "".join(chars)

    def _tokens(self) -> list[Token]:
        return [
            Token(m.group(), m.start(), m.end(), self.source.has_umlaut(m.start(), m.end()))
            for m in TOKEN_RE.finditer(self.text)
        ]

    def _add_date(self, day: int, month: int, year: int | None, start: int) -> None:
        if _date_is_possible(day, month, year):
            self.facts.dates.append(CalendarDate(day, month, year, start))
        else:
            self.facts.invalid = True

    # -- rules -----------------------------------------------------------------

    def offsets(self) -> None:
        spans: list[tuple[int, int]] = []
        for pattern, units, count_cases, sign in (
            (FUTURE_OFFSET_RE, FUTURE_OFFSET_UNITS, frozenset({Case.GEN}), 1),
            (PAST_OFFSET_RE, PAST_OFFSET_UNITS, frozenset({Case.NOM, Case.PART}), -1),
        ):
            for match in pattern.finditer(self.text):
                count_text = match.group("count")
                start = match.start("unit")
                amount: float = 1
                if count_text is not None:
                    if count_text in VAGUE_COUNTS:
                        self.facts.vague_day = True
                        spans.append((match.start(), match.end()))
                        continue
                    parsed = self._offset_count(count_text, count_cases)
                    if parsed is not None:
                        amount, start = parsed, match.start("count")
                unit = units[match.group("unit")]
                spans.append((start, match.end()))
                self._add_offset(unit, amount * sign, start)
        self._consume(spans)

    @staticmethod
    def _offset_count(text: str, cases: frozenset[Case]) -> float | None:
        if text[0].isdigit():
            return cardinal(text)
        if text in ("puolen", "puoli"):
            return 0.5
        if text in ("puolentoista", "puolitoista"):
            return 1.5
        word = number_word(text)
        if word is not None and word.cases & cases:
            return word.value
        return None

    def _add_offset(self, unit: str, amount: float, start: int) -> None:
        if unit == "vague":
            self.facts.vague_day = True
        elif unit in ("day", "week"):
            if amount != int(amount):
                # "puolen viikon päästä" names no particular day.
                self.facts.vague_day = True
                return
            days = int(amount) * (7 if unit == "week" else 1)
            weeks = int(amount) if unit == "week" else None
            self.facts.relative_days.append(RelativeDay(days, start, weeks))
        else:
            minutes = {"hour": 60, "minute": 1, "quarter": 15}[unit] * amount
            self.facts.elapsed.append((datetime.timedelta(minutes=round(minutes)), start))

    def named_dates(self) -> None:
        spans: list[tuple[int, int]] = []
        for pattern in (MONTH_FIRST_DATE_RE, DAY_FIRST_DATE_RE):
            for match in pattern.finditer(self.text):
                if followed_by_unit(self.text, match.end()):
                    continue
                year_text = match.group("year")
                self._add_date(
                    int(match.group("day")),
                    month_number(match.group("month")),
                    int(year_text) if year_text else None,
                    match.start(),
                )
                spans.append((match.start(), match.end()))
            # Consumed per pattern so "joulukuun 3. joulukuuta" cannot count twice.
            self._consume(spans)
        for holiday, day, month in HOLIDAY_PATTERNS:
            for match in holiday.finditer(self.text):
                self.facts.dates.append(CalendarDate(day, month, None, match.start()))
                spans.append((match.start(), match.end()))
        for match in ISO_DATE_RE.finditer(self.text):
            self._add_date(
                int(match.group("day")),
                int(match.group("month")),
                int(match.group("year")),
                match.start(),
            )
            spans.append((match.start(), match.end()))
        for match in MONTH_SHIFT_DAY_RE.finditer(self.text):
            day = int(match.group("day"))
            if not 1 <= day <= 31:
                self.facts.invalid = True
            else:
                shift = 1 if match.group("next") else 0
                self.facts.dates.append(CalendarDate(day, None, None, match.start(), shift))
            spans.append((match.start(), match.end()))
        self._consume(spans)
        for match in DAY_OF_MONTH_RE.finditer(self.text):
            day = int(match.group("day"))
            if not 1 <= day <= 31:
                self.facts.invalid = True
            else:
                self.facts.dates.append(CalendarDate(day, None, None, match.start()))
            spans.append((match.start(), match.end()))
        self._consume(spans)
        self.day_ends.extend(date_end for _, date_end in spans)

    def vague_days(self) -> None:
        spans = [(m.start(), m.end()) for m in VAGUE_DAY_RE.finditer(self.text)]
        if spans:
            self.facts.vague_day = True
        self._consume(spans)

    def days(self) -> None:
        spans: list[tuple[int, int]] = []
        for pattern, offset in RELATIVE_DAY_PATTERNS:
            for match in pattern.finditer(self.text):
                self.facts.relative_days.append(RelativeDay(offset, match.start()))
                spans.append((match.start(), match.end()))
            self._consume(spans)
        for match in WEEK_SHIFT_RE.finditer(self.text):
            shift = 1 if match.group("next") else (-1 if match.group("last") else 0)
            self.facts.week_shifts.append(shift)
            spans.append((match.start(), match.end()))
        for match in WEEKDAY_RE.finditer(self.text):
            self._add_weekday(weekday_of_stem(match.group("stem")), match.start())
            spans.append((match.start(), match.end()))
        self._consume(spans)
        abbreviations: dict[int, re.Match[str]] = {}
        for pattern in (
            ABBREVIATION_RE,
            ABBREVIATION_AFTER_MODIFIER_RE,
            ABBREVIATION_BEFORE_DAYPART_RE,
        ):
            for match in pattern.finditer(self.text):
                abbreviations.setdefault(match.start("abbr"), match)
        alone = ABBREVIATION_ALONE_RE.fullmatch(self.text)
        if alone is not None:
            abbreviations.setdefault(alone.start("abbr"), alone)
        for start in sorted(abbreviations):
            match = abbreviations[start]
            end = match.end("abbr")
            if self.source.has_umlaut(start, end):
                continue  # "mä" (I), not "ma" (Monday)
            self._add_weekday(ABBREVIATIONS[match.group("abbr")], start)
            spans.append((start, end))
        self._consume(spans)
        self.day_ends.extend(end for _, end in spans)

    def _add_weekday(self, weekday: int, start: int) -> None:
        before = self.source.text[max(0, start - 20) : start]
        mode = WeekdayMode.PLAIN
        if NEXT_WEEKDAY_MODIFIER_RE.search(before):
            mode = WeekdayMode.NEXT
        elif LAST_WEEKDAY_MODIFIER_RE.search(before):
            mode = WeekdayMode.LAST
        self.facts.weekdays.append(WeekdayRef(weekday, mode, start))

    def clock_tokens(self) -> None:
        tokens = self._tokens()
        spans: list[tuple[int, int]] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            phrase: ClockPhrase | None = None
            try:
                if token.text in KLO_WORDS:
                    phrase = self._after_klo(tokens, index)
                elif token.is_number and ":" in token.text:
                    phrase = self._colon_time(tokens, index)
                else:
                    phrase = clock_words_at(tokens, index, after_klo=False)
            except InvalidClock:
                self.facts.invalid = True
            if phrase is None:
                index += 1
                continue
            start = tokens[phrase.first].start
            end = tokens[phrase.next_index - 1].end
            self.facts.times.append(
                ClockTime(phrase.hour, phrase.minute, start, end, carry_days=phrase.carry_days)
            )
            spans.append((start, end))
            index = phrase.next_index
        self._consume(spans)

    @staticmethod
    def _after_klo(tokens: list[Token], index: int) -> ClockPhrase | None:
        target = index + 1
        if target < len(tokens) and tokens[target].text == "tasan":
            target += 1  # "klo tasan 12"
        if target >= len(tokens):
            return None
        if not tokens[target].is_number:
            phrase = clock_words_at(tokens, target, after_klo=True)
            if phrase is None:
                return None
            return ClockPhrase(
                phrase.hour, phrase.minute, index, phrase.next_index, phrase.carry_days
            )
        reading = digits_clock(tokens[target].text)
        if reading is None:
            return None
        hour, minute, carry = reading
        return ClockPhrase(hour, minute, index, target + 1, carry)

    @staticmethod
    def _colon_time(tokens: list[Token], index: int) -> ClockPhrase | None:
        text = tokens[index].text
        head = text.split(":", 1)[0]
        if "." in text or "," in text or len(head) > 2 or int(head) > 24:
            return None  # "45:30" is a race time, not a clock
        reading = digits_clock(text)
        if reading is None:
            return None
        hour, minute, carry = reading
        return ClockPhrase(hour, minute, index, index + 1, carry)

    def date_ranges(self) -> None:
        """Read a range of days in one month: "3.-5.12." starts on 3 December."""
        spans: list[tuple[int, int]] = []
        for match in DATE_RANGE_RE.finditer(self.text):
            year_text = match.group("year")
            year = _two_digit_year(year_text) if year_text else None
            first, last, month = (int(match.group(name)) for name in ("first", "last", "month"))
            if not _date_is_possible(last, month, year):
                continue  # not a range of days; the dotted rule reads it
            first_month, first_year = month, year
            if first > last:
                # "30.-2.12." runs from 30 November over the month end.
                first_month = 12 if month == 1 else month - 1
                if year is not None and month == 1:
                    first_year = year - 1
            if not _date_is_possible(first, first_month, first_year):
                continue
            self.facts.dates.append(CalendarDate(first, first_month, first_year, match.start()))
            spans.append((match.start(), match.end()))
        self._consume(spans)
        self.day_ends.extend(end for _, end in spans)

    def dotted(self) -> None:
        """Read dotted numbers: "25.11." is a date, "14.30" a time, "10.10" depends."""
        matches = [
            m for m in DOTTED_RE.finditer(self.text) if not followed_by_unit(self.text, m.end())
        ]
        ambiguous: list[re.Match[str]] = []
        spans: list[tuple[int, int]] = []
        for match in matches:
            first, second = int(match.group("a")), int(match.group("b"))
            year_text = match.group("year")
            year = _two_digit_year(year_text) if year_text else None
            trailing_dot = match.group("dot") is not None
            date_ok = _date_is_possible(first, second, year)
            time_ok = (
                year is None
                and len(match.group("b")) == 2
                and ((first <= 23 and second <= 59) or (first == 24 and second == 0))
            )
            spans.append((match.start(), match.end()))
            if year is not None or (date_ok and not time_ok):
                self._add_date(first, second, year, match.start())
            elif time_ok and not date_ok:
                self._add_time(first, second, match)
            elif date_ok and time_ok:
                if trailing_dot:
                    self._add_date(first, second, None, match.start())
                else:
                    ambiguous.append(match)
            elif trailing_dot or (1 <= first <= 31 and 1 <= second <= 12):
                # Shaped like a date that does not exist ("31.2.", "32.1.").
                self.facts.invalid = True
        for match in ambiguous:
            first, second = int(match.group("a")), int(match.group("b"))
            day_named = bool(self.facts.dates or self.facts.relative_days or self.facts.weekdays)
            # "huomenna 10.10" is a time; "10.10" alone is 10 October, as a
            # calendar entry is the commoner reading and minutes are rarely odd.
            if day_named and not self.facts.times and second % 5 == 0:
                self._add_time(first, second, match)
            else:
                self._add_date(first, second, None, match.start())
        self._consume(spans)
        date_starts = {found.start for found in self.facts.dates}
        self.day_ends.extend(m.end() for m in matches if m.start() in date_starts)

    def _add_time(self, hour: int, minute: int, match: re.Match[str]) -> None:
        carry = 0
        if hour == 24:
            hour, carry = 0, 1
        self.facts.times.append(
            ClockTime(hour, minute, match.start(), match.end(), carry_days=carry)
        )

    def bare_hours_after_days(self) -> None:
        spans: list[tuple[int, int]] = []
        for day_end in sorted(set(self.day_ends)):
            match = _BARE_HOUR_AFTER_DAY_RE.match(self.text, day_end)
            if match is None or followed_by_unit(self.text, match.end()):
                continue
            hour = int(match.group("hour"))
            if hour > 24:
                continue  # "ma 25" is more likely the 25th than an hour
            start, end = match.start("hour"), match.end("hour")
            self.facts.times.append(
                ClockTime(hour % 24, 0, start, end, carry_days=1 if hour == 24 else 0)
            )
            spans.append((start, end))
        self._consume(spans)

    def fixed_times(self) -> None:
        for pattern, hour in ((NOON_RE, 12), (MIDNIGHT_RE, 0)):
            for match in pattern.finditer(self.text):
                self.facts.times.append(
                    ClockTime(hour, 0, match.start(), match.end(), adjustable=False)
                )

    def dayparts(self) -> None:
        for match in TOKEN_RE.finditer(self.source.text):
            word = match.group()
            part = DAYPART_EXACT.get(word)
            if part is None:
                for form, candidate in DAYPART_FORMS:
                    if word.endswith(form):
                        prefix = word[: -len(form)]
                        if prefix in DAYPART_PREFIXES or WEEKDAY_RE.fullmatch(prefix):
                            part = candidate
                        break
            if part is not None:
                self.facts.dayparts.append(DayPartMark(part, match.start(), match.end()))


def extract(normalised: Normalised) -> Facts:
    """Run every rule over a normalised message and return what they found."""
    scanner = _Scanner(normalised)
    scanner.offsets()
    scanner.named_dates()
    scanner.vague_days()
    scanner.days()
    scanner.clock_tokens()
    scanner.date_ranges()
    scanner.dotted()
    scanner.bare_hours_after_days()
    if not scanner.facts.times:
        scanner.fixed_times()
    scanner.dayparts()
    return scanner.facts
