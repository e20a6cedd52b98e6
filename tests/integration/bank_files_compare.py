"""A tenant's money and bank-file state in a form two tenants can be compared with:
every id replaced by a stable label (payment → its external id, installment → its
nosso número, entry → nosso número and line…), timestamps blanked. Used by the tests
that run the per-record and the batch settlement paths side by side."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from sqlalchemy import select

from app.adapters.db.models import (
    AuditRow,
    BankFileRecordRow,
    BankFileRow,
    ChangeRequestRow,
    InstallmentRow,
    InvoiceRow,
    LedgerEntryRow,
    OutboxRow,
    PaymentRow,
)
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo

_SEEDED = frozenset({"customer", "invoice", "user", "tenant", "client", "bank_account"})
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")


async def _rows(session: Any, model: Any, tenant_id: uuid.UUID) -> list[Any]:
    return list((await session.execute(select(model).where(model.tenant_id == tenant_id))).scalars())


async def snapshot(services: Services, tenant: TenantInfo) -> dict[str, Any]:
    """Payments, ledger entries, balances, file records and counters, audit and events."""
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        s = uow.session
        installments = await _rows(s, InstallmentRow, tenant.id)
        invoices = await _rows(s, InvoiceRow, tenant.id)
        payments = await _rows(s, PaymentRow, tenant.id)
        entries = await _rows(s, LedgerEntryRow, tenant.id)
        files = await _rows(s, BankFileRow, tenant.id)
        records = await _rows(s, BankFileRecordRow, tenant.id)
        requests = await _rows(s, ChangeRequestRow, tenant.id)
        audits = await _rows(s, AuditRow, tenant.id)
        events = await _rows(s, OutboxRow, tenant.id)

    labels: dict[str, str] = {str(tenant.id): "tenant"}
    ref = {i.id: i.bank_reference or str(i.number_index) for i in installments}
    for i in installments:
        labels[str(i.id)] = f"I{ref[i.id]}"
        labels[str(i.invoice_id)] = f"V{ref[i.id]}"
        labels.setdefault(str(i.customer_id), f"C{len([k for k in labels if k.startswith('C')])}")
    for p in payments:
        labels[str(p.id)] = f"P{p.external_id}"
    for e in entries:
        labels[str(e.id)] = f"E{ref[e.installment_id]}:{e.line}"
    for f in files:
        labels[str(f.id)] = f"F{f.filename}"
        if f.bank_account_id:
            labels[str(f.bank_account_id)] = "account"
    file_name = {f.id: f.filename for f in files}
    for r in records:
        labels[str(r.id)] = f"L{file_name[r.file_id]}:{r.line_no}"
    for c in requests:
        labels[str(c.id)] = f"R{ref[c.installment_id]}:{c.kind}:{c.amount_minor}"

    def norm(value: Any) -> Any:
        text = json.dumps(value, default=str, sort_keys=True)
        text = _TIMESTAMP.sub("<ts>", text)
        return json.loads(_UUID.sub(lambda m: labels.get(m.group(0), "?"), text))

    def table(rows: list[Any], *names: str) -> list[Any]:
        return sorted(
            (norm({n: getattr(r, n) for n in names}) for r in rows),
            key=lambda d: json.dumps(d, sort_keys=True),
        )

    return {
        "installments": table(installments, "id", "open_minor", "status"),
        "invoices": table(invoices, "id", "open_minor", "status"),
        "payments": table(
            payments,
            "id",
            "source",
            "customer_id",
            "payer_name",
            "payer_tax_id",
            "amount_minor",
            "value_date",
            "reference",
            "unapplied_minor",
            "status",
        ),
        "entries": table(
            entries,
            "id",
            "installment_id",
            "line",
            "kind",
            "component",
            "amount_minor",
            "payment_id",
            "reverses_entry_id",
            "reason_code",
            "note",
            "effective_date",
        ),
        "files": table(
            files,
            "id",
            "status",
            "records",
            "settled_count",
            "settled_minor",
            "rejected_count",
            "applied_count",
            "queued_count",
            "review_count",
            "duplicate_count",
            "processed_through",
        ),
        "records": table(
            records,
            "id",
            "status",
            "error_code",
            "error",
            "record_key",
            "installment_id",
            "customer_id",
            "payment_id",
            "resolution",
        ),
        "change_requests": table(requests, "id", "kind", "amount_minor", "state", "reason_code", "note"),
        # What seeding wrote (customers, invoices: random names) is not compared.
        "audit": table(
            [a for a in audits if a.entity not in _SEEDED],
            "action",
            "entity",
            "entity_id",
            "before",
            "after",
            "reason",
        ),
        "events": table(
            [e for e in events if e.event_type.split(".")[0] not in _SEEDED], "event_type", "payload"
        ),
    }


def assert_same(per_record: dict[str, Any], batch: dict[str, Any]) -> None:
    """Section by section, so a failure names what differs."""
    assert per_record.keys() == batch.keys()
    for name in per_record:
        assert per_record[name] == batch[name], name
