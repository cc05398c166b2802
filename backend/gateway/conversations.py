"""One client message through the system: stored, passed to Rasa, answered through the outbox.

Every channel (local, Telegram, SMS) hands its messages here, so the rules of storing first,
dropping redeliveries, enrolment by invite, answering digits and keeping order live in one
place. `receive` stores a message and decides its route in one transaction; `process` gives it
to the dialogue. A webhook acknowledges between the two, so a provider never waits for Rasa.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import weakref
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.db import transaction
from backend.gateway.rasa_client import RasaClient, RasaUnavailable
from backend.models import ChannelIdentity, ChannelKind, Client, InboundMessage, OutboxState
from backend.safety import detect_crisis
from backend.services.checkin_opening import first_answer_message, take_open_checkin
from backend.services.checkins import replan_checkins
from backend.services.choices import (
    ChoiceFacts,
    choice_payload,
    offered_choices,
    remember_choices,
    remember_choices_of,
)
from backend.services.clients import (
    Sender,
    client_standing,
    find_identity,
    identity_for_address,
    mark_seen,
    sender_at,
)
from backend.services.crisis import crisis_reply
from backend.services.enrolment import InviteProblem, Redeemed, code_in, redeem_invite
from backend.services.inbound import (
    already_received,
    assign_inbound,
    clients_waiting,
    has_waiting,
    mark_processed,
    record_inbound,
    waiting_messages,
)
from backend.services.keywords import Keyword, keyword_of
from backend.services.leaving import forget_after_turn, must_forget
from backend.services.onboarding import needs_onboarding, start_onboarding
from backend.services.outbox import Address, Recipient, write_replies
from backend.services.strangers import may_answer, secret_key, sender_hash
from backend.services.subscription import receives_messages, resume_messages, stop_messages
from backend.stack.tracker_store import forget_conversation
from backend.texts.responses import Reply

logger = logging.getLogger(__name__)

# Longer texts are cut before they reach the model: a wall of text is still read for its start.
MAX_TEXT_TO_RASA = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A message left waiting this long (Rasa was down) is tried again by `retry_waiting`.
RETRY_AFTER = dt.timedelta(seconds=5)


def clean_text(text: str) -> str:
    """A client's text as the dialogue sees it.

    Control characters go, and so do leading slashes: "/intent" is how Rasa is told an intent
    directly, and only the gateway's own choices may do that.
    """
    cleaned = _CONTROL.sub(" ", text).strip().lstrip("/").strip()
    return cleaned[:MAX_TEXT_TO_RASA]


def dialogue_message(channel: ChoiceFacts, text: str) -> str:
    """What the dialogue is told of a client's words: the choice a digit picks, else the text."""
    return choice_payload(channel, text) or clean_text(text)


@dataclass(frozen=True)
class Turn:
    """A stored message and what it needs: an answer of the gateway's own, or the dialogue."""

    inbound_id: int
    channel: ChannelKind
    address: str
    language: str
    client_id: int | None = None
    conversation_id: str = ""
    # What Rasa is to be told; empty when the gateway answers by itself.
    message: str = ""
    # The gateway's own answer (a crisis, a keyword, enrolment); None with a message for Rasa,
    # or for a stranger who has had their answers for the hour.
    immediate: Reply | None = None
    # Rasa's copy of the conversation is to be erased (consent refused, data deleted).
    forget: bool = False
    # The channel identity the message came from, found again by its id when the answer is
    # written (None for a stranger).
    identity_id: int | None = None
    # The client had messages waiting for Rasa (it was down) when this one was stored; they
    # are answered first. Without any, the turn skips the look-up (a transaction) for them.
    after_waiting: bool = False


@dataclass(frozen=True)
class Incoming:
    """How a message came, besides its text."""

    # The reply goes back in the caller's own answer (the local channel's HTTP response).
    inline: bool = False
    # A button's payload (Telegram's callback data): taken only if among the choices offered.
    payload: str | None = None
    # A photo, sticker, voice message or file: nothing to read.
    media: bool = False


