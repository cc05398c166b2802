"""Aino's month on her goal ladder, through the real Rasa server and scheduler on a fake clock.

She words her goal herself and Askel asks one solution-focused question at a time; her smallest
step becomes the week's step; on Wednesday a short encouragement, on Friday "Saitko askeleen
tehtyä?". A step done is celebrated and the next one asked for; a week that did not go gets a
smaller step, no blame; a step told done early stops Friday's question. "näytä tavoitteeni"
shows what she has climbed.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import httpx

from backend.channels.sms_text import segments
from backend.db import make_engine, make_sessionmaker, transaction
from backend.models import ChannelKind, Client, ClientStatus, Consent, NivelPhase, StepOutcome
from backend.services.clients import client_for_address
from backend.services.goal_week import GoalAnswers, WeekPlan, report_outcome, set_goal
from backend.services.goals import active_goals, add_step
from backend.settings import Settings
from tests.e2e.stack import Stack
from tests.fakes.twilio_api import FakeTwilioApi, signed_inbound_sms

HELSINKI = ZoneInfo("Europe/Helsinki")
AINO = "e2e-goals-aino"


def _at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, minute, tzinfo=HELSINKI)


def _texts(messages: list[dict[str, object]]) -> list[str]:
    return [str(message["text"]) for message in messages]


def _payloads(message: dict[str, object]) -> list[str]:
    buttons = message.get("buttons") or []
    return [str(button["payload"]) for button in buttons]  # type: ignore[union-attr]


def _wait_for(stack: Stack, sender: str) -> list[dict[str, object]]:
    """What the bot sent on its own, once something has come."""
    deadline = time.monotonic() + 30
    messages: list[dict[str, object]] = []
    while not messages and time.monotonic() < deadline:
        messages = stack.fetch(sender)
        time.sleep(0.1)
    return messages


def _says(stack: Stack, text: str) -> list[str]:
    return _texts(stack.say(AINO, text))


def test_a_month_on_the_goal_ladder(stack: Stack) -> None:
    stack.set_clock(_at(1, 11, 10))  # Monday 11 January 2027
    client_id = stack.enrol(AINO, name="Aino Virtanen")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        session.get_one(Client, client_id).nivel_phase = NivelPhase.ACTIVATION

    # Her goal in her own words; then one question at a time.
    assert _says(stack, "haluan saada päivärytmin kuntoon") == [
        "Mikä olisi toisin, kun olet päässyt tavoitteeseesi?"
    ]
    assert _says(stack, "jaksaisin lähteä aamulla liikkeelle") == [
        "Mitä olet jo tehnyt sen eteen? Pienetkin asiat ovat tärkeitä."
    ]
    assert _says(stack, "herään jo arkisin kymmeneltä") == [
        "Mikä olisi pienin askel, jonka voisit ottaa tällä viikolla?"
    ]
    assert _says(stack, "herään kolmena aamuna yhdeksältä") == [
        "Millaista tukea toivoisit ohjaajaltasi?"
    ]
    assert _says(stack, "että ohjaaja kysyy välillä miten menee") == [
        "Kiitos! Kirjasin tavoitteesi omin sanoin: haluan saada päivärytmin kuntoon",
        "Tämän viikon askel: herään kolmena aamuna yhdeksältä. Kysyn pe 15.1., miten meni. "
        "Voit kertoa aiemminkin, kun saat sen tehtyä.",
    ]

    # Week 1: encouraged on Wednesday, asked on Friday; done, and she names the next step.
    stack.set_clock(_at(1, 13, 12))
    assert _texts(_wait_for(stack, AINO)) == [
        "Muistathan tämän viikon askeleesi: herään kolmena aamuna yhdeksältä. "
        "Pienikin yritys on hyvä!"
    ]
    stack.set_clock(_at(1, 15, 12))
    [question] = _wait_for(stack, AINO)
    assert question["text"] == "Saitko askeleen tehtyä? (herään kolmena aamuna yhdeksältä)"
    assert _payloads(question) == ["/step_done", "/step_partly", "/step_not_done"]
    assert _says(stack, "1") == [
        "Hienoa, sait askeleen tehtyä! Se on oikea askel eteenpäin.",
        "Mikä olisi seuraava pieni askel? Kerro omin sanoin.",
    ]
    assert _says(stack, "käyn aamulla kävelyllä") == [
        "Tämän viikon askel: käyn aamulla kävelyllä. Kysyn pe 22.1., miten meni. "
        "Voit kertoa aiemminkin, kun saat sen tehtyä."
    ]

    # Week 2: it did not go; understanding, and a smaller step first.
    stack.set_clock(_at(1, 20, 12))
    assert len(_wait_for(stack, AINO)) == 1
    stack.set_clock(_at(1, 22, 12))
    _wait_for(stack, AINO)
    [not_done] = stack.say(AINO, "3")
    assert not_done["text"] == (
        "Ei se haittaa, viikot ovat erilaisia. Tehdäänkö askeleesta pienempi, vai "
        "siirretäänkö se ensi viikolle?"
    )
    assert _payloads(not_done) == ["/goal_step_smaller", "/goal_step_again"]
    assert _says(stack, "1") == ["Mikä olisi vielä pienempi askel samaan suuntaan? Pieni riittää."]
    assert _says(stack, "käyn pihalla aamulla") == [
        "Tämän viikon askel: käyn pihalla aamulla. Kysyn pe 29.1., miten meni. "
        "Voit kertoa aiemminkin, kun saat sen tehtyä."
    ]

    # Week 3: told done on Tuesday in her words; Friday's question no longer comes, and the
    # walk she did not manage last week is offered next.
    stack.set_clock(_at(1, 26, 18))
    [done, offer] = stack.say(AINO, "sain sen tehtyä")
    assert done["text"] == "Hienoa, sait askeleen tehtyä! Se on oikea askel eteenpäin."
    assert offer["text"] == (
        "Seuraava askel olisi: käyn aamulla kävelyllä. Otetaanko se tämän viikon askeleeksi?"
    )
    stack.set_clock(_at(1, 29, 12, 1))
    time.sleep(1.5)
    assert stack.fetch(AINO) == []
    assert _says(stack, "1") == [
        "Tämän viikon askel: käyn aamulla kävelyllä. Kysyn pe 5.2., miten meni. "
        "Voit kertoa aiemminkin, kun saat sen tehtyä."
    ]

    # Week 4: partly done counts.
    stack.set_clock(_at(2, 5, 12))
    _wait_for(stack, AINO)
    assert _says(stack, "2") == [
        "Hyvä! Osittainkin tehty on askel eteenpäin.",
        "Jatketaanko samalla askeleella ensi viikolla, vai otetaanko seuraava?",
    ]
    assert _says(stack, "1")[0].startswith("Tämän viikon askel: käyn aamulla kävelyllä.")

    # What she has climbed, in her own words.
    assert _says(stack, "näytä tavoitteeni") == [
        "Tavoite: haluan saada päivärytmin kuntoon\n"
        "- tehty: herään jo arkisin kymmeneltä\n"
        "- tehty: herään kolmena aamuna yhdeksältä\n"
        "- tehty: käyn pihalla aamulla\n"
        "- tehty: käyn aamulla kävelyllä\n"
        "- nyt: käyn aamulla kävelyllä\n"
        "- toivot ohjaajalta: että ohjaaja kysyy välillä miten menee\n"
        "Kerro, kun saat askeleen tehtyä."
    ]


def test_a_client_with_no_goal_gets_suggestions_for_her_phase(stack: Stack) -> None:
    stack.set_clock(_at(1, 11, 10))
    client_id = stack.enrol("e2e-goals-ville", name="Ville")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        session.get_one(Client, client_id).nivel_phase = NivelPhase.TRANSITION
    [none] = stack.say("e2e-goals-ville", "näytä tavoitteeni")
    assert none["text"] == "Sinulla ei ole vielä tavoitetta. Haluatko asettaa sellaisen?"
    [ask] = stack.say("e2e-goals-ville", "1")
    assert str(ask["text"]).startswith("Hienoa, että haluat asettaa tavoitteen!")
    assert _payloads(ask) == ["Hakea työtoimintaan", "Aloittaa työtoiminnassa"]
    assert _texts(stack.say("e2e-goals-ville", "1")) == [
        "Mikä olisi toisin, kun olet päässyt tavoitteeseesi?"
    ]


def test_the_ladder_over_sms_fits_two_segments_without_cutting_a_word(
    stack: Stack, twilio_api: FakeTwilioApi
) -> None:
    stack.set_clock(_at(1, 11, 10))
    phone = "+358401110077"
    long_words = (
        "haluan päästä kuntouttavaan työtoimintaan puutyöpajalle ja jaksaa käydä siellä "
        "kolmena päivänä viikossa"
    )
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        client = client_for_address(session, ChannelKind.SMS, phone, stack.now())
        client.consent, client.consent_at, client.status = (
            Consent.GIVEN,
            stack.now(),
            ClientStatus.ACTIVE,
        )
        answers = GoalAnswers(long_words, None, long_words, long_words, long_words)
        plan = WeekPlan.from_settings(Settings(_env_file=None))
        set_goal(session, client, answers, stack.now(), plan)
    url = f"{stack.url}/channels/sms/twilio"
    headers, form = signed_inbound_sms(
        url, stack.env["ASKEL_TWILIO_AUTH_TOKEN"], from_=phone, to="+358450000000",
        body="nayta tavoitteeni",
    )  # fmt: skip
    assert httpx.post(url, data=form, headers=headers, timeout=30).status_code == 200
    deadline = time.monotonic() + 60
    while not twilio_api.sent_to(phone) and time.monotonic() < deadline:
        time.sleep(0.05)
    [sms] = twilio_api.sent_to(phone)
    assert sms.body.startswith("Tavoite: haluan päästä")
    assert segments(sms.body) <= 2
    for line in sms.body.splitlines()[:-1]:
        quoted = line.partition(": ")[2].removesuffix("...")
        assert not quoted or (long_words + " ").startswith(quoted + " "), line


def test_a_typed_yes_or_no_answers_the_offer_of_the_next_step(stack: Stack) -> None:
    """ "Otetaanko se tämän viikon askeleeksi?" answered in words, not by its buttons: "joo"
    takes the offered step even with a thank-you in between, "ei" asks for another step, and
    a yes after the offer was answered answers nothing."""
    sender = "e2e-goals-typed-yes"
    stack.set_clock(_at(3, 1, 10))  # Monday 1 March 2027
    client_id = stack.enrol(sender, name="Aino")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        client = session.get_one(Client, client_id)
        answers = GoalAnswers("päivärytmi kuntoon", None, None, "herään yhdeksältä", None)
        set_goal(
            session, client, answers, stack.now(), WeekPlan.from_settings(Settings(_env_file=None))
        )
        [goal] = active_goals(session, client)
        add_step(session, goal, "käyn kaupassa aamulla", stack.now())
        add_step(session, goal, "käyn kirjastossa", stack.now())

    def says(text: str) -> list[str]:
        return _texts(stack.say(sender, text))

    stack.set_clock(_at(3, 2, 18))
    assert says("sain sen tehtyä")[1] == (
        "Seuraava askel olisi: käyn kaupassa aamulla. Otetaanko se tämän viikon askeleeksi?"
    )
    assert says("kiitos") == ["Ole hyvä! Olen täällä, kun tarvitset."]
    assert says("joo") == [
        "Tämän viikon askel: käyn kaupassa aamulla. Kysyn pe 5.3., miten meni. "
        "Voit kertoa aiemminkin, kun saat sen tehtyä."
    ]
    # The offer is answered: another yes is only acknowledged, and changes no step.
    assert says("kyllä") == [
        'Selvä! Jos haluat, kirjoita "mitä osaat", niin kerron, mitä voin tehdä.'
    ]

    stack.set_clock(_at(3, 3, 18))
    assert says("sain sen tehtyä")[1].startswith("Seuraava askel olisi: käyn kirjastossa.")
    assert says("ei") == ["Mikä olisi seuraava pieni askel? Kerro omin sanoin."]
    assert says("soitan ohjaajalle") == [
        "Tämän viikon askel: soitan ohjaajalle. Kysyn pe 5.3., miten meni. "
        "Voit kertoa aiemminkin, kun saat sen tehtyä."
    ]


def test_a_typed_yes_answers_the_goal_questions_with_choices(stack: Stack) -> None:
    """ "Haluatko asettaa sellaisen?" and "Valitaanko tämän viikon askel?" answered in words:
    "joo" does what the first choice does, "ei" is acknowledged, and a yes after the client
    has gone on to something else answers nothing."""
    sender = "e2e-goals-typed-choice"
    stack.set_clock(_at(4, 5, 10))  # Monday 5 April 2027
    client_id = stack.enrol(sender, name="Sari")

    def says(text: str) -> list[str]:
        return _texts(stack.say(sender, text))

    none = ["Sinulla ei ole vielä tavoitetta. Haluatko asettaa sellaisen?"]
    ack = ['Selvä! Jos haluat, kirjoita "mitä osaat", niin kerron, mitä voin tehdä.']
    assert says("näytä tavoitteeni") == none
    assert says("ei") == ack
    assert says("näytä tavoitteeni") == none
    assert says("kiitos") == ["Ole hyvä! Olen täällä, kun tarvitset."]
    assert says("joo") == ack  # the question was passed by
    assert says("näytä tavoitteeni") == none
    assert says("joo")[0].startswith("Hienoa, että haluat asettaa tavoitteen!")

    # Another client, whose step is done with no next one chosen yet.
    sender = "e2e-goals-typed-choice-2"
    client_id = stack.enrol(sender, name="Sanni")
    sessions = make_sessionmaker(make_engine(stack.database_url))
    with transaction(sessions) as session:
        client = session.get_one(Client, client_id)
        answers = GoalAnswers("päivärytmi kuntoon", None, None, "herään yhdeksältä", None)
        plan = WeekPlan.from_settings(Settings(_env_file=None))
        set_goal(session, client, answers, stack.now(), plan)
        add_step(session, active_goals(session, client)[0], "käyn kaupassa", stack.now())
        report_outcome(session, client, StepOutcome.DONE, stack.now())
    assert says("näytä tavoitteeni")[-1].endswith("Valitaanko tämän viikon askel?")
    assert says("joo") == [
        "Tämän viikon askel: käyn kaupassa. Kysyn pe 9.4., miten meni. "
        "Voit kertoa aiemminkin, kun saat sen tehtyä."
    ]
