"""Invoice import: rows checked by the API's invoice rules, the customer found by its
external reference or tax id, then written in bulk with an audit entry and an
``invoice.created`` event each."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.domain.receivables.invoices import Invoice, new_invoice, validate_new_invoice
from app.domain.receivables.ledger import InstallmentLedger
from app.domain.receivables.service_invoices import plan_for
from app.domain.receivables.service_ports import InstallmentStore
from app.domain.shared.imports import (
    BulkUnitOfWork,
    FileDuplicates,
    RowError,
    SourceRow,
    cell_text,
    normalize_date,
    normalize_decimal,
)

INVOICE_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": (
        "numero",
        "nf",
        "nota",
        "nota_fiscal",
        "numero_nf",
        "invoice",
        "invoice_number",
        "factura",
        "folio",
    ),
    "customer": ("cliente", "customer_ref", "codigo_cliente", "cnpj_cliente", "customer_tax_id"),
    "issue_date": (
        "emissao",
        "data_emissao",
        "data_de_emissao",
        "fecha_emision",
        "fecha_de_emision",
        "issued",
    ),
    "due_date": (
        "vencimento",
        "data_vencimento",
        "data_de_vencimento",
        "vencimiento",
        "fecha_vencimiento",
        "due",
    ),
    "amount": ("valor", "monto", "importe", "total", "value"),
    "currency": ("moeda", "moneda"),
    "external_ref": ("codigo", "referencia", "ref", "id_externo"),
    "description": ("descricao", "descripcion", "historico", "memo"),
}
REQUIRED_COLUMNS = ("number", "customer", "issue_date", "due_date", "amount")

# Placeholder so the other fields of a row whose customer is unknown are still checked
# (the row is rejected for its customer anyway).
_UNRESOLVED = uuid.UUID(int=0)
_PUNCTUATION = re.compile(r"[.\-/\s]")


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    id: uuid.UUID
    external_ref: str | None
    tax_id: str | None


class InvoiceImportRepository(Protocol):
    async def customers_matching(self, refs: set[str], tax_ids: set[str]) -> list[CustomerMatch]: ...

    async def existing_numbers(self, numbers: set[str]) -> set[str]: ...

    async def existing_external_refs(self, refs: set[str]) -> set[str]: ...

    async def add_many(self, invoices: Sequence[Invoice]) -> None: ...


class InvoiceImportUnitOfWork(BulkUnitOfWork, Protocol):
    @property
    def invoices(self) -> InvoiceImportRepository: ...

    @property
    def installments(self) -> InstallmentStore: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class InvoiceBatch:
    created: list[Invoice]
    errors: list[RowError]


def tax_id_forms(key: str) -> set[str]:
    """The stored forms a tax id typed in a file may have (BR/MX bare, US NN-NNNNNNN)."""
    bare = _PUNCTUATION.sub("", key).upper()
    forms = {bare}
    if len(bare) == 9 and bare.isdigit():
        forms.add(f"{bare[:2]}-{bare[2:]}")
    return forms


class CustomerIndex:
    """Finds a row's customer: by external reference first, then by a unique tax id."""

    def __init__(self, matches: list[CustomerMatch]) -> None:
        self._by_ref = {m.external_ref: m.id for m in matches if m.external_ref}
        self._by_tax: dict[str, set[uuid.UUID]] = {}
        for m in matches:
            if m.tax_id:
                self._by_tax.setdefault(m.tax_id, set()).add(m.id)

    def resolve(self, key: str) -> uuid.UUID | str:
        """The customer id, or the reason none could be chosen."""
        found = self._by_ref.get(key)
        if found is not None:
            return found
        ids: set[uuid.UUID] = set()
        for form in tax_id_forms(key):
            ids |= self._by_tax.get(form, set())
        if len(ids) == 1:
            return next(iter(ids))
        if ids:
            return f"tax id {key!r} belongs to {len(ids)} customers; use the customer's external reference"
        return f"no customer with external reference or tax id {key!r}"


