"""The schema comes only from migrations, runs up and down, and matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from backend import migrate
from backend.db import make_engine
from backend.models import Base
from backend.settings import Settings


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))
    finally:
        engine.dispose()


def test_sqlite_migrates_up_and_down_and_matches_the_models(settings: Settings) -> None:
    migrate.upgrade(settings.database_url)
    assert _tables(settings.database_url) == set(Base.metadata.tables)
    assert _differences(settings.database_url) == []
    migrate.downgrade(settings.database_url)
    assert _tables(settings.database_url) == set()
    migrate.upgrade(settings.database_url)
    assert _tables(settings.database_url) == set(Base.metadata.tables)


@pytest.mark.postgres
def test_postgres_migrates_up_and_down_and_matches_the_models(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    assert _tables(postgres_url) == set(Base.metadata.tables)
    assert _differences(postgres_url) == []
    migrate.downgrade(postgres_url)
    assert _tables(postgres_url) == set()
    migrate.upgrade(postgres_url)
    assert _tables(postgres_url) == set(Base.metadata.tables)
