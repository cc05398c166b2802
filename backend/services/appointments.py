"""Appointments: understood from the client's words, read back, kept, changed, cancelled, listed;
and "en pääse", answered without blame and told to the coach at once.

A draft is what the dialogue has understood so far (what, which day, what time, where); it lives
in the conversation until the client confirms it, and only then becomes an `Appointment`. Bad or
incomplete words never store anything: they give the question to ask next (`Problem`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import AlertKind, Appointment, AppointmentStatus, Client, JobState, ScheduledJob
from backend.models.base import StrEnum
from backend.services.alerts import raise_alert
from backend.services.appointment_reminders import (
    FOLLOW_UP,
    REMINDER,
    ReminderRules,
    cancel_reminders,
    plan_reminders,
)
from backend.texts.formatting import date_and_time, short_date
from backend.texts.responses import Renderer, Reply
from backend.timeparse import read_time

# The model's column widths (backend/models/appointments.py); a longer title or place is cut.
TITLE_MAX = 200
LOCATION_MAX = 200
PHONE_MAX = 32
# Longer messages are not read as an appointment at all: the client is asked for the short
# version (what, which day, what time), and nothing of the long text is kept.
WORDS_MAX = 300
# How many wrong answers the adding dialogue takes before it lets the matter rest.
TRIES_MAX = 3
# How many coming appointments a list shows: a list must fit in two SMS.
LIST_MAX = 3
# "en pääse" without a day means the appointment reminded of lately, or the next one this soon.
RECENT_REMINDER = dt.timedelta(hours=36)
SOON = dt.timedelta(days=7)

# Known kinds of appointment by the beginning of a word (ä/ö folded, lower case), and the title
# read back. Longer stems first: "hammaslaakari" is not "laakari".
_TITLES: tuple[tuple[str, str], ...] = (
    ("hammaslaakar", "hammaslääkäri"),
    ("hammashoi", "hammaslääkäri"),
    ("fysioterap", "fysioterapia"),
    ("fysiolle", "fysioterapia"),
    ("psykiatr", "psykiatri"),
    ("psykolog", "psykologi"),
    ("terapi", "terapia"),
    ("laakar", "lääkäri"),
    ("laakkar", "lääkäri"),
    ("lekur", "lääkäri"),
    ("doktor", "lääkäri"),
    ("terveysasem", "terveysasema"),
    ("terkkar", "terveysasema"),
    ("sairaanhoitaj", "hoitaja"),
    ("hoitaja", "hoitaja"),
    ("sossu", "sosiaalityöntekijä"),
    ("sosiaalityontekij", "sosiaalityöntekijä"),
    ("sosiaalitoimis", "sosiaalitoimisto"),
    ("te-toimis", "TE-toimisto"),
    ("tetoimis", "TE-toimisto"),
    ("tyokkar", "TE-toimisto"),
    ("tyovoimatoimis", "TE-toimisto"),
    ("kela", "Kela"),
    ("kuntouttav", "työtoiminta"),
    ("tyotoimin", "työtoiminta"),
    ("tyopaja", "työpaja"),
    ("ohjaaj", "ohjaaja"),
    ("valmentaj", "valmentaja"),
    ("haastattel", "haastattelu"),
    ("tyohaastat", "työhaastattelu"),
    ("labra", "laboratorio"),
    ("laboratori", "laboratorio"),
    ("verikok", "verikokeet"),
    ("rontgen", "röntgen"),
    ("neuvol", "neuvola"),
    ("a-klinik", "A-klinikka"),
    ("paihde", "päihdepalvelut"),
    ("velkaneuvo", "velkaneuvonta"),
    ("edunvalvo", "edunvalvoja"),
    ("optik", "optikko"),
    ("palaveri", "palaveri"),
    ("palsu", "palaveri"),
    ("kokous", "kokous"),
    ("tapaami", "tapaaminen"),
)
DEFAULT_TITLE = "tapaaminen"
# The kinds whose outcome the coach needs: the next day the client is asked whether they got
# there. A coach may ask it of any appointment (`askel appointment add --follow-up`).
FOLLOW_UP_TITLES = frozenset(
    {"TE-toimisto", "Kela", "sosiaalityöntekijä", "sosiaalitoimisto", "työtoiminta",
     "työpaja", "työhaastattelu", "haastattelu", "ohjaaja", "valmentaja"}
)  # fmt: skip
# "Kalevantiellä 5", "Hämeenkadulla", "Hervannan terveysasemalla": where, as the client wrote it.
_STREET = re.compile(
    r"\b([A-ZÅÄÖ][\wåäö-]*(?:tie|katu|kuja|polku|raitti|väylä|tori|aukio)"
    r"(?:llä|lla|ssa|ssä|lle|n)?(?:\s+\d+\s?[a-zA-Z]?)?)\b"
)
_PLACE = re.compile(
    r"\b((?:[A-ZÅÄÖ][\wåäö-]*n\s+)?(?:terveysasema|sairaala|toimisto|klinikka|keskus|kirjasto)"
    r"(?:lla|llä|ssa|ssä|lle)?)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<!\d)(\+?\d[\d -]{5,18}\d)(?!\d)")
_YES = {
    "kyllä",
    "kylla",
    "joo",
    "juu",
    "jep",
    "ok",
    "okei",
    "on",
    "oikein",
    "pitää paikkansa",
    "kyl",
    "joo on",
    "kyllä on",
    "/affirm",
    "totta",
}
_NO = {"ei", "eip", "ei oo", "ei ole", "väärin", "vaarin", "/deny", "ei pidä", "nope"}
_LET_BE = ("peru", "antaa olla", "anna olla", "unohda", "ei mitään", "en halua", "lopeta")


class Problem(StrEnum):
    """Why the words are not yet an appointment, which is also the question asked next."""

    TOO_LONG = "too_long"
    NO_DAY = "no_day"
    NO_TIME = "no_time"
    VAGUE = "vague"
    INVALID = "invalid"
    PAST = "past"
    FAR = "far"
    CONFIRM = "confirm"  # all there: read back and ask whether it is right


class MissReason(StrEnum):
    """Why the client cannot come, if they want to say; one word or a digit."""

    SICK = "sick"
    OTHER_BUSINESS = "other_business"
    OTHER = "other"


@dataclass(frozen=True)
class Draft:
    """What the dialogue has understood so far; kept in the conversation as JSON."""

    title: str | None = None
    day: str | None = None  # ISO date
    time: str | None = None  # "HH:MM"
    location: str | None = None
    phone: str | None = None
    tries: int = 0

    def to_json(self) -> str:
        """The draft as a slot value."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, value: object) -> Draft:
        """The draft a slot holds; an empty or broken slot is an empty draft."""
        try:
            data = json.loads(str(value)) if value else {}
            return cls(**data) if isinstance(data, dict) else cls()
        except (TypeError, ValueError):
            return cls()

    def starts_at(self, zone: ZoneInfo) -> dt.datetime | None:
        """The local start as aware UTC, once both day and time are known."""
        if self.day is None or self.time is None:
            return None
        wall = dt.datetime.combine(
            dt.date.fromisoformat(self.day), dt.time.fromisoformat(self.time)
        )
        return wall.replace(tzinfo=zone).astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class Understood:
    """The draft after the client's latest words, and what to ask next."""

    draft: Draft
    problem: Problem


