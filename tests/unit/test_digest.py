"""Maija's Monday digest of the week 16.-22.11.2026, checked line by line.

Maija coaches four people. Aino had a steady week: up around eight, out most days, a goal step
done and an appointment kept. Eero's week went worse: his mood fell, he missed the Kela
appointment, asked Maija to call and wrote something that raised a crisis alert. Pekka has not
written since Tuesday. Liisa has not agreed to share anything, so the digest says only that.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.context import AppContext
from backend.db import transaction
from backend.digest.build import AttentionKind, CoachDigest, build_digest, previous_week
from backend.digest.render import DigestRenderer, RenderedDigest
from backend.digest.sending import DigestPolicy
from backend.models import (
    Alert,
    AlertKind,
    Appointment,
    AppointmentStatus,
    ChannelKind,
    CheckinKind,
    CheckinSchedule,
    Client,
    ClientStatus,
    Coach,
    Consent,
    Goal,
    GoalStep,
    NivelPhase,
    ReferralSource,
    StepOutcome,
)
from backend.services.diary import record
from backend.services.inbound import record_inbound
from backend.services.my_data import digest_preview

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEK = dt.date(2026, 11, 16)


def at(moment: str) -> dt.datetime:
    """ "2026-11-16 07:30" as an aware Helsinki time."""
    return dt.datetime.fromisoformat(moment).replace(tzinfo=HELSINKI)


NOW = at("2026-11-23 08:00")


def _client(
    session: Session,
    coach: Coach,
    name: str,
    last_wrote: str = "2026-11-22 20:00",
    **fields: object,
) -> Client:
    """A client of `coach` with morning and evening check-ins, whose last message came at
    `last_wrote`."""
    values: dict[str, object] = {
        "display_name": name,
        "coach_id": coach.id,
        "status": ClientStatus.ACTIVE,
        "consent": Consent.GIVEN,
        "created_at": at("2026-10-01 12:00"),
        "last_seen_at": at(last_wrote),
    }
    client = Client(**{**values, **fields})
    session.add(client)
    session.flush()
    record_inbound(session, ChannelKind.LOCAL, None, client.id, "moi", at(last_wrote))
    for kind, time in ((CheckinKind.MORNING, dt.time(8, 0)), (CheckinKind.EVENING, dt.time(20, 0))):
        session.add(
            CheckinSchedule(
                client_id=client.id, kind=kind, local_time=time, created_at=client.created_at
            )
        )
    return client


def _day(session: Session, client: Client, date: str, wake: str, mood: int, out: bool) -> None:
    """One day of check-ins: a wake-up, the evening's mood, a meal and going out (or not)."""
    record(session, client, "wake_up", at(f"{date} {wake}"), happened_at=at(f"{date} {wake}"))
    evening = at(f"{date} 20:05")
    record(session, client, "mood", evening, mood=mood)
    record(session, client, "meal", evening, detail="well")
    record(session, client, "activity", evening, detail="yes" if out else "no")


