"""Table tests for the Finnish time-expression parser (backend.timeparse).

Most cases run at NOW = Monday 2026-11-23 09:00 in Helsinki; the calendar
around it:

    ma 16.11.  ti 17.  ke 18.  to 19.  pe 20.  la 21.  su 22.   (last week)
    ma 23.11.  ti 24.  ke 25.  to 26.  pe 27.  la 28.  su 29.   (this week)
    ma 30.11.  ti 1.12. ke 2.12. to 3.12. pe 4.12. la 5.12. su 6.12. (next week)
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from backend.timeparse import ParsedTime, parse_time

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 11, 23, 9, 0)  # a Monday

Case = tuple[str, str | None]

TIMES_OF_DAY: list[Case] = [
    ("klo 14", "2026-11-23T14:00"),
    ("kello 14", "2026-11-23T14:00"),
    ("klo 14.30", "2026-11-23T14:30"),
    ("14:30", "2026-11-23T14:30"),
    ("klo 9.30", "2026-11-23T09:30"),
    ("klo 9:45", "2026-11-23T09:45"),
    ("klo 14,30", "2026-11-23T14:30"),
    ("klo. 14", "2026-11-23T14:00"),
    ("klo14", "2026-11-23T14:00"),
    ("KLO 14", "2026-11-23T14:00"),
    ("kl 16", "2026-11-23T16:00"),
    ("klo tasan 12", "2026-11-23T12:00"),
    ("klo 1430", "2026-11-23T14:30"),
    ("klo 23.59", "2026-11-23T23:59"),
    ("klo 14-16", "2026-11-23T14:00"),
    ("klo 14.00–15.30", "2026-11-23T14:00"),
    # exactly now is not "still ahead", so it is tomorrow
    ("klo 9", "2026-11-24T09:00"),
    ("klo 8", "2026-11-24T08:00"),
    ("klo 0.15", "2026-11-24T00:15"),
    ("klo 24", "2026-11-24T00:00"),
    ("klo 00.30", "2026-11-24T00:30"),
    ("kymmeneltä", "2026-11-23T10:00"),
    ("kymmenelta", "2026-11-23T10:00"),
    ("yhdeksältä", "2026-11-24T09:00"),
    ("yhdeksalta", "2026-11-24T09:00"),
    ("yheksältä", "2026-11-24T09:00"),
    # hours are literal on the 24-hour clock unless a day part says otherwise
    ("kahdelta", "2026-11-24T02:00"),
    ("kahelta", "2026-11-24T02:00"),
    ("kahdeltatoista", "2026-11-23T12:00"),
    ("kaheltatoista", "2026-11-23T12:00"),
    ("yhdeltätoista", "2026-11-23T11:00"),
    ("seitsemältätoista", "2026-11-23T17:00"),
    ("kahdeltakymmeneltä", "2026-11-23T20:00"),
    ("kasilta", "2026-11-24T08:00"),
    ("ysiltä", "2026-11-24T09:00"),
    ("kympiltä", "2026-11-23T10:00"),
    ("10:ltä", "2026-11-23T10:00"),
    ("puoli kymmenen", "2026-11-23T09:30"),
    ("puoli 10", "2026-11-23T09:30"),
    ("puol kymmenen", "2026-11-23T09:30"),
    ("puoli kymmeneltä", "2026-11-23T09:30"),
    ("puoli kaksitoista", "2026-11-23T11:30"),
    ("puoli yksi", "2026-11-24T00:30"),
    ("kello puoli yksitoista", "2026-11-23T10:30"),
    ("varttia yli kaksi", "2026-11-24T02:15"),
    ("varttia vaille kolme", "2026-11-24T02:45"),
    ("viittä vaille kymmenen", "2026-11-23T09:55"),
    ("kymmenen yli yhdeksän", "2026-11-23T09:10"),
    ("viis vaille kasi", "2026-11-24T07:55"),
    ("kahtakymmentä vaille kymmenen", "2026-11-23T09:40"),
    ("kakskyt yli kymmenen", "2026-11-23T10:20"),
    ("5 yli 10", "2026-11-23T10:05"),
    ("varttia vaille yksitoista", "2026-11-23T10:45"),
    ("kello kymmenen", "2026-11-23T10:00"),
    ("kello kaksi", "2026-11-24T02:00"),
    ("kymmenen aikaan", "2026-11-23T10:00"),
    ("kahden maissa", "2026-11-24T02:00"),
    ("yhentoista aikaan", "2026-11-23T11:00"),
    ("10 aikaan", "2026-11-23T10:00"),
    ("9-aikaan", "2026-11-24T09:00"),
    ("kahteentoista mennessä", "2026-11-23T12:00"),
    ("kahdeksasta alkaen", "2026-11-24T08:00"),
    ("aamulla kahdeksalta", "2026-11-24T08:00"),
    ("illalla seitsemältä", "2026-11-23T19:00"),
    ("illalla kuudelta", "2026-11-23T18:00"),
    ("kuudelta illalla", "2026-11-23T18:00"),
    ("illalla kymmeneltä", "2026-11-23T22:00"),
    ("illalla puoli kahdeksan", "2026-11-23T19:30"),
    ("illalla klo 7", "2026-11-23T19:00"),
    ("klo 19 illalla", "2026-11-23T19:00"),
    ("seiskalta illalla", "2026-11-23T19:00"),
    ("iltapäivällä kolmelta", "2026-11-23T15:00"),
    ("iltapäivällä puoli yksi", "2026-11-23T12:30"),
    ("klo 3 ip", "2026-11-23T15:00"),
    ("päivällä kahdelta", "2026-11-23T14:00"),
    ("aamupäivällä yhdeltätoista", "2026-11-23T11:00"),
    ("yöllä kahdelta", "2026-11-24T02:00"),
    ("yöllä yhdeltätoista", "2026-11-23T23:00"),
    ("puolilta öin", "2026-11-24T00:00"),
    ("puoliltaöin", "2026-11-24T00:00"),
    ("keskiyöllä", "2026-11-24T00:00"),
    ("keskipäivällä", "2026-11-23T12:00"),
    ("puolilta päivin", "2026-11-23T12:00"),
]

DAYS: list[Case] = [
    ("tänään", "2026-11-23"),
    ("tanaan", "2026-11-23"),
    ("tänää", "2026-11-23"),
    ("huomenna", "2026-11-24"),
    ("huomena", "2026-11-24"),
    ("HUOMENNA", "2026-11-24"),
    ("huomennakin", "2026-11-24"),
    ("huomisaamuna", "2026-11-24"),
    ("huomenna aamulla", "2026-11-24"),
    ("ylihuomenna", "2026-11-25"),
    ("yli huomenna", "2026-11-25"),
    ("ylihuomena", "2026-11-25"),
    ("eilen", "2026-11-22"),
    ("toissapäivänä", "2026-11-21"),
    ("toissa päivänä", "2026-11-21"),
    ("toissapaivana", "2026-11-21"),
    # a weekday without a time is never today
    ("maanantaina", "2026-11-30"),
    ("maanantai", "2026-11-30"),
    ("tiistaina", "2026-11-24"),
    ("tiistai", "2026-11-24"),
    ("keskiviikkona", "2026-11-25"),
    ("torstaina", "2026-11-26"),
    ("torstai", "2026-11-26"),
    ("perjantaina", "2026-11-27"),
    ("perjantaihin mennessä", "2026-11-27"),
    ("lauantaina", "2026-11-28"),
    ("sunnuntaina", "2026-11-29"),
    ("ma", "2026-11-30"),
    ("ti", "2026-11-24"),
    ("ke", "2026-11-25"),
    ("to", "2026-11-26"),
    ("pe.", "2026-11-27"),
    ("la", "2026-11-28"),
    ("su", "2026-11-29"),
    ("Ti!", "2026-11-24"),
    ("ensi viikon tiistaina", "2026-12-01"),
    ("ensi viikolla tiistaina", "2026-12-01"),
    ("tiistaina ensi viikolla", "2026-12-01"),
    ("ens viikon torstaina", "2026-12-03"),
    ("seuraavan viikon maanantaina", "2026-11-30"),
    # "ensi X" is the next X strictly after today
    ("ensi maanantaina", "2026-11-30"),
    ("ensi torstaina", "2026-11-26"),
    ("ensi ti", "2026-11-24"),
    ("viime perjantaina", "2026-11-20"),
    ("viime maanantaina", "2026-11-16"),
    ("viime viikon torstaina", "2026-11-19"),
    ("tällä viikolla perjantaina", "2026-11-27"),
    ("tämän viikon keskiviikkona", "2026-11-25"),
    ("viikon päästä", "2026-11-30"),
    ("viikon kuluttua", "2026-11-30"),
    ("kahden viikon päästä", "2026-12-07"),
    ("kolmen päivän päästä", "2026-11-26"),
    ("3 päivän päästä", "2026-11-26"),
    ("päivän päästä", "2026-11-24"),
    ("viikon päästä tiistaina", "2026-12-01"),
    ("viikko sitten", "2026-11-16"),
    ("kaksi päivää sitten", "2026-11-21"),
    ("tänä iltana", "2026-11-23"),
    ("maanantai-iltana", "2026-11-30"),
    ("perjantaiaamuna", "2026-11-27"),
]

DATES: list[Case] = [
    ("25.11.", "2026-11-25"),
    ("25.11", "2026-11-25"),
    ("25.11.2026", "2026-11-25"),
    ("25.11.26", "2026-11-25"),
    ("2026-11-25", "2026-11-25"),
    ("2.12.", "2026-12-02"),
    ("3. joulukuuta", "2026-12-03"),
    ("3.joulukuuta", "2026-12-03"),
    ("3 joulukuuta", "2026-12-03"),
    ("joulukuun 3.", "2026-12-03"),
    ("joulukuun 3. päivä", "2026-12-03"),
    ("3. päivä joulukuuta", "2026-12-03"),
    ("3. jouluk.", "2026-12-03"),
    ("1. tammikuuta", "2027-01-01"),
    ("tammikuun 15.", "2027-01-15"),
    ("helmikuun 2.", "2027-02-02"),
    ("15. maaliskuuta", "2027-03-15"),
    ("kesäkuun 10.", "2027-06-10"),
    ("kesakuun 10.", "2027-06-10"),
    ("5. toukokuuta 2027", "2027-05-05"),
    ("marraskuun 30.", "2026-11-30"),
    # today's date is today; a passed date rolls into next year
    ("23.11.", "2026-11-23"),
    ("22.11.", "2027-11-22"),
    ("20.11.", "2027-11-20"),
    ("31.12.", "2026-12-31"),
    ("1.1.2027", "2027-01-01"),
    ("1.5.2026", "2026-05-01"),
    ("29.2.", "2028-02-29"),
    ("10.10.", "2027-10-10"),
    ("10.10", "2027-10-10"),
    ("25. päivä", "2026-11-25"),
    ("ensi kuun 3. päivä", "2026-12-03"),
    ("tiistaina 24.11.", "2026-11-24"),
    ("ti 1.12", "2026-12-01"),
    # a range of days starts on its first day, also over a month end
    ("olin 3.-5.12. reissussa", "2026-12-03"),
    ("30.-2.12.", "2026-11-30"),
    # holidays on a fixed date
    ("jouluaattona", "2026-12-24"),
    ("itsenäisyyspäivänä", "2026-12-06"),
    ("uudenvuodenaattona", "2026-12-31"),
    ("vappuna", "2027-05-01"),
]

COMBINED: list[Case] = [
    ("huomenna kymmeneltä", "2026-11-24T10:00"),
    ("huomenna klo 8", "2026-11-24T08:00"),
    ("huomena klo 9", "2026-11-24T09:00"),
    ("Huomenna Klo 9", "2026-11-24T09:00"),
    ("klo 14 huomenna", "2026-11-24T14:00"),
    ("huomenna 10", "2026-11-24T10:00"),
    ("huomenna 10.10", "2026-11-24T10:10"),
    ("huomenna 12.30", "2026-11-24T12:30"),
    ("huomenna klo 10 tai 11", "2026-11-24T10:00"),
    ("to klo 14", "2026-11-26T14:00"),
    ("to 14", "2026-11-26T14:00"),
    ("to. klo 14", "2026-11-26T14:00"),
    # today is Monday: with the time still ahead, "ma" is today
    ("ma klo 10", "2026-11-23T10:00"),
    ("maanantaina klo 10", "2026-11-23T10:00"),
    ("ma klo 8", "2026-11-30T08:00"),
    ("maanantaina puoli yhdeksän", "2026-11-30T08:30"),
    ("ensi maanantaina klo 10", "2026-11-30T10:00"),
    ("25.11. klo 9.30", "2026-11-25T09:30"),
    ("klo 9.30 25.11.", "2026-11-25T09:30"),
    ("25.11. 10.10", "2026-11-25T10:10"),
    ("25.11.2026 kello 16.15", "2026-11-25T16:15"),
    ("ensi viikon tiistaina klo 12", "2026-12-01T12:00"),
    ("mulla on lääkäri torstaina klo 14", "2026-11-26T14:00"),
    ("mulla on laakari torstaina klo 14", "2026-11-26T14:00"),
    ("tanaan klo 15", "2026-11-23T15:00"),
    ("Tänään klo 15!", "2026-11-23T15:00"),
    ("tänään klo 8", "2026-11-23T08:00"),
    ("eilen klo 14", "2026-11-22T14:00"),
    ("ylihuomenna puoli kolme", "2026-11-25T02:30"),
    ("ylihuomenna iltapäivällä puoli kolme", "2026-11-25T14:30"),
    ("3. joulukuuta kello 13", "2026-12-03T13:00"),
    ("pe 27.11. klo 10.15", "2026-11-27T10:15"),
    ("torstaina 26.11. klo 14", "2026-11-26T14:00"),
    ("keskiviikkona iltapäivällä kolmelta", "2026-11-25T15:00"),
    ("lauantaina keskipäivällä", "2026-11-28T12:00"),
    ("sunnuntaina yöllä kahdelta", "2026-11-29T02:00"),
    ("perjantaina kello puoli kaksitoista", "2026-11-27T11:30"),
    ("viime perjantaina klo 10", "2026-11-20T10:00"),
    ("viikon päästä klo 10", "2026-11-30T10:00"),
    ("torstai-iltana kuudelta", "2026-11-26T18:00"),
    ("huomisiltana seitsemältä", "2026-11-24T19:00"),
    ("tänä iltana klo 8", "2026-11-23T20:00"),
    ("huomenna illalla kahdeltatoista", "2026-11-25T00:00"),
    ("haastattelu on ke 25.11 klo 13:00, tuutko mukaan?", "2026-11-25T13:00"),
    ("te-toimiston aika ti klo 9.30", "2026-11-24T09:30"),
    ("Mä meen huomenna kymmeneltä lääkäriin", "2026-11-24T10:00"),
    ("tapaaminen 2.12. klo 12.15 kirjastolla", "2026-12-02T12:15"),
    ("tunnin päästä", "2026-11-23T10:00"),
    ("puolen tunnin päästä", "2026-11-23T09:30"),
    ("vartin päästä", "2026-11-23T09:15"),
    ("2 tunnin päästä", "2026-11-23T11:00"),
    ("kahden tunnin kuluttua", "2026-11-23T11:00"),
    ("tunti sitten", "2026-11-23T08:00"),
    ("ti 14", "2026-11-24T14:00"),
    ("huomenna 3 yöllä", "2026-11-24T03:00"),
    ("huomenna 3 kertaa", "2026-11-24"),
    ("jouluaattona klo 14", "2026-12-24T14:00"),
    ("klo kakstoista", "2026-11-23T12:00"),
    ("kahdeltatoist", "2026-11-23T12:00"),
    ("kahdeksasta neljään", "2026-11-24T08:00"),
    ("mä kymmeneltä", "2026-11-23T10:00"),
]

NOTHING: list[Case] = [
    ("", None),
    ("   ", None),
    ("ei", None),
    ("kiitos", None),
    ("joo", None),
    ("nyt", None),
    ("hyvää huomenta", None),
    ("huomenta", None),
    ("mä", None),
    ("mä oon väsyny", None),
    ("ma oon vasyny", None),
    ("joskus ensi viikolla", None),
    ("ensi viikolla", None),
    ("ensi viikolla klo 14", None),
    ("tällä viikolla", None),
    ("ensi kuussa", None),
    ("joulukuussa", None),
    ("viikonloppuna", None),
    ("joskus kymmeneltä", None),
    ("parin päivän päästä", None),
    ("muutaman päivän päästä klo 10", None),
    ("kuukauden päästä", None),
    ("pari päivää sitten", None),
    ("31.2.", None),
    ("31.2. klo 14", None),
    ("31.4.", None),
    ("32.1.", None),
    ("29.2.2027", None),
    ("31. helmikuuta", None),
    ("klo 25", None),
    ("huomenna klo 25", None),
    ("klo 14.75", None),
    ("klo 9.3", None),
    ("14:75", None),
    ("1000 euroa", None),
    ("olen 25 vuotta", None),
    ("3 kertaa", None),
    ("12.50 euroa", None),
    ("maksoin 12.50 €", None),
    ("kymmenen euroa", None),
    ("kaksi", None),
    ("puoli tuntia", None),
    ("yli kaksi vuotta", None),
    ("kello on paljon", None),
    ("sain vastauksen kahdelta työnantajalta", None),
    ("versio 2.0", None),
    ("192.168.1.1", None),
    ("040 123 4567", None),
    ("kesti 1.5 tuntia", None),
    ("jouluna", None),
    ("juhannuksena", None),
    ("puhuttiin kahdesta asiasta", None),
    ("käsiltä", None),
    ("😀", None),
    ("\x00\x01\x1b[31m", None),
]

ALL_CASES = TIMES_OF_DAY + DAYS + DATES + COMBINED + NOTHING


def _value(result: ParsedTime | None) -> str | None:
    return None if result is None else result.to_value()


@pytest.mark.parametrize(("text", "expected"), ALL_CASES, ids=[repr(c[0]) for c in ALL_CASES])
def test_from_monday_morning(text: str, expected: str | None) -> None:
    assert _value(parse_time(text, NOW)) == expected


PAST_CASES: list[Case] = [
    ("heräsin kahdeksalta", "2026-11-23T08:00"),
    ("heräsin kymmeneltä", "2026-11-22T10:00"),
    ("klo 9", "2026-11-23T09:00"),
    ("klo 14", "2026-11-22T14:00"),
    ("nukahdin yhdeltä", "2026-11-23T01:00"),
    ("illalla yhdeltätoista", "2026-11-22T23:00"),
    ("maanantaina", "2026-11-16"),
    ("perjantaina", "2026-11-20"),
    ("su", "2026-11-22"),
    ("torstaina klo 14", "2026-11-19T14:00"),
    ("maanantaina klo 8", "2026-11-23T08:00"),
    ("maanantaina klo 10", "2026-11-16T10:00"),
    ("25.11.", "2025-11-25"),
    ("20.11.", "2026-11-20"),
    ("23.11.", "2026-11-23"),
    ("23.11. klo 10", "2025-11-23T10:00"),
    ("eilen", "2026-11-22"),
    ("huomenna", "2026-11-24"),
    ("viime viikon torstaina", "2026-11-19"),
    ("viikko sitten", "2026-11-16"),
]


@pytest.mark.parametrize(("text", "expected"), PAST_CASES, ids=[repr(c[0]) for c in PAST_CASES])
def test_reported_in_the_past(text: str, expected: str | None) -> None:
    assert _value(parse_time(text, NOW, prefer="past")) == expected


# (now, text, expected) around the turn of the year
YEAR_END_CASES: list[tuple[datetime.datetime, str, str | None]] = [
    (datetime.datetime(2026, 12, 30, 10, 0), "2.1.", "2027-01-02"),
    (datetime.datetime(2026, 12, 30, 10, 0), "2.1", "2027-01-02"),
    (datetime.datetime(2026, 12, 30, 10, 0), "30.12.", "2026-12-30"),
    (datetime.datetime(2026, 12, 30, 10, 0), "29.12.", "2027-12-29"),
    (datetime.datetime(2026, 12, 30, 10, 0), "30.12. klo 9", "2027-12-30T09:00"),
    (datetime.datetime(2026, 12, 30, 10, 0), "31.12. klo 12", "2026-12-31T12:00"),
    (datetime.datetime(2026, 12, 30, 10, 0), "tammikuun 1.", "2027-01-01"),
    (datetime.datetime(2026, 12, 30, 10, 0), "6. tammikuuta", "2027-01-06"),
    (datetime.datetime(2026, 12, 30, 10, 0), "huomenna", "2026-12-31"),
    (datetime.datetime(2026, 12, 30, 10, 0), "ylihuomenna", "2027-01-01"),
    (datetime.datetime(2026, 12, 30, 10, 0), "perjantaina", "2027-01-01"),
    (datetime.datetime(2026, 12, 30, 10, 0), "ensi viikon maanantaina", "2027-01-04"),
    (datetime.datetime(2026, 12, 30, 10, 0), "viikon päästä", "2027-01-06"),
    (datetime.datetime(2026, 12, 30, 10, 0), "klo 9", "2026-12-31T09:00"),
    (datetime.datetime(2026, 12, 30, 10, 0), "1.1.2026", "2026-01-01"),
    (datetime.datetime(2026, 12, 30, 10, 0), "2.1.27", "2027-01-02"),
    (datetime.datetime(2026, 12, 30, 10, 0), "5. päivä", "2027-01-05"),
    (datetime.datetime(2026, 12, 30, 10, 0), "ensi kuun 3.", "2027-01-03"),
    (datetime.datetime(2026, 12, 31, 23, 30), "klo 0.30", "2027-01-01T00:30"),
    (datetime.datetime(2026, 12, 31, 23, 30), "huomenna", "2027-01-01"),
    (datetime.datetime(2026, 12, 31, 23, 30), "puolilta öin", "2027-01-01T00:00"),
    (datetime.datetime(2026, 12, 31, 23, 30), "klo 24", "2027-01-01T00:00"),
    (datetime.datetime(2026, 12, 31, 23, 30), "tänään klo 24", "2027-01-01T00:00"),
    (datetime.datetime(2027, 1, 2, 12, 0), "eilen", "2027-01-01"),
    (datetime.datetime(2027, 1, 2, 12, 0), "toissapäivänä", "2026-12-31"),
    (datetime.datetime(2027, 1, 2, 12, 0), "viime viikon maanantaina", "2026-12-21"),
    (datetime.datetime(2027, 1, 15, 12, 0), "ensi kuun 30.", None),
    (datetime.datetime(2027, 1, 15, 12, 0), "ensi kuun 28.", "2027-02-28"),
]


@pytest.mark.parametrize(("now", "text", "expected"), YEAR_END_CASES)
def test_around_year_end(now: datetime.datetime, text: str, expected: str | None) -> None:
    assert _value(parse_time(text, now)) == expected


def test_past_date_before_new_year() -> None:
    now = datetime.datetime(2027, 1, 2, 12, 0)
    assert _value(parse_time("30.12.", now, prefer="past")) == "2026-12-30"
    assert _value(parse_time("3.1.", now, prefer="past")) == "2026-01-03"


# Helsinki: 2026-03-29 03:00 -> 04:00 (spring), 2026-10-25 04:00 -> 03:00 (autumn).
DST_CASES: list[tuple[datetime.datetime, str, str | None]] = [
    # Wall-clock values survive the change: "huomenna klo 8" is 08:00 local.
    (datetime.datetime(2026, 3, 28, 9, 0), "huomenna klo 8", "2026-03-29T08:00"),
    (datetime.datetime(2026, 3, 28, 9, 0), "klo 8", "2026-03-29T08:00"),
    (datetime.datetime(2026, 3, 28, 9, 0), "sunnuntaina kymmeneltä", "2026-03-29T10:00"),
    # A skipped wall time is returned as written; the caller decides what to do.
    (datetime.datetime(2026, 3, 28, 9, 0), "huomenna klo 3.30", "2026-03-29T03:30"),
    (datetime.datetime(2026, 3, 29, 2, 30), "tunnin päästä", "2026-03-29T04:30"),
    (datetime.datetime(2026, 10, 24, 12, 0), "huomenna klo 8", "2026-10-25T08:00"),
    (datetime.datetime(2026, 10, 24, 12, 0), "huomenna klo 3.30", "2026-10-25T03:30"),
    (datetime.datetime(2026, 10, 24, 12, 0), "viikon päästä klo 9", "2026-10-31T09:00"),
    (datetime.datetime(2026, 10, 25, 2, 0), "klo 3", "2026-10-25T03:00"),
    (datetime.datetime(2026, 10, 25, 5, 0), "klo 3", "2026-10-26T03:00"),
]


@pytest.mark.parametrize(("now", "text", "expected"), DST_CASES)
def test_across_daylight_saving_changes(
    now: datetime.datetime, text: str, expected: str | None
) -> None:
    assert _value(parse_time(text, now)) == expected


def test_elapsed_time_is_real_time_across_spring_forward() -> None:
    # 02:30 EET is 00:30 UTC; an hour later the clocks show 04:30 EEST.
    now = datetime.datetime(2026, 3, 29, 2, 30, tzinfo=HELSINKI)
    assert _value(parse_time("tunnin päästä", now)) == "2026-03-29T04:30"


def test_elapsed_time_is_real_time_across_fall_back() -> None:
    # 03:30 EEST (first pass) is 00:30 UTC; an hour later it is 03:30 EET again.
    now = datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert _value(parse_time("tunnin päästä", now)) == "2026-10-25T03:30"


def test_aware_now_is_converted_to_helsinki() -> None:
    now = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki
    assert _value(parse_time("klo 9", now)) == "2026-11-24T09:00"
    assert _value(parse_time("klo 9.01", now)) == "2026-11-23T09:01"


def test_aware_now_late_evening_utc_is_next_day_in_helsinki() -> None:
    now = datetime.datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # Tue 01:00 in Helsinki
    assert _value(parse_time("tänään", now)) == "2026-11-24"
    assert _value(parse_time("huomenna", now)) == "2026-11-25"


def test_other_time_zone() -> None:
    new_york = ZoneInfo("America/New_York")
    now = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 02:00 in New York
    assert _value(parse_time("klo 3", now, tz=new_york)) == "2026-11-23T03:00"
    naive = datetime.datetime(2026, 11, 23, 2, 0)
    assert _value(parse_time("klo 3", naive, tz=new_york)) == "2026-11-23T03:00"


def test_result_fields() -> None:
    result = parse_time("huomenna klo 10", NOW)
    assert result == ParsedTime(datetime.date(2026, 11, 24), datetime.time(10, 0))
    day_only = parse_time("huomenna", NOW)
    assert day_only == ParsedTime(datetime.date(2026, 11, 24), None)


def test_to_value_has_minute_precision_and_no_offset() -> None:
    value = ParsedTime(datetime.date(2026, 11, 24), datetime.time(10, 0, 59)).to_value()
    assert value == "2026-11-24T10:00"
    assert ParsedTime(datetime.date(2026, 1, 2), None).to_value() == "2026-01-02"


def test_elapsed_drops_seconds() -> None:
    now = datetime.datetime(2026, 11, 23, 9, 0, 42)
    result = parse_time("vartin päästä", now)
    assert result is not None
    assert result.time == datetime.time(9, 15)


def test_first_time_wins() -> None:
    assert _value(parse_time("klo 10 tai klo 12", NOW)) == "2026-11-23T10:00"


def test_umlaut_mä_is_not_monday_but_plain_ma_before_a_time_is() -> None:
    assert _value(parse_time("mä klo 14", NOW)) == "2026-11-23T14:00"
    assert _value(parse_time("ma klo 14", NOW)) == "2026-11-23T14:00"
    assert _value(parse_time("mä 25.11.", NOW)) == "2026-11-25"
    assert _value(parse_time("ma 30.11.", NOW)) == "2026-11-30"


def test_decomposed_umlauts_are_understood() -> None:
    text = "yhdeksa\u0308lta\u0308"  # "yhdeksältä" with combining diaereses
    assert _value(parse_time(text, NOW)) == "2026-11-24T09:00"


@pytest.mark.parametrize(
    "text",
    [
        "a" * 10_000,
        "klo 14 " * 1_500,
        "31.2. " * 2_000,
        "huomenna " + "😀" * 9_000,
        "\x00" * 10_000,
        "puoli " * 2_000,
        "1" * 10_000,
        ".:" * 5_000,
        "\ud800\udfff",
    ],
    ids=[
        "letters",
        "many-times",
        "many-bad-dates",
        "emoji",
        "nul",
        "puoli",
        "digits",
        "punct",
        "surrogates",
    ],
)
def test_hostile_input_does_not_raise(text: str) -> None:
    parse_time(text, NOW)
    parse_time(text, NOW, prefer="past")


@pytest.mark.parametrize(
    "text",
    [
        "25.11. " * 3_000,
        "to 1 " * 4_000,
        "3 " * 8_000,
        "to" + " " * 16_000 + "1",
        "kymmeneltä huomenna puoli kymmenen varttia yli kaksi " * 400,
    ],
    ids=["dates", "weekday-hours", "numbers", "gap", "phrases"],
)
def test_long_input_is_parsed(text: str) -> None:
    # How long these take is measured by `make bench` (bench/parsers.py), not asserted here.
    parse_time(text, NOW)
    parse_time(text, NOW, prefer="past")


def test_time_named_far_into_a_long_message_is_found() -> None:
    text = "blaa " * 1_000 + "huomenna klo 10"
    assert _value(parse_time(text, NOW)) == "2026-11-24T10:00"


@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(9999, 12, 31, 23, 59),
        datetime.datetime(1, 1, 1, 0, 0),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    ],
)
def test_extreme_now_returns_none_instead_of_overflowing(now: datetime.datetime) -> None:
    for text in ("huomenna", "eilen", "klo 14", "31.12.", "1.1.", "viikon päästä", "tunnin päästä"):
        result = parse_time(text, now)
        assert result is None or isinstance(result, ParsedTime)


def test_invalid_prefer_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="prefer"):
        parse_time("klo 14", NOW, prefer="sometime")  # type: ignore[arg-type]


def test_case_count_is_large() -> None:
    total = len(ALL_CASES) + len(PAST_CASES) + len(YEAR_END_CASES) + len(DST_CASES)
    assert total >= 150
