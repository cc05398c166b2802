"""The action server: only the Rasa server with the token gets in, and no failure leaks data."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import httpx
import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.greet import ActionGreet
from backend.actionserver import app as action_app
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import ChannelKind
from backend.services.clients import client_for_address

AUTH = {"Authorization": "Bearer test-actions-token"}
SECRET_WORDS = "Aino Virtanen 0401234567 en jaksa"


def _tracker(sender_id: str, text: str = "moi") -> dict[str, Any]:
    return {
        "sender_id": sender_id,
        "slots": {"phone": "0401234567"},
        "latest_message": {"text": text, "intent": {"name": "greet"}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }


class ActionThatBreaks(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_that_breaks"

    def run(self, dispatcher: Any, tracker: Tracker, domain: Any) -> list[Any]:
        raise RuntimeError(SECRET_WORDS)


def _http(app: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://actions.test")


def _client(context: AppContext) -> str:
    with transaction(context.sessions) as session:
        client = client_for_address(session, ChannelKind.LOCAL, "aino", context.clock.now())
        client.display_name = "Aino Virtanen"
        return client.conversation_id


async def test_requests_without_the_token_are_refused(context: AppContext) -> None:
    client = _http(action_app.create_app(context))
    call = {"next_action": "action_greet", "tracker": _tracker("x"), "domain": {}}
    assert (await client.post("/webhook", json=call)).status_code == 403
    wrong = {"Authorization": "Bearer no"}
    assert (await client.post("/webhook", json=call, headers=wrong)).status_code == 403
    assert (await client.post("/nlg", json={"response": "utter_help"})).status_code == 403
    assert (await client.get("/health")).status_code == 200


async def test_greet_uses_the_clients_name_and_time_of_day(context: AppContext) -> None:
    conversation = _client(context)
    client = _http(action_app.create_app(context))
    call = {"next_action": "action_greet", "tracker": _tracker(conversation), "domain": {}}
    answer = (await client.post("/webhook", json=call, headers=AUTH)).json()
    [response] = answer["responses"]
    assert response["response"] == "utter_greet_named"
    assert response["greeting"] == "Huomenta" and response["name"] == "Aino"


async def test_the_nlg_endpoint_renders_finnish_with_buttons(context: AppContext) -> None:
    client = _http(action_app.create_app(context))
    body = {
        "response": "utter_greet",
        "arguments": {"greeting": "Hei"},
        "tracker": _tracker("unknown"),
        "channel": {"name": "askel"},
    }
    answer = (await client.post("/nlg", json=body, headers=AUTH)).json()
    assert answer["text"].startswith("Hei! Täällä Askel")
    assert answer["buttons"] == [{"title": "Mitä osaat?", "payload": "/help"}]


async def test_a_failing_action_answers_without_the_tracker_and_logs_no_words(
    context: AppContext, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        action_app, "build_actions", lambda ctx: [ActionGreet(ctx), ActionThatBreaks()]
    )
    client = _http(action_app.create_app(context))
    call = {"next_action": "action_that_breaks", "tracker": _tracker("x", SECRET_WORDS)}
    with caplog.at_level(logging.DEBUG):
        response = await client.post("/webhook", json=call, headers=AUTH)
    assert response.status_code == 500
    assert response.json() == {"error": "action failed", "action_name": "action_that_breaks"}
    assert "0401234567" not in caplog.text and "Aino" not in caplog.text
    assert "RuntimeError" in caplog.text


async def test_an_unrenderable_response_fails_without_leaking(
    context: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    client = _http(action_app.create_app(context))
    body = {"response": "utter_greet_named", "arguments": {}, "tracker": _tracker("x")}
    with caplog.at_level(logging.DEBUG):
        response = await client.post("/nlg", json=body, headers=AUTH)
    assert response.status_code == 500 and response.json() == {"error": "cannot render"}
    body = {"response": "utter_nothing", "tracker": _tracker("x", SECRET_WORDS)}
    assert (await client.post("/nlg", json=body, headers=AUTH)).status_code == 500
    assert "en jaksa" not in caplog.text


async def test_greet_action_with_a_collecting_dispatcher(
    context: AppContext, clock: FakeClock
) -> None:
    conversation = _client(context)
    clock.set(dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.timezone.utc))  # 21:00 in Helsinki
    dispatcher = CollectingDispatcher()
    events = await ActionGreet(context).run(
        dispatcher, Tracker.from_dict(_tracker(conversation)), {}
    )
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_greet_named"
    assert dispatcher.messages[0]["greeting"] == "Hyvää iltaa"