def row_data(row: SourceRow, customer_id: uuid.UUID) -> dict[str, object]:
    """The row as the API's ``validate_new_invoice`` expects it."""
    values = row.values
    data: dict[str, object] = {"customer_id": str(customer_id)}
    for name in ("number", "currency", "external_ref", "description"):
        text = cell_text(values, name)
        if text is not None:
            data[name] = text
    for name in ("issue_date", "due_date"):
        text = cell_text(values, name)
        if text is not None:
            data[name] = normalize_date(text)
    amount = cell_text(values, "amount")
    if amount is not None:
        data["amount"] = normalize_decimal(amount)
    return data


async def import_invoice_rows(
    uow: InvoiceImportUnitOfWork,
    rows: Sequence[SourceRow],
    seen: FileDuplicates,
    default_currency: str,
    *,
    write: bool,
) -> InvoiceBatch:
    """Check one batch of rows; with ``write``, register the valid ones."""
    keys = {k for r in rows if (k := cell_text(r.values, "customer"))}
    tax_forms = {form for k in keys for form in tax_id_forms(k)}
    index = CustomerIndex(await uow.invoices.customers_matching(keys, tax_forms) if keys else [])
    errors: list[RowError] = []
    checked: list[tuple[int, Invoice]] = []
    now = uow.now()
    for row in rows:
        row_errors: list[RowError] = []
        key = cell_text(row.values, "customer")
        customer: uuid.UUID | str = index.resolve(key) if key else "is required"
        if isinstance(customer, str):
            row_errors.append(RowError(row.line, "customer", customer))
        fields, problems = validate_new_invoice(
            row_data(row, customer if isinstance(customer, uuid.UUID) else _UNRESOLVED), default_currency
        )
        row_errors.extend(RowError(row.line, e.field, e.message) for e in problems)
        for name in ("number", "external_ref"):
            dup = seen.check(name, cell_text(row.values, name), row.line)
            if dup:
                row_errors.append(dup)
        if row_errors or fields is None:
            errors.extend(row_errors)
            continue
        checked.append((row.line, new_invoice(fields, now)))
    numbers = {i.number for _, i in checked}
    refs = {i.external_ref for _, i in checked if i.external_ref}
    taken_numbers = await uow.invoices.existing_numbers(numbers) if numbers else set()
    taken_refs = await uow.invoices.existing_external_refs(refs) if refs else set()
    created: list[Invoice] = []
    for line, invoice in checked:
        clash = False
        if invoice.number in taken_numbers:
            errors.append(RowError(line, "number", f"invoice number {invoice.number!r} already exists"))
            clash = True
        if invoice.external_ref in taken_refs:
            errors.append(
                RowError(
                    line,
                    "external_ref",
                    f"external_ref {invoice.external_ref!r} is already used by another invoice",
                )
            )
            clash = True
        if not clash:
            created.append(invoice)
    errors.sort(key=lambda e: e.line)
    if write and created:
        await register_invoices(uow, created)
    return InvoiceBatch(created, errors)


async def register_invoices(uow: InvoiceImportUnitOfWork, invoices: Sequence[Invoice]) -> None:
    """The bulk form of ``create_invoice``'s writes: rows, their installments (one per
    invoice, due on its due date, each ledger opened by its face value), audit entries,
    events."""
    await uow.invoices.add_many(invoices)
    plans = [plan_for(invoice, None) for invoice in invoices]
    await uow.installments.add(
        [
            (installment, InstallmentLedger.opened(installment.id, installment.amount, plan.issue_date))
            for plan in plans
            for installment in plan.installments
        ]
    )
    snapshots = [i.snapshot() for i in invoices]
    await uow.audit_many("create", "invoice", [(s["id"], s) for s in snapshots])
    await uow.record_many("invoice.created", snapshots)
