"""A real Cobalto server in a subprocess (uvicorn on a free loopback port), for
contract and browser tests: migrated, with a tenant and an OAuth client made by the CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class LiveServer:
    url: str
    env: dict[str, str]
    tenant: dict[str, str]
    client: dict[str, str]

    def token(self, scope: str | None = None) -> str:
        data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
        r = httpx.post(
            f"{self.url}/oauth/token",
            data=data,
            auth=(self.client["client_id"], self.client["client_secret"]),
        )
        r.raise_for_status()
        return str(r.json()["access_token"])

    def cli(self, *args: str) -> dict[str, str]:
        out = subprocess.run(
            [str(BIN / "cobalto"), *args], env=self.env, check=True, capture_output=True, text=True
        ).stdout
        return dict(json.loads(out))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(
    var_dir: Path, scopes: str, extra_env: dict[str, str] | None = None, *, workers: int = 1
) -> Iterator[LiveServer]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("COBALTO_") or k.startswith("COBALTO_TEST_")
    }
    env.update(
        {
            "COBALTO_VAR_DIR": str(var_dir),
            "COBALTO_DATABASE_URL": f"sqlite+aiosqlite:///{var_dir / 'live.db'}",
            "COBALTO_TOKEN_RATE_PER_MINUTE": "100000",
            "COBALTO_LOGIN_RATE_PER_MINUTE": "1000",
            **(extra_env or {}),
        }
    )
    subprocess.run([str(BIN / "cobalto"), "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "cobalto"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}"
                )
            time.sleep(0.2)
        server = LiveServer(url, env, {}, {})
        tenant = server.cli(
            "tenant",
            "create",
            "--name",
            "Contract Co",
            "--slug",
            "contract",
            "--admin-email",
            "admin@contract.example.com",
        )
        client = server.cli(
            "client", "create", "--tenant", "contract", "--name", "contract", "--scopes", scopes
        )
        yield LiveServer(url, env, tenant, client)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
