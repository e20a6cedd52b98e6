"""Shared fixtures. Integration and API tests run on SQLite and on PostgreSQL.

PostgreSQL comes from ``COBALTO_TEST_DATABASE_URL`` (CI sets it and fails without it);
the app connects as a role without table ownership or BYPASSRLS, so RLS is exercised.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.main import build_app, build_services
from app.server.services import Services
from tests.support.databases import (
    DatabaseUnderTest,
    create_postgres,
    create_sqlite,
    drop_postgres,
    pg_base_url,
    settings_for,
)

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseUnderTest]:
    var_dir = tmp_path_factory.mktemp(f"var-{request.param}")
    if request.param == "postgres":
        if not pg_base_url():
            if os.environ.get("COBALTO_REQUIRE_ALL"):
                pytest.fail("COBALTO_TEST_DATABASE_URL must be set: CI tests PostgreSQL for real")
            pytest.skip("COBALTO_TEST_DATABASE_URL not set (CI sets it and requires it)")
        db = create_postgres(var_dir)
        yield db
        drop_postgres(db)
    else:
        yield create_sqlite(var_dir)


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def services(database: DatabaseUnderTest, var_dir: Path) -> AsyncIterator[Services]:
    svc = build_services(settings_for(database, var_dir))
    yield svc
    await svc.engine.dispose()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def http(services: Services) -> AsyncIterator[Any]:
    # httpx over ASGI runs the app on the test's own event loop, so the pool the
    # factories use and the one the app uses are the same (asyncpg is loop-bound).
    app = build_app(services=services, start_jobs=False)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client
