"""/api/v1/cash-application: statement credits the engine did not apply on its own.

Every action locks the line and refuses one that is no longer open (409), and money
moves through the idempotent apply seam, so a double click never applies twice.
Each action is audited (``cash_application.*``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_statements import apply_on_account, confirm_line, skip_line
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.domain.shared.errors import FieldError, ValidationFailed
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.server.bank_files_schemas import RecordOut, RecordPage, record_out
from app.server.guards import requires
from app.server.pagination import decode_cursor, encode_cursor

Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size (at most 200).")]
Amount = Annotated[str, msgspec.Meta(pattern=r"^\d{1,13}(\.\d{1,2})?$", examples=["150.00"])]


class AllocationIn(msgspec.Struct, forbid_unknown_fields=True):
    installment_id: uuid.UUID
    amount: Amount


class ConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    proposal: Annotated[int, msgspec.Meta(ge=0, le=50)] | None = None
    allocations: list[AllocationIn] | None = None


class OnAccountIn(msgspec.Struct, forbid_unknown_fields=True):
    customer_id: uuid.UUID


class CashApplicationController(Controller):
    path = "/api/v1/cash-application"
    tags = ["cash application"]
    security = [{"oauth2": ["bank_files:read"]}]

    @get(
        "/review",
        guards=[requires(Permission.BANK_FILES_READ)],
        summary="Statement credits waiting for review, with ranked proposals and their signals",
        responses=docs.READ,
    )
    async def review(
        self, request: Request[Any, Any, Any], limit: Limit = 50, cursor: FromQuery[str | None] = None
    ) -> RecordPage:
        after = parse_id(decode_cursor(cursor, 1)[0], "cursor") if cursor else None
        async with uow_for(request) as uow:
            rows = await SqlBankFileRepository(uow.session, uow.tenant).records_with_status(
                ["review", "skipped"], limit + 1, after
            )
            items = [record_out(r) for r in rows[:limit]]
        return RecordPage(
            items=items, next_cursor=encode_cursor([items[-1].id]) if len(rows) > limit else None
        )

    @post(
        "/{line_id:str}/confirm",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Apply a line: a proposal by index, or explicit allocations",
        status_code=200,
        responses=docs.UPDATE,
        security=[{"oauth2": ["bank_files:write"]}],
    )
    async def confirm(
        self, request: Request[Any, Any, Any], line_id: FromPath[str], data: JSONBody[ConfirmIn]
    ) -> RecordOut:
        lid = parse_id(line_id, "statement line")
        allocations: list[tuple[uuid.UUID, Money]] = []
        for i, a in enumerate(data.allocations or []):
            try:
                allocations.append((a.installment_id, Money.of(Decimal(a.amount), "BRL")))
            except (InvalidOperation, ValueError):
                raise ValidationFailed([FieldError(f"allocations[{i}].amount", "is not an amount")]) from None
        async with uow_for(request) as uow:
            row = await confirm_line(
                uow, ports_for(uow), lid, proposal=data.proposal, allocations=allocations
            )
            out = record_out(row)
            await uow.commit()
        return out

    @post(
        "/{line_id:str}/skip",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Leave a line for later",
        status_code=200,
        responses=docs.UPDATE,
        security=[{"oauth2": ["bank_files:write"]}],
    )
    async def skip(self, request: Request[Any, Any, Any], line_id: FromPath[str]) -> RecordOut:
        async with uow_for(request) as uow:
            row = await skip_line(uow, parse_id(line_id, "statement line"))
            out = record_out(row)
            await uow.commit()
        return out

    @post(
        "/{line_id:str}/apply-on-account",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Receive a line as the customer's credit, allocated to nothing",
        status_code=200,
        responses=docs.UPDATE,
        security=[{"oauth2": ["bank_files:write"]}],
    )
    async def on_account(
        self, request: Request[Any, Any, Any], line_id: FromPath[str], data: JSONBody[OnAccountIn]
    ) -> RecordOut:
        async with uow_for(request) as uow:
            row = await apply_on_account(
                uow, ports_for(uow), parse_id(line_id, "statement line"), data.customer_id
            )
            out = record_out(row)
            await uow.commit()
        return out
