"""Time from `make run` (environments built, model unchanged) to the chat prompt. Target: 45 s."""

from __future__ import annotations

import datetime as dt
import os
import pty
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import write_result
from tests.e2e.stack import ROOT, prepare_stack, read_until, take_terminal


def _seconds_to_prompt(env: dict[str, str]) -> float:
    controller, terminal = pty.openpty()
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        env=env,
        cwd=ROOT,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
        preexec_fn=take_terminal,
    )
    os.close(terminal)
    try:
        read_until(controller, "Sinä: ", 300, [])
        elapsed = time.monotonic() - started
        # Ctrl-C as a person types it, not in the same instant the prompt appears: CPython's
        # readline can miss a SIGINT that lands between its signal check and its select().
        time.sleep(1)
        os.write(controller, b"\x03")
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return elapsed


def run(repeats: int = 3) -> dict[str, Any]:
    """Start `make run` `repeats` times, each in a fresh folder; the median time to the prompt."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as folder:
            stack = prepare_stack(
                Path(folder), dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            )
            times.append(_seconds_to_prompt(stack.env))
    figures = {
        "unit": "s",
        "runs": [round(value, 2) for value in times],
        "median": round(statistics.median(times), 2),
        "target_under": 45,
    }
    write_result("startup", figures)
    print(f"make run to chat prompt: median {figures['median']} s over {repeats} runs")
    return figures
