"""The senders the settings configure, and each channel's per-chat spacing."""

from __future__ import annotations

from backend.channels.email_send import EmailSender
from backend.channels.outcomes import Sender
from backend.channels.telegram_send import TelegramSender
from backend.channels.twilio_send import TwilioSender
from backend.models import ChannelKind
from backend.settings import Settings


def configured_senders(settings: Settings) -> dict[ChannelKind, Sender]:
    """A sender for each channel that has credentials."""
    senders: dict[ChannelKind, Sender] = {}
    if settings.telegram_enabled:
        senders[ChannelKind.TELEGRAM] = TelegramSender(settings)
    if settings.sms_enabled:
        senders[ChannelKind.SMS] = TwilioSender(settings)
    if settings.email_enabled:
        senders[ChannelKind.EMAIL] = EmailSender(settings)
    return senders


def chat_intervals(settings: Settings) -> dict[ChannelKind, float]:
    """Least time between two messages to one chat (Telegram's limit; SMS has none per number)."""
    return {ChannelKind.TELEGRAM: settings.telegram_chat_interval_seconds}
