"""Migrations: empty → head → base → head on both databases, and no drift from the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import app.adapters.db.models  # noqa: F401
from app.adapters.db.base import Base
from app.adapters.db.migrate import alembic_config, include_object
from tests.support.databases import create_postgres, drop_postgres, pg_base_url, service_missing


def _sync(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg").replace("+aiosqlite", "")


def _cycle_and_diff(owner_url: str) -> list[object]:
    cfg = alembic_config(owner_url)
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    engine = create_engine(_sync(owner_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_sqlite_round_trip_without_drift(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    command.upgrade(alembic_config(url), "head")
    assert _cycle_and_diff(url) == []


def test_postgres_round_trip_without_drift(tmp_path: Path) -> None:
    if not pg_base_url():
        service_missing("COBALTO_TEST_DATABASE_URL not set")
    db = create_postgres(tmp_path)
    try:
        assert _cycle_and_diff(db.owner_url) == []
    finally:
        drop_postgres(db)
