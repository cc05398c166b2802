"""Fixtures of the unit tests that talk to fakes on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.rasa_server import FakeRasa, running_fake_rasa


@pytest.fixture
async def rasa() -> AsyncIterator[FakeRasa]:
    """A fake of Askel's Rasa channel; its token is the test settings' `test-rasa-token`."""
    async with running_fake_rasa() as fake:
        yield fake