def fold(text: str) -> str:
    """Lower case with ä/ö/å folded, as clients often type without them."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def title_of(text: str) -> str | None:
    """The kind of appointment the words name ("hammaslääkäriin" -> "hammaslääkäri")."""
    for word in fold(text).split():
        for stem, title in _TITLES:
            if word.startswith(stem):
                return title
    return None


def location_of(text: str) -> str | None:
    """Where, as the client wrote it ("Kalevantiellä 5"), if the words say."""
    found = _STREET.search(text) or _PLACE.search(text)
    return found.group(1).strip()[:LOCATION_MAX] if found else None


def phone_of(text: str) -> str | None:
    """A phone number in the words, if any (with at least seven digits)."""
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if len(digits) >= 7 and not re.fullmatch(r"\d{1,2}[.]\d{1,2}[.]?\d*", match.group(1)):
            return match.group(1).strip()[:PHONE_MAX]
    return None


def _checked(draft: Draft, now: dt.datetime, zone: ZoneInfo, max_days: int) -> Problem:
    if draft.day is None:
        return Problem.NO_DAY
    today = now.astimezone(zone).date()
    day = dt.date.fromisoformat(draft.day)
    if day < today:
        return Problem.PAST
    if (day - today).days > max_days:
        return Problem.FAR
    starts_at = draft.starts_at(zone)
    if starts_at is None:
        return Problem.NO_TIME
    if starts_at <= now:
        return Problem.PAST
    return Problem.CONFIRM


def understand(
    draft: Draft, text: str, now: dt.datetime, zone: ZoneInfo, max_days: int
) -> Understood:
    """Add what `text` says to `draft`, and find what is still to ask.

    A day or time the words name replaces the draft's; a day or time that does not exist, a day
    talked about but not named, a time past or absurdly far away is a problem, never stored.
    """
    if len(text) > WORDS_MAX:
        return Understood(draft, Problem.TOO_LONG)
    # What and where are kept even when the time is wrong: only the time is asked again.
    changed = replace(
        draft,
        title=title_of(text) or draft.title,
        location=location_of(text) or draft.location,
        phone=phone_of(text) or draft.phone,
    )
    reading = read_time(text, now, tz=zone)
    if reading.invalid:
        return Understood(changed, Problem.INVALID)
    if reading.vague and not reading.names_day:
        return Understood(changed, Problem.VAGUE)
    if reading.value is not None:
        if reading.names_day:
            changed = replace(changed, day=reading.value.date.isoformat())
        if reading.names_time and reading.value.time is not None:
            changed = replace(changed, time=reading.value.time.strftime("%H:%M"))
    return Understood(changed, _checked(changed, now, zone, max_days))


def answer_of(text: str, intent: str | None) -> bool | None:
    """A yes or a no to a question, from the intent or the words; None when neither."""
    if intent in ("affirm", "deny"):
        return intent == "affirm"
    words = text.strip().lower().rstrip("!.")
    if words in _YES or fold(words) in _YES:
        return True
    if words in _NO or fold(words) in _NO:
        return False
    return None


def lets_it_be(text: str) -> bool:
    """Whether the client asks to drop the matter ("peru", "antaa olla")."""
    folded = fold(text)
    return any(fold(phrase) in folded for phrase in _LET_BE)


@dataclass(frozen=True)
class Step:
    """The adding dialogue's next move: ask (the problem says what), save, or let it be."""

    understood: Understood
    done: bool = False  # confirmed: save the draft
    dropped: bool = False  # too many tries, or the client let it be


