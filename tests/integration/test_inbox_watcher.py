"""The watched folder as the jobs runtime runs it: scheduled scans, files still being
written left alone, and concurrent scanners taking each file once."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.jobs import watch_folder
from app.jobs.runtime import attach_jobs
from app.jobs.watch_folder import CLAIMED, RESUME_AFTER, InboxWatcher, scan_inbox
from app.server.auth import system_principal
from app.server.services import Services
from tests.api.test_bank_files_helpers import RETURNS
from tests.support.factories import TenantInfo, new_tenant
from tests.support.jobs import drain_backlog

pytestmark = pytest.mark.asyncio(loop_scope="session")

RETURN = (RETURNS / "CNAB400ITAU.RET").read_bytes()


async def _inbox(services: Services) -> tuple[TenantInfo, Path]:
    tenant = await new_tenant(services)
    inbox = services.settings.var_dir / "inbox" / tenant.slug
    inbox.mkdir(parents=True)
    return tenant, inbox


def _age(path: Path, seconds: float = 60) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


async def _files(services: Services, tenant: TenantInfo) -> list[Any]:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        return await SqlBankFileRepository(uow.session, uow.tenant).list_after(100, None)


async def test_the_running_runtime_processes_a_dropped_file(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch_folder, "SETTLE_SECONDS", 0.0)
    tenant, inbox = await _inbox(services)
    await drain_backlog(services)
    own = Services(
        settings=dataclasses.replace(services.settings, inbox_poll_seconds=0.05),
        engine=services.engine,
        sessions=services.sessions,
    )
    startup: list[Callable[[], Awaitable[None] | None]] = []
    shutdown: list[Callable[[], Awaitable[None] | None]] = []
    attach_jobs(own, startup, shutdown)
    for hook in startup:
        await hook()  # type: ignore[misc]
    try:
        assert isinstance(own.extras.get("inbox_watcher"), InboxWatcher)
        (inbox / "drop.ret").write_bytes(RETURN)
        deadline = time.monotonic() + 60
        while not (inbox / "processed" / "drop.ret").exists():
            assert time.monotonic() < deadline, sorted(p.name for p in inbox.rglob("*"))
            await asyncio.sleep(0.05)
    finally:
        for hook in shutdown:
            await hook()  # type: ignore[misc]
    (row,) = await _files(services, tenant)
    assert row.filename == "drop.ret" and row.source == "folder" and row.status == "processed"
    assert row.records == 52
    assert not (inbox / "drop.ret").exists() and not list((inbox / CLAIMED).iterdir())


async def test_no_watcher_when_polling_is_off(services: Services) -> None:
    own = Services(
        settings=dataclasses.replace(services.settings, inbox_poll_seconds=0.0),
        engine=services.engine,
        sessions=services.sessions,
    )
    assert watch_folder.start_inbox_watcher(own) is None


async def test_a_file_still_being_written_is_left_alone(services: Services) -> None:
    tenant, inbox = await _inbox(services)
    watcher = InboxWatcher(services, poll_seconds=30)
    partial = inbox / "upload.ret.part"  # the temp-name convention: never taken
    partial.write_bytes(RETURN)
    _age(partial)
    growing = inbox / "growing.ret"
    growing.write_bytes(RETURN[:1000])
    _age(growing)
    fresh = inbox / "fresh.ret"  # just written: younger than SETTLE_SECONDS
    fresh.write_bytes((RETURNS / "CNAB240.RET").read_bytes())

    def mine(picked: list[Any]) -> set[str]:
        return {p.name for p in picked if p.tenant == tenant.slug}

    assert mine(await watcher.scan()) == set()  # first sight: not yet known to be stable
    with growing.open("ab") as f:  # the transfer goes on between two scans
        f.write(RETURN[1000:])
    _age(growing)
    assert mine(await watcher.scan()) == set()  # size changed since the last scan
    assert partial.exists() and growing.exists() and fresh.exists()
    assert await _files(services, tenant) == []

    assert mine(await watcher.scan()) == {"growing.ret"}  # unchanged across two scans
    assert mine(await watcher.scan(now=time.time() + 60)) == {"fresh.ret"}
    assert partial.exists()
    names = {f.filename for f in await _files(services, tenant)}
    assert names == {"growing.ret", "fresh.ret"}

    partial.rename(inbox / "upload.ret")  # the writer's final rename
    _age(inbox / "upload.ret")
    await watcher.scan()
    assert mine(await watcher.scan()) == {"upload.ret"}
    assert (inbox / "rejected" / "upload.ret.reason.txt").exists()  # same bytes as growing.ret


async def test_two_concurrent_scanners_give_one_bank_file(services: Services) -> None:
    tenant, inbox = await _inbox(services)
    for name in ("a.ret", "same-bytes.ret"):
        (inbox / name).write_bytes(RETURN)
        _age(inbox / name)
    first, second = await asyncio.gather(scan_inbox(services), scan_inbox(services))
    picked = [p for p in [*first, *second] if p.tenant == tenant.slug]
    # Each file was taken by exactly one scanner; the twin bytes are a duplicate.
    assert sorted(p.name for p in picked) == ["a.ret", "same-bytes.ret"]
    assert sorted(p.outcome for p in picked) == ["processed", "rejected"]
    (row,) = await _files(services, tenant)
    assert row.status == "processed" and row.records == 52
    moved = sorted(p.name for p in inbox.rglob("*.ret"))
    assert moved == ["a.ret", "same-bytes.ret"] and not list(inbox.glob("*.ret"))

    # The claim itself: of two scanners renaming one file, exactly one gets it.
    (inbox / "b.ret").write_bytes(b"x")
    claims = [watch_folder._claim(inbox / "b.ret"), watch_folder._claim(inbox / "b.ret")]
    assert claims[0] is not None and claims[0].exists() and claims[1] is None
    claims[0].unlink()


async def test_a_claim_left_by_a_dead_scanner_is_taken_again(services: Services) -> None:
    tenant, inbox = await _inbox(services)
    (inbox / CLAIMED).mkdir()
    orphan = inbox / CLAIMED / "0123456789ab--orphan.ret"
    orphan.write_bytes(RETURN)
    later = time.time() + RESUME_AFTER.total_seconds() + 60
    picked = [p for p in await scan_inbox(services, now=later) if p.tenant == tenant.slug]
    assert [(p.name, p.outcome) for p in picked] == [("orphan.ret", "processed")]
    assert (inbox / "processed" / "orphan.ret").exists() and not orphan.exists()
    (row,) = await _files(services, tenant)
    assert row.filename == "orphan.ret"
