"""schemathesis over /schema/openapi.json against a real server: no 5xx, documented
status codes and content types, responses that match their schemas."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.factories import ALL_SCOPES
from tests.support.live_server import BIN, LiveServer, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("contract"), ALL_SCOPES) as srv:
        yield srv


def test_api_conforms_to_its_schema(server: LiveServer, tmp_path: Path) -> None:
    """Runs the schemathesis CLI (all checks, seeded) against the live server."""
    cmd = [
        str(BIN / "st"),
        "run",
        f"{server.url}/schema/openapi.json",
        "--checks",
        "all",
        # Semantic rules no JSON Schema can state (CNPJ/CPF check digits, a customer_id that
        # must exist in the tenant, due date on or after issue date) make some schema-valid
        # bodies 422 by design; every other check runs.
        "--exclude-checks",
        "positive_data_acceptance",
        "--max-examples",
        "40",
        "--seed",
        "20261123",
        "--exclude-path-regex",
        "^/oauth/",
        "-H",
        f"Authorization: Bearer {server.token()}",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(
        cmd, capture_output=True, text=True, timeout=540, env={**os.environ, "NO_COLOR": "1"}
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_schema_declares_security_and_problem_responses(server: LiveServer) -> None:
    import httpx

    spec = httpx.get(f"{server.url}/schema/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/oauth/token"
    create = spec["paths"]["/api/v1/customers"]["post"]
    assert {"401", "403", "409", "422"} <= set(create["responses"])
    assert "application/problem+json" in create["responses"]["422"]["content"]


def test_schema_file_is_stable(tmp_path: Path, server: LiveServer) -> None:
    import httpx

    first = httpx.get(f"{server.url}/schema/openapi.json").json()
    second = httpx.get(f"{server.url}/schema/openapi.json").json()
    assert first == second