def next_step(
    draft: Draft,
    problem: Problem | None,
    text: str,
    intent: str | None,
    now: dt.datetime,
    zone: ZoneInfo,
    max_days: int,
) -> Step:
    """The client answered the question the `problem` asked: what happens now.

    At the read-back a yes saves and a no asks for the day again; words with a day or time
    ("ei vaan klo 15") correct the draft and read it back again. Elsewhere the words fill in
    the draft; after `TRIES_MAX` answers that do not, the matter is let be.
    """
    if lets_it_be(text):
        return Step(Understood(draft, problem or Problem.NO_DAY), dropped=True)
    reading = read_time(text, now, tz=zone)
    corrects = reading.names_day or reading.names_time or reading.invalid or reading.vague
    if problem is Problem.CONFIRM and not corrects:
        answer = answer_of(text, intent)
        if answer is True:
            return Step(Understood(draft, Problem.CONFIRM), done=True)
        if answer is False:
            return Step(Understood(replace(draft, day=None, time=None), Problem.NO_DAY))
    understood = understand(draft, text, now, zone, max_days)
    if understood.problem is Problem.CONFIRM:
        return Step(understood)
    tried = replace(understood.draft, tries=understood.draft.tries + 1)
    return Step(Understood(tried, understood.problem), dropped=tried.tries >= TRIES_MAX)


