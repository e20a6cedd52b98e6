"""``cobalto run`` (what ``make run`` starts): migrates, seeds the demo, and prints the
address and login only once the server answers there — then the login works."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.live_server import BIN, free_port

BANNER = re.compile(r"running at (http://\S+)\s+Sign in as (\S+) with password (\S+)")


def test_run_prints_the_login_when_the_server_is_up(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COBALTO_")}
    env.update(
        {
            "COBALTO_VAR_DIR": str(tmp_path),
            "COBALTO_FAST_PASSWORD_HASHING": "1",
            "COBALTO_INBOX_POLL_SECONDS": "0",
        }
    )
    port = free_port()
    out = tmp_path / "run.log"
    with out.open("wb") as sink:
        proc = subprocess.Popen(
            [str(BIN / "cobalto"), "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 180
            while not (found := BANNER.search(out.read_text(errors="replace"))):
                assert proc.poll() is None, out.read_text(errors="replace")
                assert time.monotonic() < deadline, out.read_text(errors="replace")
                time.sleep(0.2)
            url, email, password = found.groups()
            assert url == f"http://127.0.0.1:{port}"
            # Printed after the socket listens: the first request already succeeds.
            assert httpx.get(f"{url}/health", timeout=5).status_code == 200
            with httpx.Client(base_url=url, timeout=10) as client:
                page = client.get("/login")
                token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
                assert token, page.text
                signed_in = client.post(
                    "/login", data={"email": email, "password": password, "_csrf_token": token.group(1)}
                )
                assert signed_in.status_code == 303, signed_in.text
                home = client.get("/")
                assert home.status_code == 200 and "Demo Distribuidora" in home.text
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
