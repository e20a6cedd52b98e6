"""Watched folder: bank files dropped in ``<var_dir>/inbox/<tenant-slug>/`` are processed
like uploads (same storage, same duplicate check by sha256, same processing and
correction queue) and then moved to ``…/processed/`` or ``…/rejected/`` (the latter with
``<name>.reason.txt`` saying why: a duplicate names the earlier file).

When a file counts as complete (a bank's transfer may still be writing it):

* names of files in flight are never taken: a leading ``.`` or ``~``, or a
  ``.part``/``.partial``/``.tmp``/``.filepart``/``.crdownload`` suffix. Writers that can
  should upload under such a name and rename when done (the rename is atomic);
* any other file must be non-empty, untouched for ``SETTLE_SECONDS`` and, in the
  running watcher, show the same size and mtime on two consecutive scans.

Several scanners (``cobalto worker`` processes, the embedded server) may watch the same
folder: a scanner claims a file by renaming it into ``…/.claimed/`` first; the rename
is atomic, so only one of them gets it. The unique (tenant, sha256) of ``bank_files``
still refuses the same bytes under two names. A claim whose scanner died is given back
after ``RESUME_AFTER``. Each pass of the running watcher first resumes the bank files,
of any tenant, that a crash left ``received``/``processing`` with an expired lease
(``bank_file_resume``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from app.adapters.db.platform_queries import get_tenant_by_slug
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_runner import DuplicateFile, process_file, register_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.jobs.bank_file_resume import resume_unfinished, tenant_factory
from app.server.services import Services

log = logging.getLogger("cobalto.watch_folder")
SETTLE_SECONDS = 2.0
# A claim in ``.claimed/`` this old belongs to a scanner that died.
RESUME_AFTER = timedelta(minutes=30)
IN_FLIGHT_SUFFIXES = (".part", ".partial", ".tmp", ".filepart", ".crdownload")
CLAIMED, PROCESSED, REJECTED = ".claimed", "processed", "rejected"
REASON_SUFFIX = ".reason.txt"

# (size, mtime in ns) of each file as the previous scan saw it.
Seen = dict[Path, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Picked:
    tenant: str
    name: str
    outcome: str  # processed | rejected
    detail: str


def in_flight(name: str) -> bool:
    return name.startswith((".", "~")) or name.lower().endswith(IN_FLIGHT_SUFFIXES)


def _candidates(tenant_dir: Path) -> list[Path]:
    # Top-level files only: processed/, rejected/ and .claimed/ are folders.
    return sorted(p for p in tenant_dir.iterdir() if p.is_file() and not in_flight(p.name))


def _settled(path: Path, now: float, seen: Seen | None, observed: Seen) -> bool:
    try:
        st = path.stat()
    except FileNotFoundError:  # another scanner claimed it meanwhile
        return False
    signature = (st.st_size, st.st_mtime_ns)
    observed[path] = signature
    if st.st_size == 0 or now - st.st_mtime < SETTLE_SECONDS:
        return False
    return seen is None or seen.get(path) == signature


def _claim(path: Path) -> Path | None:
    """Rename ``path`` into ``.claimed/``; None when another scanner was first."""
    claimed = path.parent / CLAIMED
    claimed.mkdir(exist_ok=True)
    target = claimed / f"{uuid.uuid4().hex[:12]}--{path.name}"
    try:
        os.rename(path, target)  # atomic: of two scanners, exactly one succeeds
    except FileNotFoundError:
        return None
    return target


def _original_name(claimed: Path) -> str:
    return claimed.name.split("--", 1)[-1]


def _move(path: Path, tenant_dir: Path, folder: str, name: str, note: str | None = None) -> None:
    target_dir = tenant_dir / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / name
    if target.exists():
        target = target_dir / f"{time.strftime('%Y%m%d%H%M%S')}-{name}"
    os.replace(path, target)
    if note:
        target.with_name(target.name + REASON_SUFFIX).write_text(note + "\n")


async def scan_inbox(
    services: Services, *, now: float | None = None, seen: Seen | None = None
) -> list[Picked]:
    """One pass over every tenant's inbox. ``seen`` (kept by the running watcher between
    passes) adds the "unchanged since the last scan" condition; it is updated in place."""
    root = services.settings.var_dir / "inbox"
    if not root.is_dir():
        return []
    store = BankFileStore.under(services.settings.var_dir)
    clock = time.time() if now is None else now
    picked: list[Picked] = []
    observed: Seen = {}
    for tenant_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        async with services.sessions() as session:
            tenant = await get_tenant_by_slug(session, tenant_dir.name)
        if tenant is None:
            continue
        factory = tenant_factory(services, tenant.id, "watch-folder")
        await _recover_claims(factory, store, tenant_dir, clock)
        for path in _candidates(tenant_dir):
            if not _settled(path, clock, seen, observed):
                continue
            claimed = _claim(path)
            if claimed is None:
                continue
            observed.pop(path, None)
            picked.append(await _take(factory, store, tenant_dir, claimed))
    if seen is not None:
        seen.clear()
        seen.update(observed)
    return picked


async def _take(factory: object, store: BankFileStore, tenant_dir: Path, claimed: Path) -> Picked:
    name, tenant = _original_name(claimed), tenant_dir.name
    try:
        sha, size = store.put(claimed)
        file_id = await register_file(
            factory,  # type: ignore[arg-type]
            store,
            sha256=sha,
            size=size,
            filename=name,
            bank_account_id=None,
            source="folder",
        )
        await process_file(factory, store, file_id, ports_for)  # type: ignore[arg-type]
    except DuplicateFile as exc:
        note = f"duplicate of bank file {exc.file_id} ({exc.filename}, {exc.uploaded_at:%Y-%m-%d %H:%M} UTC)"
        _move(claimed, tenant_dir, REJECTED, name, note)
        return Picked(tenant, name, "rejected", note)
    except Exception as exc:
        log.exception("watched file %s/%s failed", tenant, name)
        _move(claimed, tenant_dir, REJECTED, name, f"{type(exc).__name__}: {exc}")
        return Picked(tenant, name, "rejected", str(exc))
    _move(claimed, tenant_dir, PROCESSED, name)
    return Picked(tenant, name, "processed", str(file_id))


async def _recover_claims(factory: object, store: BankFileStore, tenant_dir: Path, now: float) -> None:
    """Claims older than ``RESUME_AFTER`` belong to a scanner that died: a registered
    file goes to processed/ (``bank_file_resume`` finishes its processing), any other back to
    the inbox for a normal take."""
    claimed_dir = tenant_dir / CLAIMED
    if not claimed_dir.is_dir():
        return
    for path in claimed_dir.iterdir():
        try:
            # The claim's rename set ctime: the age of the claim, not of the file.
            if now - path.stat().st_ctime < RESUME_AFTER.total_seconds():
                continue
            sha, _size = store.digest(path)
        except FileNotFoundError:
            continue
        async with factory() as uow:  # type: ignore[operator]
            known = await SqlBankFileRepository(uow.session, uow.tenant).by_sha256(sha)
        name = _original_name(path)
        if known is not None:
            _move(path, tenant_dir, PROCESSED, name)
        else:
            os.replace(path, tenant_dir / name)


class InboxWatcher:
    """Scans the inbox every ``poll_seconds`` (run by processes that schedule jobs)."""

    def __init__(self, services: Services, poll_seconds: float) -> None:
        self.services = services
        self.poll_seconds = poll_seconds
        self.seen: Seen = {}

    async def scan(self, now: float | None = None) -> list[Picked]:
        # Orphaned files of every tenant first (not only those with an inbox folder).
        await resume_unfinished(self.services)
        return await scan_inbox(self.services, now=now, seen=self.seen)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.scan()
            except Exception:
                # A database outage or an unreadable folder must not stop the watcher.
                log.exception("inbox scan failed")
            await asyncio.sleep(self.poll_seconds)


def start_inbox_watcher(services: Services) -> asyncio.Task[None] | None:
    """The watcher task, or None when ``COBALTO_INBOX_POLL_SECONDS`` is 0."""
    poll = services.settings.inbox_poll_seconds
    if poll <= 0:
        return None
    watcher = InboxWatcher(services, poll)
    services.extras["inbox_watcher"] = watcher
    return asyncio.get_running_loop().create_task(watcher.run_forever(), name="cobalto-inbox-watcher")
