"""/api/v1/customers"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.adapters.db.queries import customer_page
from app.adapters.db.repositories.customers import CustomerFilter
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.api.schemas import CustomerIn, CustomerOut, CustomerPage, CustomerPatch, customer_out, given
from app.domain.customers import service
from app.domain.shared.errors import NotFound
from app.domain.tenancy.model import Permission
from app.server.guards import principal_of, requires
from app.server.idempotency import run_idempotent
from app.server.pagination import decode_cursor, encode_cursor
from app.server.services import Services

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (at most 100).")]


class CustomerController(Controller):
    path = "/api/v1/customers"
    tags = ["customers"]
    security = [{"oauth2": ["customers:read"]}]

    @get("/", guards=[requires(Permission.CUSTOMERS_READ)], summary="List customers", responses=docs.READ)
    async def list_customers(
        self,
        request: Request[Any, Any, Any],
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
        status: Annotated[str | None, QueryParameter(pattern="^(active|inactive|suspended|blocked)$")] = None,
        segment: Annotated[str | None, QueryParameter(max_length=80)] = None,
        region: Annotated[str | None, QueryParameter(max_length=80)] = None,
    ) -> CustomerPage:
        after = parse_id(decode_cursor(cursor, 1)[0], "cursor") if cursor else None
        services: Services = request.app.state.services
        f = CustomerFilter(q=q, status=status, segment=segment, region=region)
        async with services.reads(principal_of(request)) as reads:
            rows, last = await customer_page(reads, f, limit, after)
        return CustomerPage(
            items=[customer_out(r) for r in rows], next_cursor=encode_cursor([str(last)]) if last else None
        )

    @post(
        "/",
        guards=[requires(Permission.CUSTOMERS_WRITE)],
        summary="Create a customer",
        responses=docs.CREATE,
        status_code=201,
        security=[{"oauth2": ["customers:write"]}],
    )
    async def create_customer(
        self, request: Request[Any, Any, Any], data: JSONBody[CustomerIn]
    ) -> Response[CustomerOut]:
        async with uow_for(request) as uow:

            async def create() -> tuple[int, Any, dict[str, str]]:
                customer = await service.create_customer(uow, given(data))
                return 201, customer.snapshot(), {"Location": f"/api/v1/customers/{customer.id}"}

            return await run_idempotent(request, uow, create)

    @get(
        "/{customer_id:str}",
        guards=[requires(Permission.CUSTOMERS_READ)],
        summary="Get a customer",
        responses=docs.READ_ONE,
    )
    async def get_customer(self, request: Request[Any, Any, Any], customer_id: FromPath[str]) -> CustomerOut:
        async with uow_for(request) as uow:
            customer = await uow.customers.get(parse_id(customer_id, "customer"))
        if customer is None:
            raise NotFound("customer not found")
        return CustomerOut(**customer.snapshot())

    @patch(
        "/{customer_id:str}",
        guards=[requires(Permission.CUSTOMERS_WRITE)],
        summary="Change a customer",
        responses=docs.UPDATE,
        security=[{"oauth2": ["customers:write"]}],
    )
    async def patch_customer(
        self, request: Request[Any, Any, Any], customer_id: FromPath[str], data: JSONBody[CustomerPatch]
    ) -> CustomerOut:
        async with uow_for(request) as uow:
            customer = await service.update_customer(uow, parse_id(customer_id, "customer"), given(data))
            await uow.commit()
        return CustomerOut(**customer.snapshot())
