"""The real stack (Rasa server with the trained model, action server, gateway, scheduler)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import Stack, prepare_stack, start_serving, stop
from tests.fakes.telegram_api import DEFAULT_TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import DEFAULT_ACCOUNT_SID as TWILIO_SID
from tests.fakes.twilio_api import DEFAULT_AUTH_TOKEN as TWILIO_TOKEN
from tests.fakes.twilio_api import FakeTwilioApi

TWILIO_FROM = "+358450000000"

# Monday 23 November 2026, 09:00 in Helsinki.
START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def telegram_api() -> Iterator[FakeTelegramApi]:
    """The fake Bot API the stack's Telegram channel talks to (long polling)."""
    with FakeTelegramApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def twilio_api() -> Iterator[FakeTwilioApi]:
    """The fake Twilio API the stack sends SMS through."""
    with FakeTwilioApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    telegram_api: FakeTelegramApi,
    twilio_api: FakeTwilioApi,
) -> Iterator[Stack]:
    """One running stack shared by the end-to-end tests, with Telegram (long polling) and SMS
    against fake providers; stopped, and checked stopped, after."""
    channels = {
        "ASKEL_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "ASKEL_TELEGRAM_API_URL": telegram_api.url,
        "ASKEL_TELEGRAM_MODE": "polling",
        "ASKEL_TELEGRAM_BOT_USERNAME": telegram_api.username,
        "ASKEL_TELEGRAM_CHAT_INTERVAL_SECONDS": "0.2",
        "ASKEL_TWILIO_ACCOUNT_SID": TWILIO_SID,
        "ASKEL_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "ASKEL_TWILIO_FROM": TWILIO_FROM,
        "ASKEL_TWILIO_API_URL": twilio_api.url,
        "ASKEL_TWILIO_MESSAGES_PER_SECOND": "0",
        "ASKEL_OUTBOX_POLL_SECONDS": "0.05",
    }
    running = prepare_stack(tmp_path_factory.mktemp("stack"), START, channels)
    running.env["ASKEL_PUBLIC_URL"] = running.url  # Twilio signs for and calls back here
    start_serving(running)
    yield running
    assert stop(running) == set(), "processes of the stack were left running"
