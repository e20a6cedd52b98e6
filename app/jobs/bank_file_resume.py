"""Processing a tenant's bank files from a job (the worker's message, the resume pass,
the watched folder), and resuming those nobody processes, in every tenant.

A file's processor claims it with a lease and renews the lease with each batch it
commits (``settlement_lease``). When the processor dies — an API process restarted
mid-file, a worker killed, a message lost — the file stays ``received``/``processing``
with a lease that runs out. The processes that schedule jobs (the embedded server,
``cobalto worker``) look for such files on every inbox poll, whichever tenant they
belong to and whether or not it uses the watched folder, and finish them: processing
is resumable (per-batch progress, records idempotent by key), and the claim makes two
resumers of one file give one processing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app.adapters.db.platform_queries import tenants_with_resumable_bank_files
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_runner import process_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.adapters.db.uow import SqlUnitOfWork
from app.server.auth import system_principal
from app.server.services import Services

log = logging.getLogger("cobalto.bank_files")

# An upload's own processing (inline, background task or worker) claims its file within
# moments; one never claimed after this is orphaned.
UNCLAIMED_GRACE = timedelta(minutes=1)
RESUME_ACTOR = "bank-file-resume"


async def resume_unfinished(services: Services, now: datetime | None = None) -> int:
    """Resume every tenant's orphaned files; how many this call processed."""
    at = now or datetime.now(UTC)
    async with services.sessions() as session:
        tenants = await tenants_with_resumable_bank_files(session, at, at - UNCLAIMED_GRACE)
    done = 0
    for tenant_id in tenants:
        done += await resume_tenant(services, tenant_id, at)
    return done


def tenant_factory(services: Services, tenant_id: uuid.UUID, actor: str) -> Callable[[], SqlUnitOfWork]:
    """Units of work of one tenant's system principal: the scope (and RLS) a job that
    was handed a tenant id acts under."""
    principal = system_principal(tenant_id, actor)
    return lambda: services.uow(principal)


async def process_for_tenant(
    services: Services, tenant_id: uuid.UUID, file_id: uuid.UUID, actor: str
) -> bool:
    """Process (or resume) one of the tenant's files under its scope; False when another
    processor holds it or it is finished (a file of another tenant is not found)."""
    store = BankFileStore.under(services.settings.var_dir)
    return await process_file(tenant_factory(services, tenant_id, actor), store, file_id, ports_for)


async def resume_tenant(services: Services, tenant_id: uuid.UUID, now: datetime | None = None) -> int:
    """Resume one tenant's orphaned files, under that tenant's scope."""
    at = now or datetime.now(UTC)
    async with tenant_factory(services, tenant_id, RESUME_ACTOR)() as uow:
        resumable = await SqlBankFileRepository(uow.session, uow.tenant).resumable(at, at - UNCLAIMED_GRACE)
    done = 0
    for file_id in resumable:
        try:
            if await process_for_tenant(services, tenant_id, file_id, RESUME_ACTOR):
                done += 1
        except Exception:
            # The file is marked failed with its progress; the next pass does not retry it.
            log.exception("resuming bank file %s failed", file_id)
    return done
