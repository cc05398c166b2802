"""Rasa's endpoints and credentials, written from Askel's settings when the stack starts.

Generating them keeps one source of truth (`ASKEL_*` settings): the same code serves the
embedded default (SQLite tracker store, in-memory lock store) and a scaled-out deployment
(PostgreSQL tracker store, Redis lock store). Secrets are never written: the files name
environment variables, which Rasa substitutes when it reads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from backend.settings import Settings


def tracker_store_config(settings: Settings) -> dict[str, Any]:
    """Rasa's SQL tracker store: a SQLite file under var/, or the database the URL names."""
    if not settings.rasa_tracker_store_url:
        return {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(settings.var_dir / "rasa-tracker.db"),
        }
    url = make_url(settings.rasa_tracker_store_url)
    config: dict[str, Any] = {
        "type": "SQL",
        "dialect": url.get_backend_name(),
        "db": url.database,
    }
    if url.host:
        config["url"] = url.host
    if url.port:
        config["port"] = url.port
    if url.username:
        config["username"] = url.username
    if url.password:
        config["password"] = "${ASKEL_RASA_TRACKER_STORE_PASSWORD}"
    return config


def lock_store_config(settings: Settings) -> dict[str, Any] | None:
    """Redis as Rasa's lock store when several Rasa processes share the conversations."""
    if not settings.rasa_lock_store_url:
        return None
    url = make_url(settings.rasa_lock_store_url)
    config: dict[str, Any] = {"type": "redis", "url": url.host or "127.0.0.1"}
    if url.port:
        config["port"] = url.port
    if url.database:
        config["db"] = int(url.database)
    if url.password:
        config["password"] = "${ASKEL_RASA_LOCK_STORE_PASSWORD}"
    return config


def secret_environment(settings: Settings) -> dict[str, str]:
    """The passwords the generated files refer to, for the Rasa process's environment only."""
    env = {}
    for name, value in (
        ("ASKEL_RASA_TRACKER_STORE_PASSWORD", settings.rasa_tracker_store_url),
        ("ASKEL_RASA_LOCK_STORE_PASSWORD", settings.rasa_lock_store_url),
    ):
        if value and make_url(value).password:
            env[name] = str(make_url(value).password)
    return env


def write_rasa_config(settings: Settings, folder: Path) -> tuple[Path, Path]:
    """Write `endpoints.yml` and `credentials.yml` into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    authorisation = {"Authorization": "Bearer ${ASKEL_ACTIONS_TOKEN}"}
    endpoints: dict[str, Any] = {
        "action_endpoint": {"url": f"{settings.actions_url}/webhook", "headers": authorisation},
        "nlg": {"url": f"{settings.actions_url}/nlg", "headers": authorisation},
        "tracker_store": tracker_store_config(settings),
    }
    lock_store = lock_store_config(settings)
    if lock_store:
        endpoints["lock_store"] = lock_store
    credentials = {"connectors.askel_channel.AskelInput": {"token": "${ASKEL_RASA_TOKEN}"}}
    endpoints_path = folder / "endpoints.yml"
    credentials_path = folder / "credentials.yml"
    endpoints_path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    credentials_path.write_text(yaml.safe_dump(credentials, sort_keys=False), encoding="utf-8")
    return endpoints_path, credentials_path
