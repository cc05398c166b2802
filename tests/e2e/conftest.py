"""The real stack (Rasa server with the trained model, action server, gateway, scheduler)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import Stack, prepare_stack, start_serving, stop

# Monday 23 November 2026, 09:00 in Helsinki.
START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One running stack shared by the end-to-end tests; stopped, and checked stopped, after."""
    running = prepare_stack(tmp_path_factory.mktemp("stack"), START)
    start_serving(running)
    yield running
    assert stop(running) == set(), "processes of the stack were left running"
