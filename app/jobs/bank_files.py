"""Bank files too large to process within the upload request, when the API only
publishes to a broker: the upload enqueues ``cobalto_process_bank_file`` and a job
worker processes the file. The file's lease makes a second delivery of the message a
no-op while the first one works on it, and a retry after a crash resumes it."""

from __future__ import annotations

import uuid

from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_runner import process_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.adapters.db.uow import SqlUnitOfWork
from app.jobs.context import JobContext
from app.server.auth import system_principal


async def process_bank_file(ctx: JobContext, tenant_id: str, file_id: str) -> bool:
    """Whether this delivery processed the file. The tenant comes from the message,
    which only the API publishes; the file is looked up under that tenant's scope (and
    RLS) only, so a message naming another tenant's file finds nothing."""
    services = ctx.services
    principal = system_principal(uuid.UUID(tenant_id), "bank-file-worker")

    def factory() -> SqlUnitOfWork:
        return services.uow(principal)

    store = BankFileStore.under(services.settings.var_dir)
    return await process_file(factory, store, uuid.UUID(file_id), ports_for)