def start_adding(text: str, now: dt.datetime, zone: ZoneInfo, max_days: int) -> Understood:
    """The first words of a new appointment ("mulla on lääkäri torstaina klo 14")."""
    return understand(Draft(), text, now, zone, max_days)


# -- reading back ---------------------------------------------------------------------------


def describe(title: str, starts_at: dt.datetime, location: str | None, zone: ZoneInfo) -> str:
    """'to 26.11. klo 14.00, lääkäri, Kalevantiellä': unambiguous, as it is read back."""
    parts = [date_and_time(starts_at.astimezone(zone)), title]
    if location:
        parts.append(location)
    return ", ".join(parts)


def describe_draft(draft: Draft, zone: ZoneInfo) -> str:
    """A complete draft read back; a draft missing its day or time says what it has."""
    starts_at = draft.starts_at(zone)
    title = draft.title or DEFAULT_TITLE
    if starts_at is not None:
        return describe(title, starts_at, draft.location, zone)
    if draft.day is not None:
        return f"{short_date(dt.date.fromisoformat(draft.day))}, {title}"
    return title


def question_for(problem: Problem) -> str:
    """The response that asks what the problem needs."""
    return f"utter_appointment_{problem.value}"


# -- keeping appointments ---------------------------------------------------------------------


def add_appointment(
    session: Session,
    client: Client,
    title: str,
    starts_at: dt.datetime,
    now: dt.datetime,
    rules: ReminderRules,
    *,
    location: str | None = None,
    contact_phone: str | None = None,
    follow_up: bool = False,
    added_by_coach: bool = False,
) -> Appointment:
    """Keep an appointment and plan its reminders. The caller has checked the time."""
    appointment = Appointment(
        client_id=client.id,
        title=title.strip()[:TITLE_MAX] or DEFAULT_TITLE,
        starts_at=starts_at.astimezone(dt.timezone.utc),
        location=location[:LOCATION_MAX] if location else None,
        contact_phone=contact_phone[:PHONE_MAX] if contact_phone else None,
        follow_up=follow_up,
        added_by_coach=added_by_coach,
        created_at=now,
    )
    session.add(appointment)
    session.flush()
    plan_reminders(session, appointment, client, now, rules)
    return appointment


def save_draft(
    session: Session, client: Client, draft: Draft, now: dt.datetime, rules: ReminderRules
) -> Appointment:
    """Keep the appointment the client confirmed."""
    starts_at = draft.starts_at(ZoneInfo(client.timezone))
    if starts_at is None:
        raise ValueError("a draft without a day and a time cannot be kept")
    return add_appointment(
        session,
        client,
        draft.title or DEFAULT_TITLE,
        starts_at,
        now,
        rules,
        location=draft.location,
        contact_phone=draft.phone,
        follow_up=draft.title in FOLLOW_UP_TITLES,
    )


def change_appointment(
    session: Session,
    appointment: Appointment,
    starts_at: dt.datetime,
    now: dt.datetime,
    rules: ReminderRules,
) -> None:
    """Move an appointment: it is planned again, and so are its reminders."""
    appointment.starts_at = starts_at.astimezone(dt.timezone.utc)
    appointment.status = AppointmentStatus.PLANNED
    appointment.miss_reason = None
    client = session.get_one(Client, appointment.client_id)
    plan_reminders(session, appointment, client, now, rules)


def set_status(
    session: Session, appointment: Appointment, status: AppointmentStatus, now: dt.datetime
) -> None:
    """Cancelled, to be moved, kept or missed: no reminder for it is sent any more."""
    appointment.status = status
    cancel_reminders(session, appointment.id, now)


