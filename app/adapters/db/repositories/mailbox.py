"""The tenant's sent and locally delivered e-mail, newest first (the mailbox page)."""

from __future__ import annotations

import uuid

from app.adapters.db.models.notify import OutboundEmailRow
from app.adapters.db.repositories.base import TenantRepository


class SqlMailboxRepository(TenantRepository):
    async def recent(self, limit: int = 50, kind: str | None = None) -> list[OutboundEmailRow]:
        stmt = self.scoped(OutboundEmailRow)
        if kind:
            stmt = stmt.where(OutboundEmailRow.kind == kind)
        stmt = stmt.order_by(OutboundEmailRow.created_at.desc(), OutboundEmailRow.id.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars())

    async def get(self, email_id: uuid.UUID) -> OutboundEmailRow | None:
        stmt = self.scoped(OutboundEmailRow).where(OutboundEmailRow.id == email_id)
        row: OutboundEmailRow | None = (await self.session.execute(stmt)).scalar()
        return row
