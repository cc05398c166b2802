"""The digest in words: an HTML email with a plain-text part, and text for Telegram.

Every word comes from the catalog (`locales/fi/LC_MESSAGES/digest.po`) through the `Renderer`
(Babel plurals: "1 tapaaminen", "3 tapaamista"); dates, times and numbers from
`backend.texts.formatting`. The templates (`templates/digest.html`, `templates/digest.txt`) only
arrange them. The chart is inline SVG: no image to host or attach, and it scales on a phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from backend.digest.build import Attention, AttentionKind, ChartDay, ClientWeek, CoachDigest
from backend.services.rhythm_summary import RhythmWeek
from backend.texts.formatting import clock_time, date_and_time, number, short_date
from backend.texts.responses import Renderer

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Telegram refuses a message over 4096 characters; a long digest goes in parts of at most this.
TELEGRAM_LIMIT = 4000
# The chart's wake-up axis: earlier or later wake-ups are drawn at its edge.
WAKE_AXIS = (5 * 60, 13 * 60)
_WIDTH, _HEIGHT, _PAD = 300, 96, 4


@dataclass(frozen=True)
class RenderedDigest:
    """A digest ready to send: the email's subject, its two parts, and Telegram's messages."""

    subject: str
    text: str
    html: str

    def telegram_parts(self) -> list[str]:
        """The text cut at blank lines into messages Telegram accepts, in order."""
        parts: list[str] = []
        current = ""
        for block in self.text.strip().split("\n\n"):
            candidate = f"{current}\n\n{block}" if current else block
            if len(candidate) <= TELEGRAM_LIMIT:
                current = candidate
                continue
            if current:
                parts.append(current)
            # A single block longer than a message (it never is in practice) is cut hard.
            while len(block) > TELEGRAM_LIMIT:
                parts.append(block[:TELEGRAM_LIMIT])
                block = block[TELEGRAM_LIMIT:]
            current = block
        if current:
            parts.append(current)
        return parts


class DigestRenderer:
    """Renders digests in one language; build it once and reuse it (templates are compiled)."""

    def __init__(self, renderer: Renderer, language: str = "fi") -> None:
        self._texts = renderer
        self._language = language
        # Babel's number formatting is slow for how often the same few moods and counts recur
        # (a tenth of a digest's rendering time): each number is formatted once.
        self._numbers: dict[tuple[type, float], str] = {}
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._env.globals.update(
            t=self.t,
            count=self.count,
            day=short_date,
            at=date_and_time,
            num=self._num,
            attention=self.attention,
            wake=lambda rhythm: _span(rhythm.wake_median, rhythm.wake_earliest, rhythm.wake_latest),
            bed=lambda rhythm: _span(rhythm.bed_median, rhythm.bed_earliest, rhythm.bed_latest),
            mood=self.mood,
            chart=self.chart,
        )
        self._html = self._env.get_template("digest.html")
        self._text = self._env.get_template("digest.txt")
        self._client = self._env.get_template("client.txt")

    def t(self, msgid: str, /, **values: object) -> str:
        """The catalog's text of `msgid`."""
        return self._texts.text(msgid, self._language, **values)

    def count(self, msgid: str, n: int) -> str:
        """A number with its noun in the right form."""
        return self._texts.count(msgid, n, self._language)

    def attention(self, item: Attention) -> str:
        """One line of the attention list."""
        name = f"digest_attention_{item.kind.value}"
        if item.kind is AttentionKind.SILENT:
            return self.t(name, client=item.client, n=item.days)
        if item.kind is AttentionKind.MOOD_FALLING and item.moods is not None:
            before, now = item.moods
            return self.t(name, client=item.client, first=self._num(before), last=self._num(now))
        return self.t(name, client=item.client, first=short_date(item.day) if item.day else "")

    def mood(self, rhythm: RhythmWeek) -> str:
        """'3,4, laski (edellinen viikko 4,0)', or 'ei tietoa'."""
        if rhythm.mood_average is None:
            return self.t("digest_no_data")
        words = self._num(rhythm.mood_average)
        if rhythm.mood_trend is not None and rhythm.mood_previous_average is not None:
            trend = self.t(f"digest_trend_{rhythm.mood_trend.value}")
            previous = self._num(rhythm.mood_previous_average)
            words += f", {trend} ({self.t('digest_previous_week')} {previous})"
        return words

    def _num(self, value: float) -> str:
        key = (type(value), value)
        formatted = self._numbers.get(key)
        if formatted is None:
            formatted = self._numbers[key] = number(value, self._language)
        return formatted

    def chart(self, days: Sequence[ChartDay]) -> Markup:
        """The days' mood (a line on 1-5) and wake-up times (dots, earlier higher) as SVG."""
        if not days:
            return Markup("")
        step = (_WIDTH - 2 * _PAD) / max(len(days) - 1, 1)

        def x(index: int) -> float:
            return round(_PAD + index * step, 1)

        def y(share: float) -> float:  # share 0..1 from the bottom
            return round(_HEIGHT - _PAD - share * (_HEIGHT - 2 * _PAD), 1)

        weeks = "".join(
            f'<line x1="{x(i)}" y1="0" x2="{x(i)}" y2="{_HEIGHT}" stroke="#dddddd"/>'
            for i in range(7, len(days), 7)
        )
        segments: list[list[str]] = [[]]
        for index, item in enumerate(days):
            if item.mood is None:
                segments.append([])
                continue
            segments[-1].append(f"{x(index)},{y((item.mood - 1) / 4)}")
        moods = "".join(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#2a6fb0" stroke-width="2"/>'
            if len(points) > 1
            else f'<circle cx="{points[0].split(",")[0]}" cy="{points[0].split(",")[1]}" r="2" '
            'fill="#2a6fb0"/>'
            for points in segments
            if points
        )
        low, high = WAKE_AXIS
        wakes = "".join(
            f'<circle cx="{x(index)}" cy="{y(_wake_share(item.wake, low, high))}" r="2.5" '
            'fill="#d9822b"/>'
            for index, item in enumerate(days)
            if item.wake is not None
        )
        title = escape(
            f"{self.t('digest_chart_title')}: {self.t('digest_chart_mood')}, "
            f"{self.t('digest_chart_wake')}"
        )
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
            f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-label="{title}">'
            f"<title>{title}</title>"
            f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#fafafa" stroke="#cccccc"/>'
            f"{weeks}{moods}{wakes}</svg>"
        )

    def render(self, digest: CoachDigest) -> RenderedDigest:
        """The digest's subject, plain text and HTML."""
        first, last = short_date(digest.week_start), short_date(digest.week_end)
        values = {"digest": digest, "first": first, "last": last}
        return RenderedDigest(
            subject=self.t("digest_subject", first=first, last=last),
            text=self._text.render(values),
            html=self._html.render(values),
        )

    def client_text(self, client: ClientWeek) -> str:
        """One client's part of the text digest, as their coach reads it."""
        return self._client.render({"client": client}).strip()


def _wake_share(wake: dt.time, low: int, high: int) -> float:
    """Where a wake-up sits on the axis, 1 at its earliest: an early morning is drawn high."""
    minutes = min(max(wake.hour * 60 + wake.minute, low), high)
    return 1 - (minutes - low) / (high - low)


def _span(median: dt.time | None, earliest: dt.time | None, latest: dt.time | None) -> str:
    """'klo 8.15 (7.30-9.40)', or 'klo 8.15' for a single day; '' when there is none."""
    if median is None or earliest is None or latest is None:
        return ""
    if earliest == latest:
        return clock_time(median)
    return f"{clock_time(median)} ({_bare(earliest)}-{_bare(latest)})"


def _bare(moment: dt.time) -> str:
    return clock_time(moment).removeprefix("klo ")
