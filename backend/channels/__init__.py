"""The channels at the edge: Telegram and SMS in (webhooks, polling) and out (senders)."""

import os

# python-telegram-bot 22 warns on every flood-control error unless told to give durations as
# timedeltas, which is what our code reads; the opt-in is an environment variable it reads.
os.environ.setdefault("PTB_TIMEDELTA", "1")