def coming(session: Session, client: Client, now: dt.datetime) -> list[Appointment]:
    """The client's planned appointments from now on, soonest first."""
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.client_id == client.id,
                Appointment.status == AppointmentStatus.PLANNED,
                Appointment.starts_at > now,
            )
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def own_appointment(session: Session, client: Client, appointment_id: object) -> Appointment | None:
    """The client's appointment with this id (from a button), or None for anyone else's."""
    try:
        wanted = int(str(appointment_id))
    except ValueError:
        return None
    appointment = session.get(Appointment, wanted)
    return appointment if appointment is not None and appointment.client_id == client.id else None


def listing(
    session: Session, client: Client, now: dt.datetime, *, only_next: bool
) -> tuple[str, dict[str, object]]:
    """The response and values that list the coming appointments, or only the next one."""
    zone = ZoneInfo(client.timezone)
    found = coming(session, client, now)
    if not found:
        return "utter_appointments_none", {}
    if only_next:
        first = found[0]
        return "utter_appointment_next", {
            "appointment": describe(first.title, first.starts_at, first.location, zone)
        }
    lines = [describe(a.title[:40], a.starts_at, None, zone) for a in found[:LIST_MAX]]
    more = len(found) - LIST_MAX
    if more > 0:
        return "utter_appointments_list_more", {"lines": "\n".join(lines), "n": more}
    return "utter_appointments_list", {"lines": "\n".join(lines)}


def asks_only_next(text: str) -> bool:
    """ "milloin on seuraava?" asks for one; "mitä tapaamisia mulla on?" for the list."""
    return "seuraav" in fold(text)


# -- "en pääse" -------------------------------------------------------------------------------


def _recently_reminded(session: Session, client: Client, now: dt.datetime) -> Appointment | None:
    job = session.scalars(
        select(ScheduledJob)
        .where(
            ScheduledJob.client_id == client.id,
            ScheduledJob.kind == REMINDER,
            ScheduledJob.state == JobState.DONE,
            ScheduledJob.finished_at >= now - RECENT_REMINDER,
        )
        .order_by(ScheduledJob.finished_at.desc(), ScheduledJob.id.desc())
        .limit(1)
    ).one_or_none()
    if job is None or job.appointment_id is None:
        return None
    appointment = session.get(Appointment, job.appointment_id)
    if appointment is None or appointment.status is not AppointmentStatus.PLANNED:
        return None
    return appointment


def appointment_meant(
    session: Session, client: Client, appointment_id: object, text: str, now: dt.datetime
) -> Appointment | None:
    """Which appointment "en pääse" is about: the button's, the one on the day the words name,
    the one reminded of lately, or the next one within a week; None when none fits."""
    if appointment_id:
        return own_appointment(session, client, appointment_id)
    zone = ZoneInfo(client.timezone)
    planned = coming(session, client, now)
    reading = read_time(text, now, tz=zone)
    if reading.names_day and reading.value is not None:
        day = reading.value.date
        return next((a for a in planned if a.starts_at.astimezone(zone).date() == day), None)
    reminded = _recently_reminded(session, client, now)
    if reminded is not None:
        return reminded
    return next((a for a in planned if a.starts_at - now <= SOON), None)


@dataclass(frozen=True)
class CannotAttend:
    """What was done about "en pääse": the appointment it is about, and what to say."""

    appointment_id: int | None
    said: tuple[tuple[str, dict[str, object]], ...]