def make_week(session: Session) -> int:
    """Maija and her four clients' week; returns Maija's id."""
    maija = Coach(name="Maija", email="maija@example.fi", created_at=at("2026-10-01 09:00"))
    session.add(maija)
    session.flush()

    aino = _client(
        session,
        maija,
        "Aino Virtanen",
        nivel_phase=NivelPhase.ACTIVATION,
        referral_source=ReferralSource.TE_OFFICE,
    )
    for date, wake, mood in (
        ("2026-11-16", "07:50", 4),
        ("2026-11-17", "08:10", 4),
        ("2026-11-18", "07:40", 3),
        ("2026-11-19", "08:00", 4),
        ("2026-11-20", "08:30", 4),
    ):
        _day(session, aino, date, wake, mood, out=date != "2026-11-18")
    goal = Goal(
        client_id=aino.id,
        words="Haluan päivärytmin kuntoon",
        support_wish="Soitto kerran viikossa",
        created_at=at("2026-11-02 10:00"),
    )
    session.add(goal)
    session.flush()
    for position, words, week, outcome, already in (
        (1, "Herään kahdeksalta", None, None, True),
        (2, "Käyn kaupassa aamulla", WEEK, StepOutcome.DONE, False),
        (3, "Käyn kirjastossa", WEEK + dt.timedelta(days=7), None, False),
    ):
        session.add(
            GoalStep(
                goal_id=goal.id,
                position=position,
                words=words,
                already_done=already,
                week_start=week,
                outcome=outcome,
                outcome_at=at("2026-11-20 18:00") if outcome else None,
                created_at=at("2026-11-02 10:00"),
            )
        )
    session.add_all(
        [
            Appointment(
                client_id=aino.id,
                title="Lääkäri",
                starts_at=at("2026-11-18 10:00"),
                status=AppointmentStatus.KEPT,
                created_at=at("2026-11-02 10:00"),
            ),
            Appointment(
                client_id=aino.id,
                title="Työkokeilu",
                starts_at=at("2026-11-26 09:00"),
                created_at=at("2026-11-02 10:00"),
            ),
        ]
    )

    eero = _client(session, maija, "Eero Laine", nivel_phase=NivelPhase.EMPOWERMENT)
    for date, mood in (("2026-11-10", 4), ("2026-11-12", 4), ("2026-11-17", 2), ("2026-11-19", 3)):
        record(session, eero, "mood", at(f"{date} 20:05"), mood=mood)
    session.add(
        Appointment(
            client_id=eero.id,
            title="Kela",
            starts_at=at("2026-11-19 13:00"),
            status=AppointmentStatus.MISSED,
            created_at=at("2026-11-02 10:00"),
        )
    )
    for kind, moment in (
        (AlertKind.CONTACT_REQUEST, "2026-11-17 14:00"),
        (AlertKind.CRISIS, "2026-11-18 23:10"),
        # Last week's crisis alert was last week's digest's.
        (AlertKind.CRISIS, "2026-11-12 10:00"),
    ):
        session.add(
            Alert(
                coach_id=maija.id,
                client_id=eero.id,
                kind=kind,
                dedupe_key=f"{kind.value}:{moment}",
                created_at=at(moment),
            )
        )

    pekka = _client(session, maija, "Pekka Salo", last_wrote="2026-11-17 21:00")
    record(session, pekka, "mood", at("2026-11-16 20:05"), mood=3)

    liisa = _client(session, maija, "Liisa Koski", consent=Consent.REFUSED)
    record(session, liisa, "mood", at("2026-11-18 20:05"), mood=1)
    return maija.id


@pytest.fixture
def digest(context: AppContext) -> CoachDigest:
    with transaction(context.sessions) as session:
        coach_id = make_week(session)
    with transaction(context.sessions) as session:
        return build_digest(session, coach_id, WEEK, NOW, HELSINKI, silent_days=3)


@pytest.fixture
def rendered(context: AppContext, digest: CoachDigest) -> RenderedDigest:
    return DigestRenderer(context.renderer).render(digest)


def test_the_digest_covers_last_week_from_monday_morning() -> None:
    assert previous_week(NOW, HELSINKI) == WEEK
    assert previous_week(at("2026-11-22 23:59"), HELSINKI) == dt.date(2026, 11, 9)


def test_what_needs_attention_comes_first_most_urgent_first(digest: CoachDigest) -> None:
    assert [(a.kind, a.client) for a in digest.attention] == [
        (AttentionKind.CRISIS, "Eero Laine"),
        (AttentionKind.CONTACT_REQUEST, "Eero Laine"),
        (AttentionKind.MISSED, "Eero Laine"),
        (AttentionKind.SILENT, "Pekka Salo"),
        (AttentionKind.MOOD_FALLING, "Eero Laine"),
    ]


