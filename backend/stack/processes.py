"""The processes of one Askel stack and how each is started."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field

from backend.settings import Settings
from backend.stack.model import rasa_environment, rasa_executable
from backend.stack.rasa_config import secret_environment, write_rasa_config


@dataclass(frozen=True)
class ProcessSpec:
    """One process to start: its name, command line and environment."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None


def stack_tokens(settings: Settings) -> dict[str, str]:
    """The tokens the processes share; fresh random ones where settings give none."""
    return {
        "ASKEL_RASA_TOKEN": settings.rasa_token.get_secret_value() or secrets.token_urlsafe(32),
        "ASKEL_ACTIONS_TOKEN": (
            settings.actions_token.get_secret_value() or secrets.token_urlsafe(32)
        ),
    }


def _askel(command: str) -> list[str]:
    return [sys.executable, "-m", "backend.cli.main", command]


def stack_processes(settings: Settings, tokens: dict[str, str]) -> list[ProcessSpec]:
    """The Rasa server, the action server, the gateway, the scheduler and, where a channel is
    configured, the outbox sender."""
    endpoints, credentials = write_rasa_config(settings, settings.var_dir / "rasa")
    ours = {**os.environ, **tokens, "PYTHONUNBUFFERED": "1"}
    rasa_env = {**rasa_environment(settings), **tokens, **secret_environment(settings)}
    rasa = ProcessSpec(
        name="rasa",
        argv=[
            str(rasa_executable(settings)),
            "run",
            "--model",
            str(settings.models_dir),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
            "--interface",
            "127.0.0.1",
            "--port",
            str(settings.rasa_port),
            "--response-timeout",
            str(int(settings.rasa_timeout_seconds)),
        ],
        env=rasa_env,
        cwd=str(settings.var_dir / "rasa"),
    )
    processes = [
        ProcessSpec("actions", _askel("actions"), ours),
        rasa,
        ProcessSpec("gateway", _askel("gateway"), ours),
        ProcessSpec("scheduler", _askel("scheduler"), ours),
    ]
    if settings.telegram_enabled or settings.sms_enabled or settings.email_enabled:
        processes.append(ProcessSpec("dispatcher", _askel("dispatcher"), ours))
    return processes
