"""The production shape: PostgreSQL with a non-owner app role, migrations as the owner,
several API processes behind one port, and a partner's calls landing on any of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.databases import (
    DatabaseUnderTest,
    create_postgres,
    drop_postgres,
    pg_base_url,
    service_missing,
)
from tests.support.live_server import LiveServer, live_server


@pytest.fixture(scope="module")
def pg_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseUnderTest]:
    if not pg_base_url():
        service_missing("COBALTO_TEST_DATABASE_URL not set")
    db = create_postgres(tmp_path_factory.mktemp("prod-db"))
    yield db
    drop_postgres(db)


@pytest.fixture(scope="module")
def prod_server(
    pg_database: DatabaseUnderTest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = {
        "COBALTO_DATABASE_URL": pg_database.app_url,
        "COBALTO_MIGRATION_DATABASE_URL": pg_database.owner_url,
    }
    with live_server(
        tmp_path_factory.mktemp("prod"), "customers:read customers:write", env, workers=2
    ) as srv:
        yield srv


def test_health_reports_postgres(prod_server: LiveServer) -> None:
    health = httpx.get(f"{prod_server.url}/health").json()
    assert health["status"] == "ok"
    assert health["database"]["dialect"] == "postgresql"


def test_tokens_and_writes_work_across_processes(prod_server: LiveServer) -> None:
    headers = {"Authorization": f"Bearer {prod_server.token()}"}
    ids = set()
    with httpx.Client(base_url=prod_server.url, headers=headers) as client:
        for i in range(20):
            r = client.post("/api/v1/customers", json={"name": f"Multi {i}"})
            assert r.status_code == 201, r.text
            ids.add(r.json()["id"])
        listed = client.get("/api/v1/customers", params={"q": "multi", "limit": 100}).json()
    assert {c["id"] for c in listed["items"]} == ids


def test_migrate_is_idempotent(prod_server: LiveServer, tmp_path: Path) -> None:
    import subprocess

    from tests.support.live_server import BIN

    result = subprocess.run(
        [str(BIN / "cobalto"), "migrate"], env=prod_server.env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
