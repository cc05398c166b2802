"""Shared fixtures: settings in a temporary folder, a migrated database, a fake clock."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backend import migrate
from backend.clock import FakeClock
from backend.context import AppContext, build_context
from backend.settings import Settings

# These machines are shared and noisy: no per-example deadline. CI runs the same examples every
# time (derandomized), so a red build is reproducible; developers get fresh ones.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Monday 23 November 2026, 09:00 in Helsinki.
MONDAY_MORNING = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose database and var folder live in the test's own temporary folder."""
    return Settings(
        _env_file=None,
        var_dir=tmp_path / "var",
        database_url=f"sqlite:///{tmp_path / 'var' / 'askel.db'}",
        rasa_token="test-rasa-token",
        actions_token="test-actions-token",
    )


def changed(settings: Settings, **changes: object) -> Settings:
    """`settings` with `changes`, validated as if they came from the environment."""
    return Settings(_env_file=None, **{**settings.model_dump(), **changes})


@pytest.fixture
def clock() -> FakeClock:
    """A clock at Monday morning, moved by hand."""
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
def context(settings: Settings, clock: FakeClock) -> Iterator[AppContext]:
    """A context on a freshly migrated SQLite database."""
    migrate.upgrade(settings.database_url)
    built = build_context(settings, clock)
    yield built
    built.close()


@pytest.fixture
def postgres_url(settings: Settings) -> Iterator[str]:
    """A fresh, empty database on the PostgreSQL of ASKEL_TEST_POSTGRES_URL, dropped after."""
    admin_url = make_url(settings.test_postgres_url)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        pytest.skip(f"no PostgreSQL at {admin_url.render_as_string()}: {type(error).__name__}")
    name = f"askel_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
