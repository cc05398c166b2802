"""One client message through the system: stored, passed to Rasa, answered through the outbox.

Every channel (local, Telegram, SMS) hands its messages to `Conversations.handle`, so the rules
of storing first, dropping redeliveries, answering digits and keeping order live in one place.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
import weakref
from dataclasses import dataclass

from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.db import transaction
from backend.gateway.rasa_client import RasaClient, RasaUnavailable
from backend.models import ChannelIdentity, ChannelKind, OutboxState
from backend.services.choices import choice_payload, remember_choices
from backend.services.clients import identity_for_address
from backend.services.crisis import crisis_reply
from backend.services.inbound import mark_processed, record_inbound
from backend.services.keywords import Keyword, keyword_of
from backend.services.leaving import forget_after_turn
from backend.services.onboarding import needs_onboarding, start_onboarding
from backend.services.outbox import enqueue_replies
from backend.services.subscription import receives_messages, resume_messages, stop_messages
from backend.stack.tracker_store import forget_conversation
from backend.texts.responses import Reply

logger = logging.getLogger(__name__)

# Longer texts are cut before they reach the model: a wall of text is still read for its start.
MAX_TEXT_TO_RASA = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """A client's text as the dialogue sees it.

    Control characters go, and so do leading slashes: "/intent" is how Rasa is told an intent
    directly, and only the gateway's own choices may do that.
    """
    cleaned = _CONTROL.sub(" ", text).strip().lstrip("/").strip()
    return cleaned[:MAX_TEXT_TO_RASA]


@dataclass(frozen=True)
class _Turn:
    client_id: int
    identity_id: int
    conversation_id: str
    language: str
    inbound_id: int
    message: str
    # An answer decided by the gateway itself (a crisis), given without asking Rasa.
    immediate: Reply | None = None


class Conversations:
    """Handles client messages for every channel of one gateway process."""

    def __init__(self, context: AppContext, rasa: RasaClient) -> None:
        self._context = context
        self._rasa = rasa
        # One turn at a time per client, so that replies keep the order of the messages. A lock
        # lives only while a turn holds or awaits it, so the map does not grow with every client.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, client_id: int) -> asyncio.Lock:
        lock = self._locks.get(client_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[client_id] = lock
        return lock

    def _store(
        self, channel: ChannelKind, address: str, text: str, external_id: str | None
    ) -> _Turn | None:
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            identity = identity_for_address(session, channel, address, now)
            client = identity.client
            inbound, is_new = record_inbound(session, channel, external_id, client.id, text, now)
            if not is_new:
                return None
            immediate, message = self._route(session, identity, text, inbound.id, now)
            return _Turn(
                client.id,
                identity.id,
                client.conversation_id,
                client.language,
                inbound.id,
                message,
                immediate,
            )

    def _route(
        self,
        session: Session,
        identity: ChannelIdentity,
        text: str,
        inbound_id: int,
        now: dt.datetime,
    ) -> tuple[Reply | None, str]:
        """What a message needs: an answer from the gateway itself, or a message for Rasa.

        A crisis comes first, in any state; then the keywords; a client who has stopped
        messages hears how to come back; a client not yet asked for consent starts onboarding
        (whatever their first words); everything else goes to the dialogue.
        """
        client = identity.client
        renderer = self._context.renderer
        crisis = crisis_reply(session, client, text, inbound_id, now, renderer)
        if crisis is not None:
            return crisis, ""
        keyword = keyword_of(text)
        if keyword is Keyword.STOP:
            stop_messages(session, client, now)
            return renderer.render("utter_stopped", client.language), ""
        if keyword is Keyword.START:
            resume_messages(client)
            if not needs_onboarding(client):
                return renderer.render("resumed", client.language), ""
        elif not receives_messages(client):
            return renderer.render("stopped_hint", client.language), ""
        if needs_onboarding(client):
            start_onboarding(client, now)
            return None, "/start_onboarding"
        if keyword is Keyword.MENU:
            return None, "/help"
        return None, choice_payload(identity, text) or clean_text(text)

    async def handle(
        self, channel: ChannelKind, address: str, text: str, external_id: str | None = None
    ) -> list[Reply]:
        """Process one inbound message and return the replies to it (none for a redelivery).

        The replies are also written to the outbox: as delivered for the local channel, which
        returns them in its HTTP answer, and as pending for channels that a sender delivers.
        """
        started = time.perf_counter()
        turn = self._store(channel, address, text, external_id)
        if turn is None:
            return []
        stored = time.perf_counter()
        async with self._lock(turn.client_id):
            if turn.immediate is not None:
                replies = [turn.immediate]
                processed = True
            elif not turn.message:
                replies = [self._context.renderer.render("gateway_empty_message", turn.language)]
                processed = True
            else:
                try:
                    replies = await self._rasa.send(turn.conversation_id, turn.message)
                    processed = True
                    if not replies:
                        # Every message gets an answer; silence means a step of the turn failed.
                        replies = [self._context.renderer.render("utter_default", turn.language)]
                except RasaUnavailable as error:
                    # The message stays stored as received, to be processed when Rasa is back.
                    logger.warning("Rasa unavailable for a turn: %s", error)
                    replies = [self._context.renderer.render("gateway_unavailable", turn.language)]
                    processed = False
            answered = time.perf_counter()
            self._answer(channel, turn, replies, processed)
        logger.debug(
            "turn %s: store %.1f ms, dialogue %.1f ms, answer %.1f ms",
            turn.inbound_id,
            (stored - started) * 1000,
            (answered - stored) * 1000,
            (time.perf_counter() - answered) * 1000,
        )
        return replies

    def _answer(
        self, channel: ChannelKind, turn: _Turn, replies: list[Reply], processed: bool
    ) -> None:
        now = self._context.clock.now()
        state = OutboxState.DELIVERED if channel is ChannelKind.LOCAL else OutboxState.PENDING
        with transaction(self._context.sessions) as session:
            identity = session.get_one(ChannelIdentity, turn.identity_id)
            enqueue_replies(
                session,
                identity,
                replies,
                now,
                dedupe_prefix=f"reply:{turn.inbound_id}",
                in_reply_to=turn.inbound_id,
                state=state,
                replayable=False,
            )
            remember_choices(identity, replies)
            if processed:
                mark_processed(session, turn.inbound_id, now)
            forget = forget_after_turn(session, identity.client)
        if forget:
            forget_conversation(self._context.settings, turn.conversation_id)