def test_the_text_digest_line_by_line(rendered: RenderedDigest) -> None:
    assert rendered.subject == "Askel: viikkokooste ma 16.11. - su 22.11."
    assert rendered.text.splitlines() == [
        "Viikkokooste ma 16.11. - su 22.11.",
        "Hei Maija! Tässä asiakkaidesi viikko lyhyesti.",
        "",
        "HUOMIOI ENSIN",
        "- Eero Laine: kriisihälytys ke 18.11.",
        "- Eero Laine: pyysi yhteydenottoa ti 17.11.",
        "- Eero Laine: jäi pois tapaamisesta to 19.11.",
        "- Pekka Salo: ei vastauksia 6 päivään",
        "- Eero Laine: mieliala laski (4 > 2,5)",
        "",
        "ASIAKKAAT",
        "",
        "== Aino Virtanen ==",
        "Vaihe 1: Aktivointi",
        "Tuli TE-toimiston kautta",
        "Päivärytmi",
        "  Aamuviesteihin vastannut: 5/7",
        "  Iltaviesteihin vastannut: 5/7",
        "  Heräsi: klo 8.00 (7.40-8.30)",
        "  Nukkumaan: ei tietoa",
        "  Söi: 5 päivänä",
        "  Kävi ulkona: 4 päivänä",
        "  Mieliala (1-5): 3,8",
        "Tavoiteportaat",
        "  Tavoite: Haluan päivärytmin kuntoon (portailla 2 / 3)",
        "  Viikon askel: Käyn kaupassa aamulla (tehty)",
        "  Toivoo sinulta: Soitto kerran viikossa",
        "Tapaamiset",
        "  Kävi: 1 tapaaminen",
        "  Tulossa: to 26.11. klo 9.00 Työkokeilu",
        "",
        "== Eero Laine ==",
        "Vaihe 2: Voimaantuminen",
        "Päivärytmi",
        "  Aamuviesteihin vastannut: 0/7",
        "  Iltaviesteihin vastannut: 2/7",
        "  Heräsi: ei tietoa",
        "  Nukkumaan: ei tietoa",
        "  Söi: 0 päivänä",
        "  Kävi ulkona: 0 päivänä",
        "  Mieliala (1-5): 2,5, laski (edellinen viikko 4)",
        "Tavoiteportaat",
        "  Ei tavoitetta vielä.",
        "Tapaamiset",
        "  Jäi pois: 1 tapaaminen",
        "Viestit sinulle",
        "  Pyysi, että otat yhteyttä (ti 17.11.)",
        "",
        "== Liisa Koski ==",
        "ei suostumusta tietojen jakamiseen",
        "",
        "== Pekka Salo ==",
        "Päivärytmi",
        "  Aamuviesteihin vastannut: 0/7",
        "  Iltaviesteihin vastannut: 1/7",
        "  Heräsi: ei tietoa",
        "  Nukkumaan: ei tietoa",
        "  Söi: 0 päivänä",
        "  Kävi ulkona: 0 päivänä",
        "  Mieliala (1-5): 3",
        "Tavoiteportaat",
        "  Ei tavoitetta vielä.",
        "",
        "Tiedot ovat luottamuksellisia. Kiireelliset asiat tulevat heti erikseen; kaikki "
        "hälytykset näet komennolla askel alerts.",
    ]


def test_a_client_without_consent_shows_nothing_but_that(
    digest: CoachDigest, rendered: RenderedDigest
) -> None:
    liisa = next(c for c in digest.clients if c.label == "Liisa Koski")
    assert liisa.shared is None and liisa.nivel_phase is None
    # Her low mood on Wednesday is nowhere: not in the attention list, not in any chart.
    assert all(a.client != "Liisa Koski" for a in digest.attention)
    html_part = rendered.html.split("Liisa Koski</h3>")[1].split("</div>")[0]
    assert "svg" not in html_part and "ei suostumusta tietojen jakamiseen" in html_part


