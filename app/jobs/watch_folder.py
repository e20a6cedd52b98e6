"""Watched folder: bank files dropped in ``<var_dir>/inbox/<tenant-slug>/`` are processed
like uploads (same storage, same duplicate check, same processing) and then moved to
``<var_dir>/inbox/<tenant-slug>/processed/`` or ``…/failed/`` (with ``<name>.error.txt``
saying why: a duplicate names the earlier file).

A file is taken only once its size has not changed for ``SETTLE_SECONDS`` (a bank's
transfer may still be writing it). Files are processed inline, one at a time; the
scan also resumes files a crash left ``received``/``processing`` (idempotent by
record key) when they were uploaded more than ``RESUME_AFTER`` ago. Schedule ``scan_inbox(services)`` every minute or so.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.adapters.db.platform_queries import get_tenant_by_slug
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_runner import DuplicateFile, process_file, register_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.adapters.db.uow import SqlUnitOfWork
from app.server.auth import system_principal
from app.server.services import Services

log = logging.getLogger("cobalto.watch_folder")
SETTLE_SECONDS = 2.0
RESUME_AFTER = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Picked:
    tenant: str
    name: str
    outcome: str  # processed | failed
    detail: str


def _ready(path: Path, now: float) -> bool:
    st = path.stat()
    return st.st_size > 0 and now - st.st_mtime >= SETTLE_SECONDS


def _move(path: Path, folder: str, note: str | None = None) -> None:
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        target = target_dir / f"{time.strftime('%Y%m%d%H%M%S')}-{path.name}"
    path.replace(target)
    if note:
        target.with_name(target.name + ".error.txt").write_text(note + "\n")


async def scan_inbox(services: Services, *, now: float | None = None) -> list[Picked]:
    root = services.settings.var_dir / "inbox"
    if not root.is_dir():
        return []
    store = BankFileStore.under(services.settings.var_dir)
    clock = time.time() if now is None else now
    picked: list[Picked] = []
    for tenant_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        async with services.sessions() as session:
            tenant = await get_tenant_by_slug(session, tenant_dir.name)
        if tenant is None:
            continue
        principal = system_principal(tenant.id, "watch-folder")

        def factory(principal: object = principal) -> SqlUnitOfWork:
            return services.uow(principal)  # type: ignore[arg-type]

        await _resume(factory, store)
        for path in sorted(p for p in tenant_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
            if path.name.endswith(".error.txt") or not _ready(path, clock):
                continue
            picked.append(await _take(factory, store, tenant_dir.name, path))
    return picked


async def _take(factory: object, store: BankFileStore, tenant: str, path: Path) -> Picked:
    try:
        sha, size = store.put(path)
        file_id = await register_file(
            factory,  # type: ignore[arg-type]
            store,
            sha256=sha,
            size=size,
            filename=path.name,
            bank_account_id=None,
            source="folder",
        )
        await process_file(factory, store, file_id, ports_for)  # type: ignore[arg-type]
    except DuplicateFile as exc:
        note = f"duplicate of bank file {exc.file_id} ({exc.filename}, {exc.uploaded_at:%Y-%m-%d %H:%M} UTC)"
        _move(path, "failed", note)
        return Picked(tenant, path.name, "failed", note)
    except Exception as exc:
        log.exception("watched file %s/%s failed", tenant, path.name)
        _move(path, "failed", f"{type(exc).__name__}: {exc}")
        return Picked(tenant, path.name, "failed", str(exc))
    _move(path, "processed")
    return Picked(tenant, path.name, "processed", str(file_id))


async def _resume(factory: object, store: BankFileStore) -> None:
    # Only files left behind long ago: a recent one may still be processing in the
    # process that received it (there is no heartbeat on the row).
    cutoff = datetime.now(UTC) - RESUME_AFTER
    async with factory() as uow:  # type: ignore[operator]
        unfinished = await SqlBankFileRepository(uow.session, uow.tenant).unfinished(cutoff)
    for file_id in unfinished:
        try:
            await process_file(factory, store, file_id, ports_for)  # type: ignore[arg-type]
        except Exception:
            log.exception("resuming bank file %s failed", file_id)
