"""Our Finnish time parser against dateparser's Finnish parsing, on the same corpus, in one run.

The corpus (bench/data/timeparse_corpus.tsv, written by hand) holds the phrases clients write
and the value a Finnish reader expects, read on Monday 2026-11-23 at 09:00 in Helsinki: a time
of day where the phrase names one, a day alone where it names none, and null where it names no
day or time at all (or one that does not exist). A phrase counts as right only when the whole
value is right. dateparser is given its best chance: Finnish only, future dates preferred, and
both its `parse` and its `search_dates` (which finds a date inside a sentence) are scored.
Target: our accuracy at least 0.97 and above dateparser's.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from backend.timeparse import parse_time
from bench.common import write_result

CORPUS = Path(__file__).resolve().parent / "data" / "timeparse_corpus.tsv"
NOW = dt.datetime(2026, 11, 23, 9, 0)
TARGET = 0.97
# Each parser reads the whole corpus this many times for its phrases a second.
ROUNDS = 3

Parser = Callable[[str], str | None]


def corpus() -> list[tuple[str, str | None]]:
    """(phrase, expected value or None), skipping comments."""
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        text, expected = line.split("\t")
        rows.append((text, None if expected == "null" else expected))
    return rows


def ours(text: str) -> str | None:
    """Askel's parser, as `askel parse-time` prints it."""
    found = parse_time(text, NOW)
    return None if found is None else found.to_value()


def _as_value(found: dt.datetime | None, expected: str | None) -> str | None:
    """dateparser always gives a datetime: a day alone is compared as a day."""
    if found is None:
        return None
    if expected is not None and "T" not in expected:
        return found.date().isoformat()
    return found.strftime("%Y-%m-%dT%H:%M")


def dateparser_parsers() -> dict[str, Callable[[str, str | None], str | None]]:
    """dateparser's `parse` and `search_dates`, set up for Finnish and future dates."""
    import dateparser  # type: ignore[import-untyped]
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    settings: Any = {
        "RELATIVE_BASE": NOW,
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }

    def parse(text: str, expected: str | None) -> str | None:
        return _as_value(dateparser.parse(text, languages=["fi"], settings=settings), expected)

    def search(text: str, expected: str | None) -> str | None:
        found = search_dates(text, languages=["fi"], settings=settings)
        return _as_value(found[0][1] if found else None, expected)

    return {"dateparser.parse": parse, "dateparser.search_dates": search}


def score(
    name: str, parse: Callable[[str, str | None], str | None], rows: list[tuple[str, str | None]]
) -> dict[str, Any]:
    """Accuracy, phrases a second, and the phrases it got wrong."""
    wrong = []
    started = time.perf_counter()
    for round_number in range(ROUNDS):
        for text, expected in rows:
            got = parse(text, expected)
            if round_number == 0 and got != expected:
                wrong.append({"text": text, "expected": expected, "got": got})
    elapsed = time.perf_counter() - started
    return {
        "parser": name,
        "accuracy": round(1 - len(wrong) / len(rows), 4),
        "phrases_per_second": round(ROUNDS * len(rows) / elapsed, 1),
        "wrong": wrong,
    }


def run() -> dict[str, Any]:
    """Score every parser; print a table and write bench/results/timeparse.json."""
    rows = corpus()
    parsers: dict[str, Callable[[str, str | None], str | None]] = {
        "askel": lambda text, _expected: ours(text)
    }
    with warnings.catch_warnings():
        # dateparser warns about pytz and its own regexes on every import; not ours to fix.
        warnings.simplefilter("ignore")
        parsers.update(dateparser_parsers())
        results = [score(name, parse, rows) for name, parse in parsers.items()]
    best_other = max(r["accuracy"] for r in results[1:])
    figures = {
        "phrases": len(rows),
        "now": NOW.isoformat(),
        "target_accuracy": TARGET,
        "meets_target": results[0]["accuracy"] >= TARGET and results[0]["accuracy"] > best_other,
        "parsers": results,
    }
    write_result("timeparse", figures)
    print(f"time phrases: {len(rows)} (read on {NOW:%Y-%m-%d %H:%M})")
    print(f"{'parser':26} {'accuracy':>8} {'phrases/s':>10} {'wrong':>6}")
    for result in results:
        print(
            f"{result['parser']:26} {result['accuracy']:8.3f} "
            f"{result['phrases_per_second']:10.1f} {len(result['wrong']):6d}"
        )
    return figures


if __name__ == "__main__":
    run()
