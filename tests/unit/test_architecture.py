"""Architecture rules that import-linter cannot express."""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# Only the authentication layer mints tenant ids (the CLI and jobs go through it).
MINT_ALLOWED = {"app/domain/tenancy/principal.py", "app/server/auth.py"}


def test_only_the_auth_layer_mints_tenant_ids() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        rel = path.relative_to(APP.parent).as_posix()
        if rel in MINT_ALLOWED:
            continue
        if re.search(r"\bMINT_KEY\b", path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert offenders == []


def test_no_float_money_in_domain() -> None:
    offenders = []
    for path in (APP / "domain").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bfloat\(", line) and "money" in line.lower():
                offenders.append(f"{path.name}:{n}")
    assert offenders == []
