"""The client's own data: what is kept and who sees it, and erasing it all for good."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import (
    Alert,
    AlertKind,
    ChannelIdentity,
    Client,
    ClientStatus,
    InboundMessage,
    OutboxMessage,
)
from backend.settings import Settings
from backend.stack.tracker_store import forget_conversation
from tests.e2e.stack import Stack


def test_a_client_asks_what_is_stored_and_who_sees_it(stack: Stack) -> None:
    stack.enrol("e2e-data-aino", coach_email="sanna@example.fi")
    stack.say("e2e-data-aino", "moi")
    answer, preview = stack.say("e2e-data-aino", "mitä tietoja minusta on tallessa?")
    text = str(answer["text"])
    assert text.startswith("Sinusta on tallessa 2 viestiä, 0 tapaamista ja 0 tavoitetta;")
    assert "Ohjaajasi näkee" in text and "poista tietoni" in text
    # Then what Sanna's digest of last week says about Aino, word for word: a week before she
    # had any check-ins.
    shown = str(preview["text"])
    assert shown.startswith(
        "Viime viikon yhteenvedossa ohjaajasi näkee sinusta tämän:\nPäivärytmi\n"
    )
    assert "  Aamuviesteihin vastannut: 0/0\n" in shown
    assert shown.endswith("Jos jokin ei pidä paikkaansa, voit kertoa siitä ohjaajallesi.")


def test_a_client_who_erases_their_data_leaves_nothing_behind(stack: Stack) -> None:
    client_id = stack.enrol("e2e-data-ville", name="Ville K", coach_email="sanna@example.fi")
    stack.say("e2e-data-ville", "moi")
    [confirm] = stack.say("e2e-data-ville", "poista kaikki mun tiedot")
    assert str(confirm["text"]).startswith("Haluatko varmasti")
    assert [b["title"] for b in confirm["buttons"]] == ["Kyllä, poista", "Ei, pidä tiedot"]
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        conversation = session.get_one(Client, client_id).conversation_id
    [done] = stack.say("e2e-data-ville", "1")
    assert str(done["text"]).startswith("Tietosi on poistettu.")
    with transaction(sessions) as session:
        client = session.get_one(Client, client_id)
        assert client.status is ClientStatus.LEFT and client.display_name is None
        for model in (InboundMessage, OutboxMessage, ChannelIdentity):
            assert session.scalars(select(model).where(model.client_id == client_id)).all() == []
        [alert] = session.scalars(select(Alert).where(Alert.client_id == client_id)).all()
        assert alert.kind is AlertKind.CLIENT_LEFT
    settings = Settings(_env_file=None, var_dir=Path(stack.env["ASKEL_VAR_DIR"]))
    assert forget_conversation(settings, conversation) == 0
    # The same number later is a new person, greeted from the start.
    intro, _ = stack.say("e2e-data-ville", "moi")
    assert str(intro["text"]).startswith("Hei! Olen Askel")


def test_a_client_who_changes_their_mind_keeps_everything(stack: Stack) -> None:
    stack.enrol("e2e-data-liisa")
    stack.say("e2e-data-liisa", "poista tietoni")
    [kept] = stack.say("e2e-data-liisa", "ei sittenkään")
    assert str(kept["text"]).startswith("Selvä, tietosi pysyvät tallessa.")


def test_a_sentence_asking_for_no_more_messages_stops_them(stack: Stack) -> None:
    stack.enrol("e2e-data-stop")
    [stopped] = stack.say("e2e-data-stop", "älä lähetä mulle enää yhtään viestiä")
    assert "en lähetä sinulle enää viestejä" in str(stopped["text"])
