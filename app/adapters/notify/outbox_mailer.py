"""Sending e-mail for a tenant: record it, deliver it, keep the outcome.

With ``COBALTO_SMTP_URL`` set, messages go out over SMTP. Without it (the embedded
default) they are kept as ``delivered_locally`` and shown on the mailbox page, so
the demo shows what would have been sent. A ``dedupe_key`` makes a scheduled send
idempotent: the same report for the same day is never mailed twice.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.db.base import utcnow
from app.adapters.db.models.notify import OutboundEmailRow
from app.adapters.db.tenancy import bind_tenant
from app.domain.shared.ids import new_id
from app.domain.shared.notify import EmailMessage, Mailer
from app.domain.tenancy.principal import TenantId


class TenantMailer:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], tenant: TenantId, transport: Mailer | None
    ) -> None:
        self.sessions = sessions
        self.tenant = tenant
        self.transport = transport

    async def send(self, message: EmailMessage, *, dedupe_key: str | None = None) -> OutboundEmailRow:
        async with self.sessions() as session:
            bind_tenant(session, self.tenant)
            if dedupe_key:
                existing = (
                    await session.execute(
                        select(OutboundEmailRow).where(
                            OutboundEmailRow.tenant_id == self.tenant.value,
                            OutboundEmailRow.dedupe_key == dedupe_key,
                            OutboundEmailRow.status.in_(("sent", "delivered_locally")),
                        )
                    )
                ).scalar()
                if existing is not None:
                    return existing
            row = OutboundEmailRow(
                tenant_id=self.tenant.value,
                id=new_id(),
                kind=message.kind,
                to_addresses=list(message.to),
                subject=message.subject,
                body_text=message.text,
                body_html=message.html,
                attachment_names=[a.filename for a in message.attachments],
                status="queued",
                dedupe_key=dedupe_key,
                created_at=utcnow(),
            )
            session.add(row)
            await session.commit()
        status, transport_id, error = "delivered_locally", None, None
        if self.transport is not None:
            try:
                transport_id = await self.transport.send(message)
                status = "sent"
            except (OSError, ValueError) as exc:  # SMTP errors derive from OSError
                status, error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        async with self.sessions() as session:
            bind_tenant(session, self.tenant)
            await session.execute(
                update(OutboundEmailRow)
                .where(OutboundEmailRow.tenant_id == self.tenant.value, OutboundEmailRow.id == row.id)
                .values(
                    status=status,
                    transport_id=transport_id,
                    error=error,
                    attempts=OutboundEmailRow.attempts + 1,
                    sent_at=utcnow() if status != "failed" else None,
                )
            )
            await session.commit()
        row.status, row.transport_id, row.error = status, transport_id, error
        return row
