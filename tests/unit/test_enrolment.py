"""A coach's invite code binds a client's Telegram chat or phone number, once, in time."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from backend.clock import FakeClock
from backend.context import AppContext
from backend.db import transaction
from backend.models import ChannelIdentity, ChannelKind, Client, Coach, Invite
from backend.services.enrolment import (
    ALPHABET,
    InviteProblem,
    Redeemed,
    code_in,
    create_invite,
    display_code,
    new_code,
    redeem_invite,
)

codes = st.text(alphabet=ALPHABET, min_size=10, max_size=10)


def _client_with_invite(context: AppContext, days: int = 14) -> tuple[int, str]:
    now = context.clock.now()
    with transaction(context.sessions) as session:
        coach = Coach(name="Maija", created_at=now)
        client = Client(display_name="Aino", coach=coach, created_at=now)
        session.add(client)
        session.flush()
        return client.id, create_invite(session, client, now, days)


@given(codes)
def test_a_code_is_read_however_the_client_types_it(code: str) -> None:
    shown = display_code(code)
    for typed in (code, shown, shown.lower(), f"  {shown} ", f"koodi on {code[:5]} {code[5:]}"):
        assert code_in(typed) == code
    assert code_in(f"/start {code}") == code


@given(st.text(max_size=40))
def test_no_code_is_found_where_none_was_typed(text: str) -> None:
    found = code_in(text)
    assert found is None or all(char in ALPHABET for char in found)


def test_ordinary_words_are_not_codes() -> None:
    for text in ("moi", "en pääse huomenna", "heräsin yhdeksältä", "1", "LOPETA", "kiitos paljon"):
        assert code_in(text) is None


def test_codes_are_random_and_only_their_hash_is_kept(context: AppContext) -> None:
    assert len({new_code() for _ in range(1000)}) == 1000
    _, code = _client_with_invite(context)
    with transaction(context.sessions) as session:
        stored = session.scalars(select(Invite.code_hash)).one()
    assert code not in stored and len(stored) == 64


def test_a_code_binds_the_chat_once_and_only_once(context: AppContext) -> None:
    client_id, code = _client_with_invite(context)
    now = context.clock.now()
    with transaction(context.sessions) as session:
        result = redeem_invite(session, code, ChannelKind.TELEGRAM, "4242", now)
        assert isinstance(result, Redeemed)
        assert result.identity.client_id == client_id and result.identity.preferred
    with transaction(context.sessions) as session:
        again = redeem_invite(session, code, ChannelKind.SMS, "+358401234567", now)
        assert again is InviteProblem.UNKNOWN
        assert session.scalars(select(ChannelIdentity)).all()[0].address == "4242"


def test_an_expired_code_binds_nothing(context: AppContext, clock: FakeClock) -> None:
    _, code = _client_with_invite(context, days=14)
    clock.advance(dt.timedelta(days=14, seconds=1))
    with transaction(context.sessions) as session:
        assert redeem_invite(session, code, ChannelKind.SMS, "+358401", clock.now()) is (
            InviteProblem.UNKNOWN
        )
        assert session.scalars(select(ChannelIdentity)).all() == []


def test_a_new_invite_replaces_the_old_one(context: AppContext) -> None:
    client_id, old = _client_with_invite(context)
    now = context.clock.now()
    with transaction(context.sessions) as session:
        new = create_invite(session, session.get_one(Client, client_id), now, 14)
    with transaction(context.sessions) as session:
        assert redeem_invite(session, old, ChannelKind.SMS, "+3584011", now) is (
            InviteProblem.UNKNOWN
        )
        assert isinstance(redeem_invite(session, new, ChannelKind.SMS, "+3584011", now), Redeemed)


def test_a_chat_that_belongs_to_someone_else_is_not_taken_over(context: AppContext) -> None:
    _, first = _client_with_invite(context)
    _, second = _client_with_invite(context)
    now = context.clock.now()
    with transaction(context.sessions) as session:
        assert isinstance(redeem_invite(session, first, ChannelKind.TELEGRAM, "77", now), Redeemed)
    with transaction(context.sessions) as session:
        assert redeem_invite(session, second, ChannelKind.TELEGRAM, "77", now) is (
            InviteProblem.TAKEN
        )
