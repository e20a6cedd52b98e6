"""A real server in a subprocess (SQLite in a temp dir) and Debian's headless Chromium.

The tenant is made with ``cobalto tenant create``; customers and invoices arrive through
the public API with an OAuth client made by ``cobalto client create``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.databases import service_missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LiveServer:
    url: str
    email: str
    password: str
    customer_ids: list[str]
    api_headers: dict[str, str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _wait_until_up(url: str, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 120  # a busy CI box can take a while to import the app
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not start in 120 s")


def _seed(url: str, headers: dict[str, str]) -> list[str]:
    ids = []
    with httpx.Client(base_url=url, headers=headers, timeout=10) as api:
        for i in range(32):
            body = {
                "name": f"Acme Filial {i:02d}",
                "segment": "Retail" if i % 2 else "Wholesale",
                "region": "SP" if i % 3 else "RJ",
                "status": "blocked" if i % 8 == 0 else "active",
                "country": "BR",
            }
            response = api.post("/api/v1/customers", json=body)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        for n, customer_id in enumerate(ids[:6]):
            invoice = {
                "customer_id": customer_id,
                "number": f"NF-{1000 + n}",
                "issue_date": "2026-01-05",
                "due_date": "2026-02-05" if n % 2 else "2099-02-05",
                "amount": f"{1234 + n * 100}.56",
            }
            response = api.post("/api/v1/invoices", json=invoice)
            assert response.status_code == 201, response.text
    return ids


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {
        **os.environ,
        "COBALTO_VAR_DIR": str(var_dir),
        "COBALTO_DATABASE_URL": f"sqlite+aiosqlite:///{var_dir / 'e2e.db'}",
        "COBALTO_MIGRATION_DATABASE_URL": f"sqlite+aiosqlite:///{var_dir / 'e2e.db'}",
        "COBALTO_SECRET_KEY": "e2e-secret-key-not-for-production-0123456789",
        "COBALTO_LOGIN_RATE_PER_MINUTE": "1000",
        "COBALTO_TOKEN_RATE_PER_MINUTE": "1000",
    }
    env.pop("COBALTO_BROKER_URL", None)
    _cli(env, "migrate")
    tenant = json.loads(
        _cli(
            env,
            "tenant",
            "create",
            "--name",
            "Acme Cobranças",
            "--slug",
            "acme-e2e",
            "--admin-email",
            "admin@acme-e2e.example.com",
            "--locale",
            "pt-BR",
            "--currency",
            "BRL",
        )
    )
    client = json.loads(
        _cli(
            env,
            "client",
            "create",
            "--tenant",
            "acme-e2e",
            "--name",
            "seed",
            "--scopes",
            "customers:read customers:write invoices:read invoices:write",
        )
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (var_dir / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:build_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(url, process)
        token = httpx.post(
            f"{url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client["client_id"], client["client_secret"]),
            timeout=10,
        )
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        ids = _seed(url, headers)
        yield LiveServer(url, tenant["admin_email"], tenant["admin_password"], ids, headers)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        service_missing("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="pt-BR")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
