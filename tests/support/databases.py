"""Test databases: a migrated SQLite file, and a fresh PostgreSQL database per run where
the app connects as a role that owns nothing and has no BYPASSRLS (as in production)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.adapters.db.migrate import upgrade
from app.settings import Settings, load_settings

APP_ROLE = "cobalto_app_test"


@dataclass(frozen=True)
class DatabaseUnderTest:
    kind: str
    app_url: str
    owner_url: str
    name: str | None = None


def pg_base_url() -> str | None:
    return os.environ.get("COBALTO_TEST_DATABASE_URL") or None


def settings_for(db: DatabaseUnderTest, var_dir: Path, **overrides: object) -> Settings:
    os.environ["COBALTO_VAR_DIR"] = str(var_dir)
    base = load_settings()
    values = {**base.__dict__, "database_url": db.app_url, "migration_database_url": db.owner_url}
    values.update(
        {"webhook_allow_loopback": True, "login_rate_per_minute": 1000, "token_rate_per_minute": 1000}
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def create_sqlite(var_dir: Path) -> DatabaseUnderTest:
    url = f"sqlite+aiosqlite:///{var_dir / 'test.db'}"
    db = DatabaseUnderTest("sqlite", url, url)
    upgrade(settings_for(db, var_dir))
    return db


def _sync(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg")


def create_postgres(var_dir: Path) -> DatabaseUnderTest:
    base = pg_base_url()
    assert base, "COBALTO_TEST_DATABASE_URL is not set"
    base_url = make_url(base)
    name = f"cobalto_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(
        _sync(base_url.set(drivername="postgresql+psycopg").render_as_string(False)),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    owner = base_url.set(drivername="postgresql+asyncpg", database=name)
    app = owner.set(username=APP_ROLE, password=None)
    db = DatabaseUnderTest("postgres", app.render_as_string(False), owner.render_as_string(False), name=name)
    upgrade(settings_for(db, var_dir))
    return db


def drop_postgres(db: DatabaseUnderTest) -> None:
    base = pg_base_url()
    if not base or not db.name:
        return
    admin = create_engine(
        _sync(make_url(base).set(drivername="postgresql+psycopg").render_as_string(False)),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)'))
    admin.dispose()


# Runs a test against PostgreSQL only (RLS, roles, grants): overrides the session
# fixture's sqlite/postgres parametrization instead of skipping on SQLite.
postgres_only = pytest.mark.parametrize("database", ["postgres"], indirect=True)


def service_missing(reason: str) -> None:
    """Skip on a developer's machine without the service; fail in CI, which has them all."""
    if os.environ.get("COBALTO_REQUIRE_ALL"):
        pytest.fail(f"{reason} (CI requires it)")
    pytest.skip(reason)
