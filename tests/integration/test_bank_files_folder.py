"""The watched folder: dropped files are processed like uploads and moved away."""

from __future__ import annotations

import time
from typing import Any

import pytest

from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.jobs.watch_folder import scan_inbox
from app.server.auth import system_principal
from app.server.services import Services
from tests.api.test_bank_files_helpers import RETURNS
from tests.support.factories import new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_dropped_files_are_processed_deduplicated_and_moved(services: Services) -> None:
    tenant = await new_tenant(services)
    inbox = services.settings.var_dir / "inbox" / tenant.slug
    inbox.mkdir(parents=True)
    data = (RETURNS / "CNAB400ITAU.RET").read_bytes()
    (inbox / "a.ret").write_bytes(data)
    (inbox / "copy.ret").write_bytes(data)
    (inbox / "garbage.txt").write_bytes(b"\x00\x01 not a bank file")
    (inbox / "fresh.ret").write_bytes(data)
    now = time.time()

    # "fresh.ret" is still being written (mtime now): left for the next scan.
    import os

    for name in ("a.ret", "copy.ret", "garbage.txt"):
        os.utime(inbox / name, (now - 60, now - 60))
    picked = [p for p in await scan_inbox(services, now=now) if p.tenant == tenant.slug]
    outcomes = {p.name: p.outcome for p in picked}
    assert outcomes["a.ret"] == "processed"
    assert outcomes["copy.ret"] == "rejected"  # the same bytes: a duplicate
    assert "fresh.ret" not in outcomes
    assert (inbox / "processed" / "a.ret").exists()
    note = (inbox / "rejected" / "copy.ret.reason.txt").read_text()
    assert "duplicate of bank file" in note
    assert (inbox / "fresh.ret").exists()

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        files = await SqlBankFileRepository(uow.session, uow.tenant).list_after(10, None)
    by_name = {f.filename: f for f in files}
    assert by_name["a.ret"].source == "folder" and by_name["a.ret"].status == "processed"
    assert by_name["a.ret"].records == 52
    assert by_name["garbage.txt"].status in ("invalid", "processed")


async def test_unknown_tenant_folder_is_left_alone(services: Services, tmp_path: Any) -> None:
    stray = services.settings.var_dir / "inbox" / "no-such-tenant-slug"
    stray.mkdir(parents=True, exist_ok=True)
    (stray / "x.ret").write_bytes(b"x")
    picked = await scan_inbox(services, now=time.time() + 60)
    assert all(p.tenant != "no-such-tenant-slug" for p in picked)
    assert (stray / "x.ret").exists()
