"""Email to coaches by SMTP: weekly digests (HTML with a plain-text part) and urgent alerts.

An outbox row on the email channel holds either a plain text (an alert: the text is both the
subject and the body) or a whole email as JSON (`email_body`: subject, text and HTML). The
standard library's `smtplib` does the sending, in a thread so that the dispatcher's loop goes on.
"""

from __future__ import annotations

import asyncio
import json
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from backend.channels.outcomes import Failed, Outcome, RetryLater, Sent
from backend.clock import Clock, SystemClock
from backend.models import ChannelKind
from backend.settings import Settings
from backend.texts.responses import Reply

_ENVELOPE = "askel-email"
# A subject longer than this is cut: mail programs show the start of it anyway.
_SUBJECT_MAX = 120


def email_body(subject: str, text: str, html: str | None = None) -> str:
    """A whole email as an outbox row's text: its subject, its plain text and its HTML."""
    return json.dumps(
        {"kind": _ENVELOPE, "subject": subject, "text": text, "html": html}, ensure_ascii=False
    )


def compose(sender: str, to: str, body: str, clock: Clock) -> EmailMessage:
    """The email an outbox row's text makes."""
    subject, text, html = _parts(body)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def _parts(body: str) -> tuple[str, str, str | None]:
    if body.startswith("{"):
        try:
            envelope = json.loads(body)
        except ValueError:
            envelope = None
        if isinstance(envelope, dict) and envelope.get("kind") == _ENVELOPE:
            return str(envelope["subject"]), str(envelope["text"]), envelope.get("html")
    first_line = body.strip().splitlines()[0] if body.strip() else "Askel"
    return first_line[:_SUBJECT_MAX], body, None


class EmailSender:
    """Sends outbox messages as email through the configured SMTP server."""

    channel = ChannelKind.EMAIL

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self._settings = settings
        self._clock = clock or SystemClock()
        # A coach gets a few messages a week: no channel-wide limit is needed.
        self.messages_per_second = 0.0

    async def send(self, address: str, reply: Reply) -> Outcome:
        """Send one email; SMTP's answers become outcomes (5xx: failed, else try again)."""
        message = compose(self._settings.smtp_from, address, reply.text, self._clock)
        return await asyncio.to_thread(self._deliver, message)

    def _deliver(self, message: EmailMessage) -> Outcome:
        settings = self._settings
        try:
            with smtplib.SMTP(
                settings.smtp_host,
                settings.smtp_port,
                timeout=settings.outbox_send_timeout_seconds,
            ) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(code >= 500 for code in codes):
                return Failed(f"smtp: recipient refused {codes}", unreachable=True)
            return RetryLater(f"smtp: recipient deferred {codes}")
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPAuthenticationError):
                return Failed(f"smtp: {error.smtp_code}")
            # A wrong password is fixed in the settings; the message waits for it meanwhile.
            return RetryLater(f"smtp: {error.smtp_code}")
        except (smtplib.SMTPException, OSError) as error:
            return RetryLater(f"smtp: {type(error).__name__}")
        return Sent(str(message["Message-ID"]))

    async def aclose(self) -> None:
        """Nothing to release: each send opens and closes its own connection."""