def cannot_attend(
    session: Session,
    client: Client,
    appointment: Appointment | None,
    now: dt.datetime,
    renderer: Renderer,
) -> CannotAttend:
    """The client cannot come: no blame, the coach told at once, and the number to call.

    The appointment is cancelled in advance (no more reminders); if the client wants a new time
    it becomes "to be moved" (`wants_new_time`). Without a known appointment the coach still
    hears of it, once a day.
    """
    zone = ZoneInfo(client.timezone)
    said: list[tuple[str, dict[str, object]]] = []
    if appointment is None:
        key = f"cannot_attend:{client.id}:{now.astimezone(zone).date().isoformat()}"
        said.append(("utter_cannot_attend_unknown", {}))
    else:
        key = f"cannot_attend:appointment:{appointment.id}"
        mark_answered(session, appointment.id)
        set_status(session, appointment, AppointmentStatus.CANCELLED, now)
        said.append(
            (
                "utter_cannot_attend",
                {"appointment": describe(appointment.title, appointment.starts_at, None, zone)},
            )
        )
    alert = raise_alert(session, client, AlertKind.CANNOT_ATTEND, key, now, renderer)
    if alert is not None:
        said.append(("utter_cannot_attend_coach_told", {}))
    if appointment is not None and appointment.contact_phone:
        said.append(("utter_cannot_attend_phone", {"phone": appointment.contact_phone}))
    return CannotAttend(None if appointment is None else appointment.id, tuple(said))


# A whole answer that is a digit of the question's choices (4 skips), or a reason's own value.
_REASONS: dict[str, MissReason | None] = {
    "1": MissReason.SICK,
    "2": MissReason.OTHER_BUSINESS,
    "3": MissReason.OTHER,
    "4": None,
    "sick": MissReason.SICK,
    "other_business": MissReason.OTHER_BUSINESS,
    "other": MissReason.OTHER,
}
# Being ill, in a word ("kipee", "sairaana", "sairaus", "flunssa"): the reason "sick", and what
# makes "oon kipeä" mean "en pääse" when an appointment is near. A bad feeling alone ("huono olo")
# is a reason when asked for one, but otherwise a mood, not a cancellation.
_UNWELL_WORDS = ("kipe", "saira", "flunssa", "kuume", "korona", "migreen", "vatsatauti", "oksen")
_SICK_WORDS = (*_UNWELL_WORDS, "huono olo")
_BUSINESS_WORDS = ("meno", "menoa", "muuta", "tyo", "kiire", "lapsi", "lapsen", "paallekkain")
_SKIP_WORDS = ("skip", "ohita", "ohitan", "en halua", "en kerro", "ei kuulu")


def miss_reason_of(text: str) -> MissReason | None:
    """The reason in one word or digit ("1", "kipee", "muu meno"); None when skipped."""
    folded = fold(text).strip().rstrip(".!")
    if folded in _REASONS:
        return _REASONS[folded]
    if not folded or any(word in folded for word in _SKIP_WORDS):
        return None
    if any(word in folded for word in _SICK_WORDS):
        return MissReason.SICK
    if any(word in folded for word in _BUSINESS_WORDS):
        return MissReason.OTHER_BUSINESS
    return MissReason.OTHER


def after_cannot_attend(
    session: Session,
    client: Client,
    appointment_id: object,
    reason: MissReason | None,
    wants_new_time: bool,
) -> str:
    """Keep the reason and whether a new time is wanted; the response that closes the talk."""
    appointment = own_appointment(session, client, appointment_id) if appointment_id else None
    if appointment is not None:
        appointment.miss_reason = reason.value if reason else None
        if wants_new_time:
            appointment.status = AppointmentStatus.RESCHEDULE
    return "utter_new_time_coming" if wants_new_time else "utter_no_new_time"


def mark_outcome(
    session: Session, client: Client, appointment_id: object, kept: bool, now: dt.datetime
) -> str:
    """The next day's answer: kept or missed, for the coach's digest; the response to say."""
    appointment = own_appointment(session, client, appointment_id)
    if appointment is not None:
        mark_answered(session, appointment.id)
    if appointment is not None and appointment.status in (
        AppointmentStatus.PLANNED,
        AppointmentStatus.KEPT,
        AppointmentStatus.MISSED,
    ):
        set_status(
            session, appointment, AppointmentStatus.KEPT if kept else AppointmentStatus.MISSED, now
        )
    return "utter_appointment_kept" if kept else "utter_appointment_missed"


