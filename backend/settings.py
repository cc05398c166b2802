"""All of Askel's settings, read once from `ASKEL_*` environment variables and `.env`.

Every setting is listed with a safe default in `.env.example`; a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Askel's configuration. Build one with `Settings()` and pass it on; never a global."""

    model_config = SettingsConfigDict(
        env_prefix="ASKEL_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # Runtime files: the embedded database, logs, Rasa's generated configuration.
    var_dir: Path = PROJECT_ROOT / "var"
    # Empty means the embedded default, a SQLite file in var_dir.
    database_url: str = ""
    timezone: str = "Europe/Helsinki"
    default_language: str = "fi"

    # The gateway: the only process that listens beyond loopback when a public URL is set.
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""
    local_channel: bool = True

    # The Rasa server and our action server listen on loopback only, behind tokens. An empty
    # token means "make a fresh random one for this run": the processes of one stack share it.
    rasa_port: int = 5005
    rasa_token: SecretStr = SecretStr("")
    actions_port: int = 5055
    actions_token: SecretStr = SecretStr("")
    rasa_tracker_store_url: str = ""
    rasa_lock_store_url: str = ""
    rasa_timeout_seconds: float = 30.0

    # Scheduler and outbox.
    scheduler_poll_seconds: float = 1.0
    scheduler_lease_seconds: float = 60.0
    scheduler_batch_size: int = 100

    # The outbox sender: retries with exponential backoff, then a dead letter with the reason.
    outbox_poll_seconds: float = 0.2
    outbox_lease_seconds: float = 60.0
    outbox_batch_size: int = 100
    outbox_concurrency: int = 16
    outbox_max_attempts: int = 8
    outbox_backoff_seconds: float = 2.0
    outbox_backoff_max_seconds: float = 900.0
    outbox_send_timeout_seconds: float = 15.0

    # Enrolment: a coach's invite code is single use and expires.
    invite_valid_days: int = 14
    # Keys the hashes by which unknown senders are rate limited; empty: a random key kept in
    # var_dir, so that no phone number is stored in a form that can be reversed by guessing.
    secret_key: SecretStr = SecretStr("")

    telegram_token: SecretStr = SecretStr("")
    telegram_webhook_secret: SecretStr = SecretStr("")
    telegram_api_url: str = "https://api.telegram.org"
    # The bot's @username for invite links; empty: asked from Telegram (getMe).
    telegram_bot_username: str = ""
    # "auto": a webhook where a public URL and a webhook secret are set, else long polling.
    telegram_mode: Literal["auto", "webhook", "polling", "off"] = "auto"
    # How long one long poll waits for updates at Telegram.
    telegram_poll_seconds: int = 10
    # Telegram's limits: about one message a second to one chat, 30 a second in all.
    telegram_chat_interval_seconds: float = 1.0
    telegram_messages_per_second: float = 30.0
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    twilio_from: str = ""
    twilio_api_url: str = "https://api.twilio.com"
    # A long code sends about one SMS a second; a messaging service or short code more.
    twilio_messages_per_second: float = 1.0

    # Crisis numbers are settings, not code, so an organisation can add its local ones.
    crisis_line: str = "09 2525 0111"
    emergency_number: str = "112"
    substance_line: str = "0800 900 45"
    urgent_care_line: str = "116117"

    log_level: str = "INFO"
    # "system", or "file:<path>" for end-to-end tests that move time for every process at once.
    clock: str = "system"

    test_postgres_url: str = Field(default="postgresql://postgres@127.0.0.1:5432/test")

    # Daily rhythm. A check-in later than this after its time is skipped (a morning greeting at
    # 15:00 is worse than none); one nudge this long after an unanswered check-in; after this
    # many days without a word the nudges stop and the coach is told.
    checkin_late_minutes: int = 120
    checkin_nudge_minutes: int = 60
    checkin_silent_days: int = 3

    # Goal ladder. A step's week: a short encouragement on this ISO weekday (3 = Wednesday; a
    # step chosen later belongs to next week), "Saitko askeleen tehtyä?" on this one (5 =
    # Friday), both at this local time; unanswered this many days, the step is not attempted.
    goal_encourage_weekday: int = Field(default=3, ge=1, le=7)
    goal_check_weekday: int = Field(default=5, ge=1, le=7)
    goal_message_time: dt.time = dt.time(12, 0)
    goal_answer_days: int = 3

    # Appointments. Reminders the evening before at this local time (empty: none) and these
    # hours before (comma-separated; empty: none); never inside quiet hours, then earlier. The
    # next day's "did you get there?" comes at the follow-up time; a time further ahead than
    # the maximum is questioned, not stored.
    appointment_reminder_evening: str = "18:00"
    appointment_reminder_hours: str = "2"
    appointment_follow_up_time: str = "10:00"
    appointment_max_days_ahead: int = 400

    # Email to coaches (weekly digests and alerts) by SMTP. An empty host means no email.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "askel@localhost"
    smtp_starttls: bool = True

    @model_validator(mode="after")
    def _embedded_database(self) -> Settings:
        # Absolute, because the processes of the stack do not share one working folder.
        self.var_dir = self.var_dir.resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'askel.db'}"
        return self

    @property
    def project_root(self) -> Path:
        """Where the project lives; the stack finds `bot/`, `locales/` and the environments here."""
        return PROJECT_ROOT

    @property
    def locales_dir(self) -> Path:
        """Folder of the gettext catalogs (`locales/<lang>/LC_MESSAGES/askel.po`)."""
        return self.project_root / "locales"

    @property
    def bot_dir(self) -> Path:
        """The Rasa project: config, domain, stories, rules, connectors and models."""
        return self.project_root / "bot"

    @property
    def models_dir(self) -> Path:
        """Where trained models are kept; the newest is served."""
        return self.bot_dir / "models"

    @property
    def telegram_enabled(self) -> bool:
        """Whether a Telegram bot is configured."""
        return bool(self.telegram_token.get_secret_value()) and self.telegram_mode != "off"

    @property
    def telegram_uses_webhook(self) -> bool:
        """Webhook mode: Telegram posts to us. Otherwise the gateway polls Telegram."""
        if not self.telegram_enabled or self.telegram_mode == "polling":
            return False
        has_address = bool(self.public_url and self.telegram_webhook_secret.get_secret_value())
        return self.telegram_mode == "webhook" or has_address

    @property
    def sms_enabled(self) -> bool:
        """Whether a Twilio account is configured."""
        return bool(
            self.twilio_account_sid
            and self.twilio_auth_token.get_secret_value()
            and self.twilio_from
        )

    @property
    def email_enabled(self) -> bool:
        """Whether an SMTP server is configured for email to coaches."""
        return bool(self.smtp_host)

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server on loopback."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        """Base URL of the action server on loopback."""
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def gateway_url(self) -> str:
        """Base URL of the gateway as seen from this machine."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"
