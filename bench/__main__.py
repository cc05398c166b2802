"""Run every benchmark: `python -m bench` (what `make bench` does)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from bench import gateway_latency, memory, nlu, parsers, startup
from tests.e2e.stack import prepare_stack, start_serving, stop


def main() -> None:
    """The NLU comparison, one stack for the latency and memory figures, then start-up time."""
    parsers.run()
    nlu.run()
    with tempfile.TemporaryDirectory() as folder:
        stack = prepare_stack(Path(folder), dt.datetime.now(dt.timezone.utc))
        start_serving(stack)
        try:
            gateway_latency.run(stack)
            memory.run(stack)
        finally:
            stop(stack)
    startup.run()


if __name__ == "__main__":
    main()