# -- the scheduler's messages and their answers ------------------------------------------


def scheduled_message(session: Session, job_id: int, renderer: Renderer) -> list[Reply]:
    """What a reminder or follow-up job says when it fires: what, when and where, and a
    question with two choices ("Pääsetkö paikalle?", "Pääsitkö paikalle?")."""
    job = session.get_one(ScheduledJob, job_id)
    if job.appointment_id is None or job.client_id is None:
        return []
    appointment = session.get_one(Appointment, job.appointment_id)
    client = session.get_one(Client, job.client_id)
    if job.kind not in (REMINDER, FOLLOW_UP):
        raise ValueError(f"not an appointment job: {job.kind}")
    zone = ZoneInfo(client.timezone)
    name = "utter_appointment_reminder" if job.kind == REMINDER else "utter_appointment_follow_up"
    described = describe(appointment.title, appointment.starts_at, appointment.location, zone)
    return [renderer.render(name, client.language, appointment=described, id=appointment.id)]


# How long the words after a reminder or the next day's question may answer it ("joo", "ei",
# "pääsin", "en päässyt"): as long as a check-in's first question waits for its answer.
ANSWER_WINDOW = dt.timedelta(hours=10)
# Kept in a sent question's job once the client has answered it, so that later words are not.
_ANSWERED = "answered"
# The next day's answer in words (ä/ö folded): "pääsin", "kävin siellä" and "en päässyt",
# "en käynyt"; the whole message, so that "kävin kävelyllä" stays a report of going out.
_PLACE_WORDS = r"(?:\s+(?:paikalle|paikalla|sinne|siella|perille|ajoissa))?"
_ATTENDED = re.compile(rf"^(?:(?:joo|juu|kylla|kyl)\s+)?(?:paasin|kavin|olin|menin){_PLACE_WORDS}$")
_MISSED = re.compile(
    rf"^(?:en|ei)\s+(?:paassyt|paassy|paasyt|paasy|kaynyt|kayny|mennyt|menny|ollut|ollu)"
    rf"{_PLACE_WORDS}$|^jai valiin$"
)
# A reminder's "Pääsetkö paikalle?" answered in words: "pääsen", "tulen", "joo pääsen".
_COMING = re.compile(rf"^(?:(?:joo|juu|kylla|kyl)\s+)?(?:paasen|tulen|menen){_PLACE_WORDS}$")


def _plain(text: str) -> str:
    """The words alone: folded, without punctuation, single spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def attended_in_words(text: str) -> bool | None:
    """The next day's "Pääsitkö paikalle?" answered in words: True for "pääsin", False for
    "en päässyt", None when the words are something else."""
    words = _plain(text)
    if _ATTENDED.match(words):
        return True
    if _MISSED.match(words):
        return False
    return None


def says_unwell(text: str) -> bool:
    """Whether the words say the client is ill ("oon kipeä", "sairaana", "flunssa")."""
    folded = fold(text)
    return any(word in folded for word in _UNWELL_WORDS)


@dataclass(frozen=True)
class OpenQuestion:
    """A question about an appointment the scheduler sent that still waits for its answer."""

    kind: str  # REMINDER ("Pääsetkö paikalle?") or FOLLOW_UP ("Pääsitkö paikalle?")
    appointment: Appointment
    asked_at: dt.datetime


def open_question(session: Session, client: Client, now: dt.datetime) -> OpenQuestion | None:
    """The appointment question the client's next words may answer: the latest reminder or
    next-day question, sent within `ANSWER_WINDOW` and not answered yet, about an appointment
    still planned (and, for a reminder, still ahead)."""
    job = session.scalars(
        select(ScheduledJob)
        .where(
            ScheduledJob.client_id == client.id,
            ScheduledJob.kind.in_((REMINDER, FOLLOW_UP)),
            ScheduledJob.state == JobState.DONE,
            ScheduledJob.finished_at >= now - ANSWER_WINDOW,
        )
        .order_by(ScheduledJob.finished_at.desc(), ScheduledJob.id.desc())
        .limit(1)
    ).first()
    if job is None or job.appointment_id is None or job.finished_at is None:
        return None
    if (job.payload or {}).get(_ANSWERED):
        return None
    appointment = session.get(Appointment, job.appointment_id)
    if appointment is None or appointment.status is not AppointmentStatus.PLANNED:
        return None
    if job.kind == REMINDER and appointment.starts_at <= now:
        return None
    return OpenQuestion(job.kind, appointment, job.finished_at)


def mark_answered(session: Session, appointment_id: int) -> None:
    """The questions sent about the appointment so far are answered (a choice pressed, or
    words that answer them): the client's later words are not read as their answer."""
    jobs = session.scalars(
        select(ScheduledJob).where(
            ScheduledJob.appointment_id == appointment_id,
            ScheduledJob.kind.in_((REMINDER, FOLLOW_UP)),
            ScheduledJob.state == JobState.DONE,
        )
    )
    for job in jobs:
        if not (job.payload or {}).get(_ANSWERED):
            # A new dict: the JSON column notices a replaced value, not one changed in place.
            job.payload = {**(job.payload or {}), _ANSWERED: True}


