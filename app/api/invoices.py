"""/api/v1/invoices"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.adapters.db.queries import InvoiceFilter, invoice_page
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.api.receivables import installments_of_invoice
from app.api.schemas import InvoiceIn, InvoicePage, InvoicePatch, given, invoice_out
from app.api.schemas_receivables import InvoiceWithInstallments
from app.domain.receivables import invoices as service
from app.domain.shared.errors import FieldError, NotFound, ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.guards import principal_of, requires
from app.server.idempotency import run_idempotent
from app.server.pagination import decode_cursor, encode_cursor
from app.server.services import Services

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (at most 100).")]
StatusQ = Annotated[str | None, QueryParameter(pattern="^(open|partially_paid|paid|cancelled|written_off)$")]


def _default_currency(request: Request[Any, Any, Any]) -> str:
    return str(request.app.state.services.extras.get("default_currency", "BRL"))


class InvoiceController(Controller):
    path = "/api/v1/invoices"
    tags = ["invoices"]
    security = [{"oauth2": ["invoices:read"]}]

    @get("/", guards=[requires(Permission.INVOICES_READ)], summary="List invoices", responses=docs.READ)
    async def list_invoices(
        self,
        request: Request[Any, Any, Any],
        customer_id: FromQuery[uuid.UUID | None] = None,
        status: StatusQ = None,
        due_from: FromQuery[date | None] = None,
        due_to: FromQuery[date | None] = None,
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
    ) -> InvoicePage:
        after = None
        if cursor:
            raw_due, raw_id = decode_cursor(cursor, 2)
            try:
                after = (date.fromisoformat(raw_due), uuid.UUID(raw_id))
            except (TypeError, ValueError) as exc:
                raise ValidationFailed([FieldError("cursor", "is not a valid cursor")]) from exc
        f = InvoiceFilter(customer_id=customer_id, status=status, due_from=due_from, due_to=due_to)
        services: Services = request.app.state.services
        async with services.reads(principal_of(request)) as reads:
            rows, nxt = await invoice_page(reads, f, limit, after)
        return InvoicePage(
            items=[invoice_out(r) for r in rows],
            next_cursor=encode_cursor([nxt[0].isoformat(), str(nxt[1])]) if nxt else None,
        )

    @post(
        "/",
        guards=[requires(Permission.INVOICES_WRITE)],
        summary="Create an invoice",
        responses=docs.CREATE,
        status_code=201,
        security=[{"oauth2": ["invoices:write"]}],
    )
    async def create_invoice(
        self, request: Request[Any, Any, Any], data: JSONBody[InvoiceIn]
    ) -> Response[InvoiceWithInstallments]:
        currency = _default_currency(request)
        payload = given(data)
        if isinstance(data.installments, list):
            payload["installments"] = [msgspec.structs.asdict(i) for i in data.installments]
        async with uow_for(request) as uow:

            async def create() -> tuple[int, Any, dict[str, str]]:
                invoice = await service.create_invoice(uow, payload, currency)
                parts = await installments_of_invoice(request, uow, invoice.id)
                body = {**invoice.snapshot(), "installments": [msgspec.to_builtins(p) for p in parts]}
                return 201, body, {"Location": f"/api/v1/invoices/{invoice.id}"}

            return await run_idempotent(request, uow, create)

    @get(
        "/{invoice_id:str}",
        guards=[requires(Permission.INVOICES_READ)],
        summary="Get an invoice",
        responses=docs.READ_ONE,
    )
    async def get_invoice(
        self, request: Request[Any, Any, Any], invoice_id: FromPath[str]
    ) -> InvoiceWithInstallments:
        async with uow_for(request) as uow:
            invoice = await uow.invoices.get(parse_id(invoice_id, "invoice"))
            if invoice is None:
                raise NotFound("invoice not found")
            parts = await installments_of_invoice(request, uow, invoice.id)
        return InvoiceWithInstallments(**invoice.snapshot(), installments=parts)

    @patch(
        "/{invoice_id:str}",
        guards=[requires(Permission.INVOICES_WRITE)],
        summary="Change an invoice",
        responses=docs.UPDATE,
        security=[{"oauth2": ["invoices:write"]}],
    )
    async def patch_invoice(
        self, request: Request[Any, Any, Any], invoice_id: FromPath[str], data: JSONBody[InvoicePatch]
    ) -> InvoiceWithInstallments:
        async with uow_for(request) as uow:
            invoice = await service.update_invoice(uow, parse_id(invoice_id, "invoice"), given(data))
            await uow.commit()
        async with uow_for(request) as uow:
            parts = await installments_of_invoice(request, uow, invoice.id)
        return InvoiceWithInstallments(**invoice.snapshot(), installments=parts)
