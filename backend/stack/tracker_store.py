"""Rasa's conversation store, reached directly: the one place that forgets a conversation.

Rasa keeps every event of a conversation (the client's words included) in its own SQL tracker
store; its HTTP API has no call to delete one, so erasing a client's data deletes the rows of
their conversation id from Rasa's `events` table.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from backend.settings import Settings
from backend.stack.rasa_config import tracker_store_config


def tracker_store_url(settings: Settings) -> URL:
    """The SQLAlchemy URL of the store that `write_rasa_config` gives Rasa."""
    if settings.rasa_tracker_store_url:
        return make_url(settings.rasa_tracker_store_url)
    return make_url(f"sqlite:///{tracker_store_config(settings)['db']}")


def forget_conversation(settings: Settings, conversation_id: str) -> int:
    """Delete every stored event of `conversation_id`; returns how many there were."""
    url = tracker_store_url(settings)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            tables = engine.dialect.get_table_names(connection)
            if "events" not in tables:
                return 0
            result = connection.execute(
                text("DELETE FROM events WHERE sender_id = :sender"), {"sender": conversation_id}
            )
            return int(getattr(result, "rowcount", 0))
    finally:
        engine.dispose()
