"""The channels at the edge: Telegram and SMS in (webhooks, polling) and out (senders)."""