class Conversations:
    """Handles client messages for every channel of one gateway process."""

    def __init__(self, context: AppContext, rasa: RasaClient) -> None:
        self._context = context
        self._rasa = rasa
        self._key = secret_key(context.settings)
        # One turn at a time per client, so that replies keep the order of the messages. A lock
        # lives only while a turn holds or awaits it, so the map does not grow with every client.
        self._locks: weakref.WeakValueDictionary[object, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def _lock(self, turn: Turn) -> asyncio.Lock:
        key: object = turn.client_id if turn.client_id is not None else turn.address
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    def receive(
        self,
        channel: ChannelKind,
        address: str,
        text: str,
        external_id: str | None = None,
        *,
        incoming: Incoming = Incoming(),
    ) -> Turn | None:
        """Store a message and decide its route, in one transaction; None for a redelivery.

        An answer the gateway gives by itself (a crisis, a keyword, enrolment) is written to
        the outbox in the same transaction, so that no crash can lose it.
        """
        now = self._context.clock.now()
        with transaction(self._context.sessions) as session:
            if already_received(session, channel, external_id):
                return None
            sender = sender_at(session, channel, address)
            ordinary = (
                self._ordinary_turn(session, sender, channel, address, text, external_id, now)
                if sender is not None and incoming.payload is None and not incoming.media
                else None
            )
            if ordinary is not None:
                return ordinary
            identity = find_identity(session, channel, address, now)
            if identity is None and channel is ChannelKind.LOCAL:
                # The local channel is the machine's own: anyone there may enrol themselves.
                identity = identity_for_address(session, channel, address, now)
            if identity is None:
                turn = self._stranger(session, channel, address, text, external_id, now)
            else:
                # Read without flushing the sighting above, so that it is written at commit.
                with session.no_autoflush:
                    after_waiting = has_waiting(session, identity.client_id)
                turn = self._client_turn(session, identity, text, external_id, incoming, now)
                turn = replace(turn, after_waiting=after_waiting)
            if turn.message:
                return turn
            replies = [turn.immediate] if turn.immediate else []
            # Loaded in this session already (or None for a stranger): no query.
            identity = (
                session.get(ChannelIdentity, turn.identity_id)
                if turn.identity_id is not None
                else None
            )
            recipient = identity or Address(turn.channel, turn.address)
            self._write_answer(session, turn, recipient, replies, True, incoming)
            if identity is None:
                return turn
            remember_choices(identity, replies)
            return replace(turn, forget=forget_after_turn(session, identity.client))

    def _ordinary_turn(
        self,
        session: Session,
        sender: Sender,
        channel: ChannelKind,
        address: str,
        text: str,
        external_id: str | None,
        now: dt.datetime,
    ) -> Turn | None:
        """Store the most common message without loading identity and client: a client in
        conversation writes words for the dialogue (no keyword, no crisis, no check-in open,
        the channel reachable). None for anything else, which takes the whole route."""
        if (
            not sender.reachable
            or sender.checkin_open is not None
            or sender.checkin_open_until is not None
            or needs_onboarding(sender)
            or not receives_messages(sender)
            or keyword_of(text) is not None
            or detect_crisis(text) is not None
        ):
            return None
        message = dialogue_message(sender, text)
        if not message:
            return None
        mark_seen(session, sender.client_id, now)
        inbound_id = record_inbound(
            session, channel, external_id, sender.client_id, text, now, dialogue_text=message
        )
        return Turn(
            inbound_id,
            channel,
            address,
            sender.language,
            sender.client_id,
            sender.conversation_id,
            message,
            identity_id=sender.identity_id,
            after_waiting=has_waiting(session, sender.client_id),
        )

    def _client_turn(
        self,
        session: Session,
        identity: ChannelIdentity,
        text: str,
        external_id: str | None,
        incoming: Incoming,
        now: dt.datetime,
    ) -> Turn:
        """Store a client's message with its route. A crisis comes first, in any state."""
        client = identity.client
        if detect_crisis(text) is not None:
            # The coach's alert names the stored message, so it is stored first.
            inbound_id = record_inbound(
                session, identity.channel, external_id, client.id, text, now
            )
            crisis = crisis_reply(session, client, text, inbound_id, now, self._context.renderer)
            return self._turn(identity, inbound_id, crisis, "")
        immediate, message = self._route(session, identity, text, incoming, now)
        inbound_id = record_inbound(
            session,
            identity.channel,
            external_id,
            client.id,
            text,
            now,
            dialogue_text=message or None,
        )
        return self._turn(identity, inbound_id, immediate, message)

    @staticmethod
    def _turn(
        identity: ChannelIdentity, inbound_id: int, immediate: Reply | None, message: str
    ) -> Turn:
        client = identity.client
        return Turn(
            inbound_id,
            identity.channel,
            identity.address,
            client.language,
            client.id,
            client.conversation_id,
            message,
            immediate,
            identity_id=identity.id,
        )

    def _stranger(
        self,
        session: Session,
        channel: ChannelKind,
        address: str,
        text: str,
        external_id: str | None,
        now: dt.datetime,
    ) -> Turn:
        """A sender nobody enrolled: their invite code binds them, else a polite answer.

        Only a keyed hash of the sender is kept, with no text. A crisis is answered all the
        same. Past the hour's answers, a stranger gets none, which also stops code guessing.
        """
        renderer = self._context.renderer
        hashed = sender_hash(self._key, channel, address)
        inbound_id = record_inbound(
            session, channel, external_id, None, "", now, sender_hash=hashed
        )
        turn = Turn(inbound_id, channel, address, self._context.settings.default_language)
        if detect_crisis(text) is not None:
            return replace(turn, immediate=renderer.render("utter_crisis"))
        if not may_answer(session, hashed, now):
            return turn
        code = code_in(text)
        if code is None:
            return replace(turn, immediate=renderer.render("enrol_unknown_sender"))
        result = redeem_invite(session, code, channel, address, now)
        if result is InviteProblem.UNKNOWN:
            return replace(turn, immediate=renderer.render("enrol_code_not_valid"))
        if result is InviteProblem.TAKEN:
            return replace(turn, immediate=renderer.render("enrol_address_taken"))
        assert isinstance(result, Redeemed)
        identity = result.identity
        if needs_onboarding(identity.client):
            immediate, message = self._route(session, identity, "", Incoming(), now)
        else:
            immediate = renderer.render("enrol_linked", identity.client.language)
            message = ""
        # From here on the message is the client's: it is kept as theirs, not as a stranger's.
        assign_inbound(session, inbound_id, identity.client_id, message or None)
        return self._turn(identity, inbound_id, immediate, message)

    def _route(
        self,
        session: Session,
        identity: ChannelIdentity,
        text: str,
        incoming: Incoming,
        now: dt.datetime,
    ) -> tuple[Reply | None, str]:
        """What a message that is not a crisis needs: an answer from the gateway itself, or a
        message for Rasa.

        The keywords come first; a client who has stopped messages hears how to come back; a
        client not yet asked for consent starts onboarding (whatever their first words);
        everything else goes to the dialogue.
        """
        client = identity.client
        renderer = self._context.renderer
        keyword = keyword_of(text)
        if keyword is Keyword.STOP:
            stop_messages(session, client, now)
            return renderer.render("utter_stopped", client.language), ""
        if keyword is Keyword.START:
            resume_messages(client)
            replan_checkins(session, client, now)  # STOP cancelled the ones planned
            if not needs_onboarding(client):
                return renderer.render("resumed", client.language), ""
        elif not receives_messages(client):
            return renderer.render("stopped_hint", client.language), ""
        if needs_onboarding(client):
            start_onboarding(client, now)
            return None, "/start_onboarding"
        if keyword is Keyword.MENU:
            return None, "/help"
        offered = {button.payload for button in offered_choices(identity)}
        if incoming.payload is not None and incoming.payload in offered:
            message = incoming.payload
        else:
            message = dialogue_message(identity, text)
        if not message:
            empty = "media_not_supported" if incoming.media else "gateway_empty_message"
            return renderer.render(empty, client.language), ""
        opened = take_open_checkin(client, now) if keyword is None else None
        # The first question of a check-in the scheduler opened: the client's words answer it.
        # A choice that names an intent (a goal's or an appointment's button offered since) is
        # that intent, and the check-in is closed unanswered.
        if opened is not None and not message.startswith("/"):
            return None, first_answer_message(opened, message)
        return None, message

    async def process(self, turn: Turn, *, inline: bool = False) -> list[Reply]:
        """Answer a stored message; returns the replies.

        `inline`: the caller hands the replies over itself (the local channel's HTTP answer),
        so they are recorded as delivered; otherwise the outbox's sender delivers them. The
        client's messages that waited for Rasa (it was down) are answered first, in order.
        """
        if not turn.message:  # answered when it was received
            if turn.forget:
                forget_conversation(self._context.settings, turn.conversation_id)
            return [turn.immediate] if turn.immediate else []
        async with self._lock(turn):
            if (
                turn.after_waiting
                and turn.client_id is not None
                and not await self._catch_up(turn.client_id, turn.inbound_id)
            ):
                return []  # Rasa is still down; the client has already been told
            replies, processed = await self._dialogue(turn)
            self._answer(turn, replies, processed, Incoming(inline=inline))
            return replies

    async def handle(
        self, channel: ChannelKind, address: str, text: str, external_id: str | None = None
    ) -> list[Reply]:
        """Receive and process one message at once (the local channel and tests)."""
        inline = channel is ChannelKind.LOCAL
        turn = self.receive(channel, address, text, external_id, incoming=Incoming(inline=inline))
        if turn is None:
            return []
        return await self.process(turn, inline=inline)

    async def _dialogue(self, turn: Turn, *, notify: bool = True) -> tuple[list[Reply], bool]:
        """The replies to `turn`, and whether it is done (False: it waits for Rasa)."""
        try:
            replies = await self._rasa.send(turn.conversation_id, turn.message)
        except RasaUnavailable as error:
            # The message stays stored as received, to be processed when Rasa is back.
            logger.warning("Rasa unavailable for a turn: %s", error)
            notice = self._context.renderer.render("gateway_unavailable", turn.language)
            return ([notice] if notify else []), False
        # Every message gets an answer; silence means a step of the turn failed.
        return replies or [self._context.renderer.render("utter_default", turn.language)], True

    async def _catch_up(self, client_id: int, before: int | None = None) -> bool:
        """Answer the client's messages that waited for Rasa; False while it is still down."""
        with transaction(self._context.sessions) as session:
            waiting = [
                self._waiting_turn(session, message)
                for message in waiting_messages(session, client_id, before)
            ]
        for turn in waiting:
            if turn is None:
                continue
            replies, processed = await self._dialogue(turn, notify=False)
            if not processed:
                return False
            self._answer(turn, replies, processed, Incoming())
        return True

    def _waiting_turn(self, session: Session, message: InboundMessage) -> Turn | None:
        client = session.get_one(Client, message.client_id)
        identity = next((i for i in client.identities if i.channel is message.channel), None)
        if identity is None:  # the channel was removed meanwhile: nowhere to answer
            mark_processed(session, message.id, self._context.clock.now())
            return None
        return Turn(
            message.id,
            identity.channel,
            identity.address,
            client.language,
            client.id,
            client.conversation_id,
            message.dialogue_text or "",
            identity_id=identity.id,
        )

    async def retry_waiting(self) -> int:
        """Answer the messages that have waited for Rasa; returns how many clients had some."""
        received_before = self._context.clock.now() - RETRY_AFTER
        with transaction(self._context.sessions) as session:
            client_ids = clients_waiting(session, received_before)
        for client_id in client_ids:
            async with self._lock(Turn(0, ChannelKind.LOCAL, "", "", client_id)):
                if not await self._catch_up(client_id):
                    break  # still down: the next round tries again
        return len(client_ids)

    def _answer(
        self, turn: Turn, replies: list[Reply], processed: bool, incoming: Incoming
    ) -> None:
        """Record the dialogue's answer to `turn` (a client's: it has their ids).

        Statements by id, without loading the identity: this is on every message's path, and
        the ORM's loading cost more than the writes (the gateway benchmark).
        """
        assert turn.client_id is not None and turn.identity_id is not None
        with transaction(self._context.sessions) as session:
            standing = client_standing(session, turn.client_id, turn.identity_id)
            # The identity gone (the client left meanwhile): the answer goes to a bare address.
            reached = standing is not None and standing.identity_kept
            recipient = Address(turn.channel, turn.address, turn.client_id if reached else None)
            self._write_answer(session, turn, recipient, replies, processed, incoming)
            if not reached:
                return
            assert standing is not None
            remember_choices_of(session, turn.identity_id, replies)
            forget = must_forget(standing.status, standing.consent) and forget_after_turn(
                session, session.get_one(Client, turn.client_id)
            )
        if forget:
            forget_conversation(self._context.settings, turn.conversation_id)

    def _write_answer(
        self,
        session: Session,
        turn: Turn,
        recipient: Recipient,
        replies: list[Reply],
        processed: bool,
        incoming: Incoming,
    ) -> None:
        """Write the replies to the outbox, and mark the message processed if it is."""
        now = self._context.clock.now()
        write_replies(
            session,
            recipient,
            replies,
            now,
            # A "palaan pian" notice is not the reply: that comes once Rasa is back.
            dedupe_prefix=f"{'reply' if processed else 'notice'}:{turn.inbound_id}",
            in_reply_to=turn.inbound_id,
            state=OutboxState.DELIVERED if incoming.inline else OutboxState.PENDING,
        )
        if processed:
            mark_processed(session, turn.inbound_id, now)
