"""Taking in a bank file (upload, API or watched folder): store it immutably, register it,
process it inline when small; a large one goes to the job workers when this process
only publishes to a broker (``send_large_files_to``, set by the jobs runtime), else to
a background task of this process. Shared by the API and the web pages."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, cast

from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_runner import process_file, register_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.server.services import Services

log = logging.getLogger("cobalto.bank_files")
INLINE_BYTES = 256 * 1024
_DISPATCH = "bank_file_dispatch"

# Hands (tenant id, file id) to whoever processes large files elsewhere.
Dispatch = Callable[[uuid.UUID, uuid.UUID], Awaitable[None]]


def send_large_files_to(services: Services, dispatch: Dispatch | None) -> None:
    """Large files go to ``dispatch`` from now on; None: back to a background task."""
    if dispatch is None:
        services.extras.pop(_DISPATCH, None)
    else:
        services.extras[_DISPATCH] = dispatch


def _dispatch(services: Services) -> Dispatch | None:
    found = services.extras.get(_DISPATCH)
    return cast(Dispatch, found) if callable(found) else None


def store_of(services: Services) -> BankFileStore:
    return BankFileStore.under(services.settings.var_dir)


def _tasks(services: Services) -> set[asyncio.Task[Any]]:
    tasks = services.extras.setdefault("bank_file_tasks", set())
    assert isinstance(tasks, set)
    return tasks


async def ingest_path(
    services: Services,
    factory: Any,
    path: Any,
    filename: str,
    bank_account_id: uuid.UUID | None,
    *,
    source: str = "upload",
    inline_limit: int | None = None,
) -> tuple[uuid.UUID, bool]:
    """Store, register and process (inline or in the background) one file.

    Returns (file id, processed inline). Raises ``DuplicateFile``."""
    store = store_of(services)
    sha, size = store.put(path)
    file_id = await register_file(
        factory,
        store,
        sha256=sha,
        size=size,
        filename=filename,
        bank_account_id=bank_account_id,
        source=source,
    )
    limit = (
        inline_limit
        if inline_limit is not None
        else int(str(services.extras.get("bank_file_inline_bytes", INLINE_BYTES)))
    )
    if size <= limit:
        await process_file(factory, store, file_id, ports_for)
        return file_id, True
    await _later(services, factory, store, file_id)
    return file_id, False


async def _later(services: Services, factory: Any, store: BankFileStore, file_id: uuid.UUID) -> None:
    dispatch = _dispatch(services)
    if dispatch is not None:
        try:
            await dispatch(factory().tenant.value, file_id)
            return
        except Exception:
            # The file is registered: rather than leave it waiting, process it here
            # (its lease keeps a late message from processing it twice).
            log.warning(
                "could not hand bank file %s to the workers; processing it here", file_id, exc_info=True
            )
    task = asyncio.create_task(_background(factory, store, file_id))
    _tasks(services).add(task)
    task.add_done_callback(_tasks(services).discard)


async def _background(factory: Any, store: BankFileStore, file_id: uuid.UUID) -> None:
    try:
        await process_file(factory, store, file_id, ports_for)
    except Exception:
        log.warning("background processing of bank file %s failed (status recorded)", file_id)
