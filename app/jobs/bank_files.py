"""Bank files too large to process within the upload request, when the API only
publishes to a broker: the upload enqueues ``cobalto_process_bank_file`` and a job
worker processes the file. The file's lease makes a second delivery of the message a
no-op while the first one works on it, and a retry after a crash resumes it."""

from __future__ import annotations

import uuid

from app.jobs.bank_file_resume import process_for_tenant
from app.jobs.context import JobContext


async def process_bank_file(ctx: JobContext, tenant_id: str, file_id: str) -> bool:
    """Whether this delivery processed the file. The tenant comes from the message,
    which only the API publishes; the file is looked up under that tenant's scope (and
    RLS) only, so a message naming another tenant's file finds nothing."""
    return await process_for_tenant(
        ctx.services, uuid.UUID(tenant_id), uuid.UUID(file_id), "bank-file-worker"
    )
