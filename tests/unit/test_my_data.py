"""'mitä tietoja minusta on?': what is stored, who sees it, and what the coach's digest says."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.my_data import ActionShowMyData
from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.digest.render import DigestRenderer
from backend.digest.sending import DigestPolicy
from backend.models import Client, Consent
from backend.services.my_data import digest_preview
from tests.unit.test_digest import HELSINKI, NOW, make_week
from tests.unit.trackers import tracker_for


async def _show(context: AppContext, conversation: str) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionShowMyData(context).run(
        dispatcher, tracker_for(conversation, "mitä tietoja minusta on?"), {}
    )
    assert events == []
    return dispatcher.messages


def _named(context: AppContext, name: str) -> Client:
    with transaction(context.sessions) as session:
        client = session.scalars(select(Client).where(Client.display_name == name)).one()
        session.expunge(client)
        return client


async def test_aino_hears_what_is_stored_and_what_maijas_digest_says_about_her(
    context: AppContext, clock: FakeClock
) -> None:
    clock.set(NOW)
    with transaction(context.sessions) as session:
        make_week(session)
    aino = _named(context, "Aino Virtanen")
    with transaction(context.sessions) as session:
        preview = digest_preview(
            session,
            session.get_one(Client, aino.id),
            NOW,
            DigestPolicy(HELSINKI, 3),
            DigestRenderer(context.renderer),
        )
    assert preview is not None
    stored, digest = await _show(context, aino.conversation_id)
    assert stored["response"] == "utter_my_data_coach"
    assert digest["text"] == (
        "Viime viikon yhteenvedossa ohjaajasi näkee sinusta tämän:\n"
        f"{preview}\n"
        "Jos jokin ei pidä paikkaansa, voit kertoa siitä ohjaajallesi."
    )
    assert "Vaihe 1: Aktivointi" in digest["text"] and "Eero" not in digest["text"]
    # No blank line, so that the channels send it as one message.
    assert "\n\n" not in digest["text"]


async def test_a_client_who_did_not_consent_sees_that_the_digest_says_only_that(
    context: AppContext, clock: FakeClock
) -> None:
    clock.set(NOW)
    with transaction(context.sessions) as session:
        make_week(session)
    liisa = _named(context, "Liisa Koski")
    assert liisa.consent is not Consent.GIVEN
    _stored, digest = await _show(context, liisa.conversation_id)
    assert "\nei suostumusta tietojen jakamiseen\n" in digest["text"]


async def test_a_client_without_a_coach_is_told_no_one_else_sees_and_gets_no_preview(
    context: AppContext, clock: FakeClock
) -> None:
    clock.set(NOW)
    with transaction(context.sessions) as session:
        loner = Client(created_at=NOW, consent=Consent.GIVEN)
        session.add(loner)
        session.flush()
        conversation = loner.conversation_id
    [stored] = await _show(context, conversation)
    assert stored["response"] == "utter_my_data"
