"""The objects one Askel process works with, built once from settings and passed down."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend.clock import Clock, clock_from_setting
from backend.db import make_engine, make_sessionmaker
from backend.settings import Settings
from backend.texts.catalogs import Catalogs
from backend.texts.responses import Renderer


@dataclass(frozen=True)
class AppContext:
    """Settings, the clock, the database and the texts of one process."""

    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    renderer: Renderer

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def text_constants(settings: Settings) -> dict[str, str]:
    """Values any client text may use; the help numbers come from settings, never from code."""
    return {
        "crisis_line": settings.crisis_line,
        "emergency_number": settings.emergency_number,
        "substance_line": settings.substance_line,
        "urgent_care_line": settings.urgent_care_line,
    }


def build_context(settings: Settings, clock: Clock | None = None) -> AppContext:
    """Everything a process needs, from `settings`; `clock` overrides the configured one."""
    engine = make_engine(settings.database_url)
    renderer = Renderer(Catalogs(settings.locales_dir), text_constants(settings))
    return AppContext(
        settings=settings,
        clock=clock or clock_from_setting(settings.clock),
        engine=engine,
        sessions=make_sessionmaker(engine),
        renderer=renderer,
    )
