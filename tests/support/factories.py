"""Factories as plain functions: data is built through the real use cases."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from app.adapters.db.provisioning import create_client, create_tenant
from app.domain.customers import service as customers
from app.domain.receivables import invoices
from app.domain.tenancy.model import OAUTH_SCOPES
from app.domain.tenancy.principal import TenantId
from app.server.auth import mint_tenant, system_principal
from app.server.services import Services


@dataclass(frozen=True)
class TenantInfo:
    id: uuid.UUID
    slug: str
    admin_email: str
    admin_password: str

    @property
    def tenant(self) -> TenantId:
        return mint_tenant(self.id)


async def new_tenant(services: Services, **kw: Any) -> TenantInfo:
    slug = kw.pop("slug", f"t-{uuid.uuid4().hex[:10]}")
    created = await create_tenant(
        services.sessions,
        mint_tenant,
        name=kw.pop("name", f"Tenant {slug}"),
        slug=slug,
        admin_email=kw.pop("admin_email", f"admin@{slug}.example.com"),
        **kw,
    )
    return TenantInfo(created.tenant_id, created.slug, created.admin_email, created.admin_password)


ALL_SCOPES = " ".join(OAUTH_SCOPES)


async def new_client(services: Services, tenant: TenantInfo, scopes: str = ALL_SCOPES) -> tuple[str, str]:
    created = await create_client(
        services.sessions, tenant.id, name="test client", scopes=scopes, created_by="test"
    )
    return created.client_id, created.client_secret


async def bearer_headers(http: Any, client_id: str, secret: str, scope: str | None = None) -> dict[str, str]:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = await http.post("/oauth/token", data=data, headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def api_headers(
    http: Any, services: Services, tenant: TenantInfo, scopes: str = ALL_SCOPES
) -> dict[str, str]:
    client_id, secret = await new_client(services, tenant, scopes)
    return await bearer_headers(http, client_id, secret)


async def add_customer(services: Services, tenant: TenantInfo, **data: Any) -> customers.Customer:
    payload = {"name": data.pop("name", f"Customer {uuid.uuid4().hex[:6]}"), **data}
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        created = await customers.create_customer(uow, payload)
        await uow.commit()
    return created


async def add_invoice(
    services: Services, tenant: TenantInfo, customer_id: uuid.UUID, **data: Any
) -> invoices.Invoice:
    payload = {
        "customer_id": str(customer_id),
        "number": data.pop("number", f"NF-{uuid.uuid4().hex[:8]}"),
        "issue_date": data.pop("issue_date", "2026-10-01"),
        "due_date": data.pop("due_date", "2026-10-31"),
        "amount": data.pop("amount", "1000.00"),
        **data,
    }
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        created = await invoices.create_invoice(uow, payload, "BRL")
        await uow.commit()
    return created
