"""Import jobs: one row per uploaded file, holding progress and the rejected rows."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import update

from app.adapters.db.base import utcnow
from app.adapters.db.models import ImportJobRow
from app.adapters.db.repositories.base import TenantRepository
from app.domain.shared.ids import new_id
from app.domain.shared.imports import ImportStatus, ImportTally


def job_dict(row: ImportJobRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "kind": row.kind,
        "filename": row.filename,
        "mode": row.mode,
        "status": row.status,
        "total_rows": row.total_rows,
        "processed_rows": row.processed_rows,
        "created": row.created_rows,
        "rejected": row.rejected_rows,
        "errors": list(row.errors or []),
        "created_at": row.created_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
    }


class SqlImportJobRepository(TenantRepository):
    async def create(
        self, *, kind: str, filename: str, mode: str, actor: str, estimated_rows: int
    ) -> uuid.UUID:
        job_id = new_id()
        self.session.add(
            ImportJobRow(
                tenant_id=self.tenant_uuid,
                id=job_id,
                kind=kind,
                filename=filename[:255],
                mode=mode,
                status=ImportStatus.RUNNING.value,
                total_rows=estimated_rows,
                processed_rows=0,
                created_rows=0,
                rejected_rows=0,
                errors=[],
                actor=actor[:160],
                created_at=utcnow(),
                committed=False,
            )
        )
        return job_id

    async def get(self, job_id: uuid.UUID) -> dict[str, Any] | None:
        row = (
            await self.session.execute(self.scoped(ImportJobRow).where(ImportJobRow.id == job_id))
        ).scalar()
        return job_dict(row) if row else None

    async def progress(self, job_id: uuid.UUID, tally: ImportTally, *, estimated_rows: int) -> None:
        await self._set(
            job_id,
            processed_rows=tally.total_rows,
            total_rows=max(estimated_rows, tally.total_rows),
            created_rows=tally.created,
            rejected_rows=tally.rejected,
        )

    async def finish(
        self, job_id: uuid.UUID, tally: ImportTally, status: ImportStatus, *, committed: bool
    ) -> None:
        await self._set(
            job_id,
            status=status.value,
            processed_rows=tally.total_rows,
            total_rows=tally.total_rows,
            created_rows=tally.created if committed else 0,
            rejected_rows=tally.rejected,
            errors=[e.as_dict() for e in tally.errors],
            finished_at=utcnow(),
            committed=committed,
        )

    async def _set(self, job_id: uuid.UUID, **values: Any) -> None:
        await self.session.execute(
            update(ImportJobRow)
            .where(ImportJobRow.tenant_id == self.tenant_uuid, ImportJobRow.id == job_id)
            .values(**values)
        )
