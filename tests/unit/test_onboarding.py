"""Onboarding rules: sensible check-in times, and a refusal that can be taken back."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.models import CheckinKind, Client, ClientStatus, Consent
from backend.services.onboarding import checkin_time, needs_onboarding, refuse_consent
from backend.services.subscription import resume_messages

NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("08:00", CheckinKind.MORNING, dt.time(8, 0)),
        ("puoli yhdeksän", CheckinKind.MORNING, dt.time(8, 30)),
        ("kahdeksalta", CheckinKind.MORNING, dt.time(8, 0)),
        ("klo 7.45", CheckinKind.MORNING, dt.time(7, 45)),
        ("klo 3", CheckinKind.MORNING, None),  # the middle of the night is asked again
        ("klo 14", CheckinKind.MORNING, None),
        ("21:00", CheckinKind.EVENING, dt.time(21, 0)),
        ("yhdeksältä", CheckinKind.EVENING, dt.time(21, 0)),  # an evening question's "nine"
        ("puoli yhdeksän illalla", CheckinKind.EVENING, dt.time(20, 30)),
        # Inside the quiet hours (from 21.30), an evening check-in would come the next morning.
        ("illalla kymmeneltä", CheckinKind.EVENING, None),
        ("klo 14", CheckinKind.EVENING, None),
        ("en tiiä", CheckinKind.EVENING, None),
        ("huomenna", CheckinKind.MORNING, None),  # a day is not a time of day
        # A number alone answers "Mihin aikaan?" with the hour (digits 1-3 pick a choice before).
        ("8", CheckinKind.MORNING, dt.time(8, 0)),
        (" 9 ", CheckinKind.EVENING, dt.time(21, 0)),
        ("20", CheckinKind.EVENING, dt.time(20, 0)),
        ("14", CheckinKind.MORNING, None),
        ("99", CheckinKind.MORNING, None),
    ],
)
def test_checkin_times_from_the_clients_own_words(
    text: str, kind: CheckinKind, expected: dt.time | None
) -> None:
    assert checkin_time(text, kind, NOW, "Europe/Helsinki") == expected


def test_a_client_who_refused_is_asked_again_only_after_aloita() -> None:
    client = Client(created_at=NOW, consent=Consent.PENDING, consent_asked_at=NOW)
    refuse_consent(client, NOW)
    assert client.consent is Consent.REFUSED and client.status is ClientStatus.STOPPED
    assert not needs_onboarding(client)
    resume_messages(client)
    assert needs_onboarding(client) and client.status is ClientStatus.ONBOARDING


def test_aloita_after_stop_keeps_a_given_consent() -> None:
    client = Client(created_at=NOW, consent=Consent.GIVEN, status=ClientStatus.STOPPED)
    resume_messages(client)
    assert client.status is ClientStatus.ACTIVE and not needs_onboarding(client)
