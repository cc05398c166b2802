""" "Haluan puhua ohjaajan kanssa" reaches the coach at once, through the whole stack."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import Alert, AlertKind
from tests.e2e.stack import Stack


@pytest.mark.parametrize(
    "text", ["haluan puhua ohjaajan kanssa", "voisko ohjaaja soittaa mulle", "haluun ihmisen"]
)
def test_a_client_who_wants_to_talk_gets_an_answer_and_the_coach_an_alert(
    stack: Stack, text: str
) -> None:
    sender = f"e2e-contact-{abs(hash(text))}"
    client_id = stack.enrol(sender, coach_email="sanna@example.fi")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    [reply] = stack.say(sender, text)
    assert str(reply["text"]).startswith("Selvä! Kerroin ohjaajallesi")
    with transaction(sessions) as session:
        alerts = session.scalars(select(Alert).where(Alert.client_id == client_id)).all()
    assert [alert.kind for alert in alerts] == [AlertKind.CONTACT_REQUEST]
