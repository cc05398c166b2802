"""The two parsers every message meets: crisis detection and time expressions, on worst cases.

Each runs on inputs built to be slow (long messages that start many patterns and finish none),
and on an ordinary short message; the figures are medians of repeated single calls.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

from backend.safety import detect_crisis
from backend.timeparse import parse_time
from bench.common import write_result

NOW = dt.datetime(2026, 11, 23, 9, 0)
_UNIT = "en ei ma i ku jos oon a "
INPUTS = {
    "short message": "mulla on lääkäri torstaina klo 14",
    "20,000 characters of short words": (_UNIT * (20_000 // len(_UNIT) + 1))[:20_000],
    "16,000 characters of dates": "25.11. " * 2_300,
    "16,000 characters of weekday hours": "to 1 " * 3_200,
    "16,000 characters of time phrases": "kymmeneltä huomenna puoli kymmenen " * 450,
}


def _median_ms(call: Callable[[], object], repeats: int = 15) -> float:
    call()  # warm up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run() -> dict[str, Any]:
    """Measure both parsers on every input; print and write bench/results/parsers.json."""
    figures: dict[str, Any] = {"unit": "ms (median of 15 calls)", "crisis": {}, "time": {}}
    for name, text in INPUTS.items():
        figures["crisis"][name] = _median_ms(lambda text=text: detect_crisis(text))
        figures["time"][name] = _median_ms(lambda text=text: parse_time(text, NOW))
    write_result("parsers", figures)
    for name in INPUTS:
        print(
            f"parsers: {name}: crisis {figures['crisis'][name]:.2f} ms, "
            f"time {figures['time'][name]:.2f} ms"
        )
    return figures


if __name__ == "__main__":
    run()
