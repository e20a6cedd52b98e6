"""Customer import: a file's rows checked by the same rules as the API, then written in
bulk with an audit entry and a ``customer.created`` event each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.domain.customers.model import validate_customer
from app.domain.customers.service import Customer, new_customer
from app.domain.shared.imports import (
    BulkUnitOfWork,
    FileDuplicates,
    RowError,
    SourceRow,
    cell_text,
    fold_header,
)

# Canonical field → other names accepted in a header (en, pt-BR, es). Matching ignores
# case, accents, spaces and punctuation ("Razão Social" matches "razao_social").
CUSTOMER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nome", "nombre", "nome_fantasia", "customer_name", "cliente"),
    "legal_name": ("razao_social", "razon_social", "legal"),
    "tax_id": ("cnpj", "cpf", "cnpj_cpf", "cpf_cnpj", "rfc", "ein", "documento", "tax"),
    "external_ref": ("codigo", "cod", "code", "ref", "referencia", "customer_code", "id_externo"),
    "country": ("pais",),
    "email": ("e_mail", "correo", "correo_electronico"),
    "phone": ("telefone", "telefono", "fone", "celular"),
    "segment": ("segmento",),
    "region": ("regiao",),
    "sales_rep": ("vendedor", "representante", "rep", "salesperson"),
    "status": ("situacao", "estado"),
}
REQUIRED_COLUMNS = ("name",)

# Status words people type in the three languages, folded (see ``fold_header``).
_STATUS_WORDS = {
    "ativo": "active",
    "activo": "active",
    "inativo": "inactive",
    "inactivo": "inactive",
    "suspenso": "suspended",
    "suspendido": "suspended",
    "bloqueado": "blocked",
}


def row_data(values: SourceRow) -> dict[str, object]:
    """The row as the API's ``validate_customer`` expects it."""
    data: dict[str, object] = {}
    for name in CUSTOMER_COLUMNS:
        text = cell_text(values.values, name)
        if text is not None:
            data[name] = text
    status = data.get("status")
    if isinstance(status, str):
        folded = fold_header(status)
        data["status"] = _STATUS_WORDS.get(folded, folded)
    return data


class CustomerImportRepository(Protocol):
    async def existing_external_refs(self, refs: set[str]) -> set[str]: ...

    async def add_many(self, customers: Sequence[Customer]) -> None: ...


class CustomerImportUnitOfWork(BulkUnitOfWork, Protocol):
    @property
    def customers(self) -> CustomerImportRepository: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class CustomerBatch:
    created: list[Customer]
    errors: list[RowError]


async def import_customer_rows(
    uow: CustomerImportUnitOfWork, rows: Sequence[SourceRow], seen: FileDuplicates, *, write: bool
) -> CustomerBatch:
    """Check one batch of rows; with ``write``, register the valid ones.

    ``seen`` spans the whole file, so a reference used twice is caught across batches.
    """
    errors: list[RowError] = []
    checked: list[tuple[int, dict[str, object]]] = []
    for row in rows:
        clean, problems = validate_customer(row_data(row), partial=False)
        row_errors = [RowError(row.line, e.field, e.message) for e in problems]
        ref = clean.get("external_ref")
        dup = seen.check("external_ref", ref if isinstance(ref, str) else None, row.line)
        if dup:
            row_errors.append(dup)
        if row_errors:
            errors.extend(row_errors)
        else:
            checked.append((row.line, clean))
    refs = {str(c["external_ref"]) for _, c in checked if c.get("external_ref")}
    taken = await uow.customers.existing_external_refs(refs) if refs else set()
    now = uow.now()
    created: list[Customer] = []
    for line, clean in checked:
        ref = clean.get("external_ref")
        if ref in taken:
            errors.append(
                RowError(line, "external_ref", f"a customer with external_ref {ref!r} already exists")
            )
            continue
        created.append(new_customer(clean, now))
    errors.sort(key=lambda e: e.line)
    if write and created:
        await register_customers(uow, created)
    return CustomerBatch(created, errors)


async def register_customers(uow: CustomerImportUnitOfWork, customers: Sequence[Customer]) -> None:
    """The bulk form of ``create_customer``'s writes: rows, audit entries, events."""
    await uow.customers.add_many(customers)
    snapshots = [c.snapshot() for c in customers]
    await uow.audit_many("create", "customer", [(s["id"], s) for s in snapshots])
    await uow.record_many("customer.created", snapshots)
