"""The local channel over HTTP (the terminal chat's way in): a message gets its replies in the
answer; a malformed one is refused, and nothing is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from backend.context import AppContext, build_context
from backend.db import transaction
from backend.gateway.app import create_app
from backend.models import InboundMessage
from backend.settings import Settings
from tests.conftest import changed
from tests.fakes.rasa_server import FakeRasa


@pytest.fixture
async def local(
    settings: Settings, context: AppContext, rasa: FakeRasa
) -> AsyncIterator[httpx.AsyncClient]:
    configured = changed(settings, rasa_port=int(rasa.url.rsplit(":", 1)[1]))
    built = build_context(configured, context.clock)
    app = create_app(built)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://askel") as client:
            yield client
    built.close()


def _stored(context: AppContext) -> int:
    with transaction(context.sessions) as session:
        return session.scalar(select(func.count()).select_from(InboundMessage)) or 0


async def test_a_message_gets_the_bots_replies_in_the_answer(
    local: httpx.AsyncClient, context: AppContext, rasa: FakeRasa
) -> None:
    rasa.answer = [{"text": "Hei!", "buttons": [{"title": "Apua", "payload": "/help"}]}]
    # A new sender starts onboarding, which is also Rasa's to answer.
    answer = await local.post("/channels/local/messages", json={"sender_id": "aino", "text": "moi"})
    assert answer.status_code == 200
    assert answer.json() == {
        "messages": [{"text": "Hei!", "buttons": [{"title": "Apua", "payload": "/help"}]}]
    }
    assert _stored(context) == 1


@pytest.mark.parametrize(
    "body",
    [
        b'{"sender_id": "", "text": "moi"}',
        b'{"sender_id": "aino"}',
        b'{"sender_id": "aino", "text": 5}',
        b"moi",
    ],
)
async def test_a_malformed_message_is_refused_without_echoing_it(
    local: httpx.AsyncClient, context: AppContext, body: bytes
) -> None:
    answer = await local.post(
        "/channels/local/messages", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert "moi" not in answer.text
    assert _stored(context) == 0


async def test_messages_sent_on_the_bots_own_are_fetched_from_the_same_address(
    local: httpx.AsyncClient,
) -> None:
    answer = await local.get("/channels/local/messages", params={"sender_id": "aino"})
    assert answer.status_code == 200 and answer.json() == {"messages": []}