def will_come(session: Session, client: Client, appointment_id: object) -> str:
    """The reminder answered "Pääsen": nothing more to do than be glad; the response to say."""
    appointment = own_appointment(session, client, appointment_id) if appointment_id else None
    if appointment is not None:
        mark_answered(session, appointment.id)
    return "utter_appointment_coming"


def near_appointment(session: Session, client: Client, now: dt.datetime) -> Appointment | None:
    """The appointment "oon kipeä" is about: the one a reminder just asked about, or else the
    first one today or tomorrow; None when none is that near."""
    question = open_question(session, client, now)
    if question is not None and question.kind == REMINDER:
        return question.appointment
    zone = ZoneInfo(client.timezone)
    tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
    return next(
        (
            a
            for a in coming(session, client, now)
            if a.starts_at.astimezone(zone).date() <= tomorrow
        ),
        None,
    )


class Meaning(StrEnum):
    """What the client's words mean for an appointment, read in their context."""

    COMING = "coming"  # the reminder answered: I will be there
    CANNOT = "cannot"  # the reminder answered no, or "oon kipeä" with an appointment near
    KEPT = "kept"  # the next day's question answered: I got there
    MISSED = "missed"  # ... I did not


@dataclass(frozen=True)
class InContext:
    """The client's words read against their appointments."""

    meaning: Meaning
    appointment: Appointment
    sick: bool = False  # the words said the client is ill: the reason need not be asked


def read_in_context(
    session: Session, client: Client, text: str, intent: str | None, now: dt.datetime
) -> InContext | None:
    """What the words mean for the client's appointments, when the context decides it; None
    when they are not about an appointment (then they mean what their intent says).

    Right after the next day's question, "joo", "pääsin", "ei" and "en päässyt" answer it;
    right after a reminder, "joo", "pääsen" and "ei" answer it; and "oon kipeä" means "en
    pääse" when a reminder just asked or an appointment is today or tomorrow. Otherwise it is a
    report of how the client feels, and stays one.
    """
    question = open_question(session, client, now)
    if question is not None and question.kind == FOLLOW_UP:
        attended = attended_in_words(text)
        attended = answer_of(text, intent) if attended is None else attended
        if attended is not None:
            return InContext(Meaning.KEPT if attended else Meaning.MISSED, question.appointment)
    if question is not None and question.kind == REMINDER:
        answer = True if _COMING.match(_plain(text)) else answer_of(text, intent)
        if answer is not None:
            return InContext(Meaning.COMING if answer else Meaning.CANNOT, question.appointment)
    if says_unwell(text):
        near = near_appointment(session, client, now)
        if near is not None:
            return InContext(Meaning.CANNOT, near, sick=True)
    return None
