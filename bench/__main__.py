"""Run every benchmark: `python -m bench` (what `make bench` does)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from backend.settings import Settings
from bench import (
    checkins,
    digests,
    gateway_latency,
    inbound,
    memory,
    nlu,
    outbox,
    parsers,
    startup,
    timeparse,
)
from tests.e2e.stack import prepare_stack, start_serving, stop

# The latency and memory figures are of a stack as it runs in production: the real clock (not
# the tests' clock file, read on every look at the time) and the scheduler's own pace.
PRODUCTION_TIME = {
    "ASKEL_CLOCK": "system",
    "ASKEL_SCHEDULER_POLL_SECONDS": str(Settings.model_fields["scheduler_poll_seconds"].default),
}


def main() -> None:
    """The NLU comparison, one stack for the latency and memory figures, start-up time, then
    the channels: the outbox sender's throughput (about 7 minutes) and replies under load
    through Telegram's webhook (a stack of its own in webhook mode, about 3 minutes); last,
    10,000 morning check-ins due at once (about 15 minutes with PostgreSQL and the baseline)."""
    parsers.run()
    timeparse.run()
    nlu.run()
    digests.run()
    with tempfile.TemporaryDirectory() as folder:
        stack = prepare_stack(Path(folder), dt.datetime.now(dt.timezone.utc), PRODUCTION_TIME)
        start_serving(stack)
        try:
            gateway_latency.run(stack)
            memory.run(stack)
        finally:
            stop(stack)
    startup.run()
    outbox.run()
    inbound.run()
    checkins.run()


if __name__ == "__main__":
    main()
