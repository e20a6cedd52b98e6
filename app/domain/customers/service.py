"""Customer use cases: register and change a customer."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from app.domain.customers.model import CustomerStatus, validate_customer
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.events import DomainEvent, UnitOfWorkBase
from app.domain.shared.ids import new_id


@dataclass(frozen=True, slots=True)
class Customer:
    id: uuid.UUID
    name: str
    legal_name: str | None
    tax_id: str | None
    country: str
    email: str | None
    phone: str | None
    segment: str | None
    region: str | None
    sales_rep: str | None
    status: CustomerStatus
    external_ref: str | None
    created_at: datetime
    updated_at: datetime

    def snapshot(self) -> dict[str, Any]:
        data = asdict(self)
        data["id"] = str(self.id)
        data["status"] = self.status.value
        data["created_at"] = self.created_at.isoformat()
        data["updated_at"] = self.updated_at.isoformat()
        return data


class CustomerRepository(Protocol):
    async def get(self, customer_id: uuid.UUID) -> Customer | None: ...

    async def add(self, customer: Customer) -> None: ...

    async def update(self, customer: Customer) -> None: ...

    async def external_ref_owner(self, external_ref: str) -> uuid.UUID | None: ...


class CustomersUnitOfWork(UnitOfWorkBase, Protocol):
    @property
    def customers(self) -> CustomerRepository: ...


_EDITABLE = (
    "name",
    "legal_name",
    "tax_id",
    "country",
    "email",
    "phone",
    "segment",
    "region",
    "sales_rep",
    "status",
    "external_ref",
)


async def _check_external_ref(uow: CustomersUnitOfWork, ref: object, own_id: uuid.UUID | None) -> None:
    if isinstance(ref, str) and ref:
        owner = await uow.customers.external_ref_owner(ref)
        if owner is not None and owner != own_id:
            raise Conflict(f"external_ref {ref!r} is already used by another customer", field="external_ref")


async def create_customer(uow: CustomersUnitOfWork, data: dict[str, object]) -> Customer:
    clean, errors = validate_customer(data, partial=False)
    if errors:
        raise ValidationFailed(errors)
    await _check_external_ref(uow, clean.get("external_ref"), None)
    customer = new_customer(clean, uow.now())
    await uow.customers.add(customer)
    after = customer.snapshot()
    uow.audit("create", "customer", str(customer.id), None, after)
    uow.record(DomainEvent("customer.created", after))
    return customer


def new_customer(clean: dict[str, object], now: datetime) -> Customer:
    """A new customer from fields already checked by ``validate_customer`` (also used by
    imports, which check many rows before writing them in bulk)."""
    return Customer(
        id=new_id(),
        name=str(clean["name"]),
        legal_name=_opt(clean, "legal_name"),
        tax_id=_opt(clean, "tax_id"),
        country=str(clean.get("country") or "BR"),
        email=_opt(clean, "email"),
        phone=_opt(clean, "phone"),
        segment=_opt(clean, "segment"),
        region=_opt(clean, "region"),
        sales_rep=_opt(clean, "sales_rep"),
        status=CustomerStatus(str(clean.get("status") or CustomerStatus.ACTIVE)),
        external_ref=_opt(clean, "external_ref"),
        created_at=now,
        updated_at=now,
    )


async def update_customer(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, data: dict[str, object]
) -> Customer:
    current = await uow.customers.get(customer_id)
    if current is None:
        raise NotFound("customer not found")
    unknown = [k for k in data if k not in _EDITABLE]
    if unknown:
        raise ValidationFailed([FieldError(k, "cannot be changed") for k in unknown])
    clean, errors = validate_customer({**data, "_current_country": current.country}, partial=True)
    if errors:
        raise ValidationFailed(errors)
    if "external_ref" in clean:
        await _check_external_ref(uow, clean["external_ref"], current.id)
    changes: dict[str, Any] = {k: v for k, v in clean.items() if k in _EDITABLE}
    if "status" in changes:
        changes["status"] = CustomerStatus(str(changes["status"]))
    updated = replace(current, **changes, updated_at=uow.now())
    if updated == replace(current, updated_at=updated.updated_at):
        return current
    await uow.customers.update(updated)
    before, after = current.snapshot(), updated.snapshot()
    uow.audit("update", "customer", str(current.id), before, after)
    changed = sorted(k for k in after if after[k] != before[k] and k != "updated_at")
    uow.record(DomainEvent("customer.updated", {**after, "changed": changed}))
    return updated


def _opt(clean: dict[str, object], key: str) -> str | None:
    value = clean.get(key)
    return str(value) if value is not None else None