def test_the_chart_has_four_weeks_of_days_and_the_weeks_mood_and_wake_ups(
    digest: CoachDigest, rendered: RenderedDigest
) -> None:
    aino = next(c for c in digest.clients if c.label == "Aino Virtanen")
    assert aino.shared is not None
    chart = aino.shared.chart
    assert len(chart) == 28 and chart[0].day == dt.date(2026, 10, 26)
    assert chart[21].day == WEEK and chart[21].mood == 4 and chart[21].wake == dt.time(7, 50)
    assert chart[-1].mood is None and chart[-1].wake is None  # Sunday: nothing told
    # One SVG for each client who shares; Aino's has five wake-up dots.
    assert rendered.html.count("<svg") == 3
    aino_svg = rendered.html.split("Aino Virtanen</h3>")[1].split("</svg>")[0]
    assert aino_svg.count('fill="#d9822b"') == 5


def test_plural_forms_follow_the_numbers(context: AppContext) -> None:
    texts = DigestRenderer(context.renderer)
    assert texts.count("count_appointments", 1) == "1 tapaaminen"
    assert texts.count("count_appointments", 3) == "3 tapaamista"
    assert texts.count("count_goals", 1) == "1 tavoite"
    assert texts.count("count_goals", 2) == "2 tavoitetta"


def test_names_are_escaped_in_the_html(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        coach_id = make_week(session)
        coach = session.get_one(Coach, coach_id)
        coach.name = "Maija <b>"
    with transaction(context.sessions) as session:
        digest = build_digest(session, coach_id, WEEK, NOW, HELSINKI, silent_days=3)
    html = DigestRenderer(context.renderer).render(digest).html
    assert "Maija &lt;b&gt;" in html and "Maija <b>" not in html


def test_a_long_digest_goes_to_telegram_in_parts_that_fit(tmp_path: Path) -> None:
    blocks = [f"== Asiakas {n} ==\n" + "x" * 300 for n in range(40)]
    digest = RenderedDigest("aihe", "\n\n".join(blocks), "<p></p>")
    parts = digest.telegram_parts()
    assert len(parts) > 1 and all(len(part) <= 4000 for part in parts)
    assert "\n\n".join(parts) == digest.text


def test_aino_sees_what_maijas_digest_says_about_her_and_nothing_of_the_others(
    context: AppContext, rendered: RenderedDigest
) -> None:
    with transaction(context.sessions) as session:
        aino = session.scalars(select(Client).where(Client.display_name == "Aino Virtanen")).one()
        preview = digest_preview(
            session, aino, NOW, DigestPolicy(HELSINKI, 3), DigestRenderer(context.renderer)
        )
    assert preview is not None
    lines = preview.splitlines()
    assert (
        lines[0] == "Vaihe 1: Aktivointi"
        and lines[-1] == "  Tulossa: to 26.11. klo 9.00 Työkokeilu"
    )
    assert f"== Aino Virtanen ==\n{preview}\n\n== Eero Laine ==" in rendered.text
    assert "Eero" not in preview


def test_a_client_without_a_coach_has_no_digest_to_preview(context: AppContext) -> None:
    with transaction(context.sessions) as session:
        loner = Client(created_at=NOW, consent=Consent.GIVEN)
        session.add(loner)
        session.flush()
        texts = DigestRenderer(context.renderer)
        assert digest_preview(session, loner, NOW, DigestPolicy(HELSINKI, 3), texts) is None


def test_a_pause_is_not_silence_and_its_end_starts_the_count_afresh(context: AppContext) -> None:
    # Both last wrote on 5.11. and then paused; Ville came back on Saturday, Sari on Thursday.
    with transaction(context.sessions) as session:
        coach_id = make_week(session)
        maija = session.get_one(Coach, coach_id)
        for name, back in (("Ville Aho", "2026-11-21 00:00"), ("Sari Mäki", "2026-11-19 00:00")):
            _client(
                session,
                maija,
                name,
                last_wrote="2026-11-05 19:00",
                paused_from=at("2026-11-06 00:00"),
                paused_until=at(back),
            )
    with transaction(context.sessions) as session:
        digest = build_digest(session, coach_id, WEEK, NOW, HELSINKI, silent_days=3)
    silent = {a.client: a.days for a in digest.attention if a.kind is AttentionKind.SILENT}
    assert silent == {"Pekka Salo": 6, "Sari Mäki": 4}
