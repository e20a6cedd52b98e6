"""Request and response shapes of the public API (they define the OpenAPI schema)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from app.domain.shared.money import exponent

Text200 = Annotated[str, Meta(max_length=200)]
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S")]
Email = Annotated[str, Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Text80 = Annotated[str, Meta(max_length=80)]
Country = Annotated[str, Meta(pattern="^[A-Za-z]{2}$")]
Decimal = Annotated[str, Meta(pattern=r"^-?\d{1,13}(\.\d{1,4})?$", examples=["1234.56"])]
Currency = Annotated[str, Meta(pattern="^[A-Za-z]{3}$", examples=["BRL"])]
IsoDate = Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-30"])]
CustomerStatusT = Annotated[str, Meta(pattern="^(active|inactive|suspended|blocked)$")]


class CustomerIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    legal_name: Text200 | None = None
    tax_id: Annotated[str, Meta(max_length=32)] | None = None
    country: Country = "BR"
    email: Email | None = None
    phone: Annotated[str, Meta(max_length=40)] | None = None
    segment: Text80 | None = None
    region: Text80 | None = None
    sales_rep: Annotated[str, Meta(max_length=120)] | None = None
    status: CustomerStatusT = "active"
    external_ref: Text80 | None = None


class CustomerPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    legal_name: Text200 | UnsetType | None = UNSET
    tax_id: Annotated[str, Meta(max_length=32)] | UnsetType | None = UNSET
    country: Country | UnsetType = UNSET
    email: Annotated[str, Meta(max_length=254)] | UnsetType | None = UNSET
    phone: Annotated[str, Meta(max_length=40)] | UnsetType | None = UNSET
    segment: Text80 | UnsetType | None = UNSET
    region: Text80 | UnsetType | None = UNSET
    sales_rep: Annotated[str, Meta(max_length=120)] | UnsetType | None = UNSET
    status: CustomerStatusT | UnsetType = UNSET
    external_ref: Text80 | UnsetType | None = UNSET


class CustomerOut(msgspec.Struct):
    id: str
    name: str
    legal_name: str | None
    tax_id: str | None
    country: str
    email: str | None
    phone: str | None
    segment: str | None
    region: str | None
    sales_rep: str | None
    status: str
    external_ref: str | None
    created_at: str
    updated_at: str


class CustomerPage(msgspec.Struct):
    items: list[CustomerOut]
    next_cursor: str | None


class InstallmentPlanIn(msgspec.Struct, forbid_unknown_fields=True):
    due_date: IsoDate
    amount: Decimal


class InvoiceIn(msgspec.Struct, forbid_unknown_fields=True):
    """One installment due on ``due_date`` by default; or ``installments`` (due dates
    and amounts adding up to ``amount``) or ``terms`` ("30/60/90" days after issue),
    in which case ``due_date`` may be left out (it is the last installment's)."""

    customer_id: uuid.UUID
    number: Annotated[str, Meta(min_length=1, max_length=60)]
    issue_date: IsoDate
    amount: Decimal
    due_date: IsoDate | UnsetType = UNSET
    currency: Currency | None = None
    external_ref: Text80 | None = None
    description: Annotated[str, Meta(max_length=500)] | None = None
    installments: Annotated[list[InstallmentPlanIn], Meta(min_length=1, max_length=120)] | UnsetType = UNSET
    terms: (
        Annotated[str, Meta(pattern=r"^\d{1,4}([/, ]\d{1,4}){0,119}$", examples=["30/60/90"])] | UnsetType
    ) = UNSET


class InvoicePatch(msgspec.Struct, forbid_unknown_fields=True):
    issue_date: IsoDate | UnsetType = UNSET
    due_date: IsoDate | UnsetType = UNSET
    amount: Decimal | UnsetType = UNSET
    external_ref: Text80 | UnsetType | None = UNSET
    description: Annotated[str, Meta(max_length=500)] | UnsetType | None = UNSET
    status: Annotated[str, Meta(pattern="^cancelled$")] | UnsetType = UNSET


class InvoiceOut(msgspec.Struct):
    id: str
    customer_id: str
    number: str
    issue_date: str
    due_date: str
    amount: str
    currency: str
    open_amount: str
    status: str
    external_ref: str | None
    description: str | None
    created_at: str
    updated_at: str


class InvoicePage(msgspec.Struct):
    items: list[InvoiceOut]
    next_cursor: str | None


def given(struct: msgspec.Struct) -> dict[str, object]:
    """The fields a client actually sent (PATCH semantics: absent ≠ null)."""
    return {k: v for k, v in msgspec.structs.asdict(struct).items() if v is not UNSET}


# --- list pages: structs straight from query rows -----------------------------------
# (rows in ``queries.INVOICE_COLUMNS`` / ``CUSTOMER_COLUMNS`` order; no dict in between)


def decimal_text(minor: int, currency: str) -> str:
    """Minor units as the API's decimal string, by integer arithmetic: exactly what
    ``str(Money.from_minor(minor, currency).amount)`` gives, without building a Decimal."""
    places = exponent(currency)
    if places == 0:
        return str(minor)
    whole, fraction = divmod(-minor if minor < 0 else minor, 10**places)
    return f"{'-' if minor < 0 else ''}{whole}.{fraction:0{places}d}"


def invoice_out(r: Sequence[Any]) -> InvoiceOut:
    currency = r[6]
    return InvoiceOut(
        str(r[0]),
        str(r[1]),
        r[2],
        r[3].isoformat(),
        r[4].isoformat(),
        decimal_text(r[5], currency),
        currency,
        decimal_text(r[7], currency),
        r[8],
        r[9],
        r[10],
        r[11].isoformat(),
        r[12].isoformat(),
    )


def customer_out(r: Sequence[Any]) -> CustomerOut:
    return CustomerOut(
        str(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
        r[12].isoformat(), r[13].isoformat(),
    )  # fmt: skip
