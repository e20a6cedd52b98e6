"""Payment documents per installment (PIX BR Code and QR, boleto PDF) and the
tenant's inbound PIX webhook endpoints.

Inbound webhook authentication (see ``app/api/webhooks_in.py``): the PSP posts to
``/webhooks/in/pix/{token}``; the token names the tenant and the endpoint, and the
body is signed with HMAC-SHA256 under the endpoint's secret (shown once, here, at
creation).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from app.adapters.banks.boleto.pdf import render_boleto_pdf
from app.adapters.banks.pix import qr_png
from app.adapters.db.models import PixEndpointRow
from app.adapters.db.repositories.settlement_docs import boleto_for, pix_code_for
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.domain.shared.ids import new_id
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.server.services import Services


class PixOut(msgspec.Struct):
    installment_id: str
    txid: str
    amount: str
    brcode: str
    qr_png_url: str


class PixEndpointIn(msgspec.Struct, forbid_unknown_fields=True):
    description: str | None = None


class PixEndpointCreated(msgspec.Struct):
    id: str
    url: str
    token: str
    signing_secret: str
    signature_header: str
    description: str | None


def endpoint_secret(services: Services, token_hash: str) -> str:
    """The HMAC secret of an endpoint, derived from the app key and never stored."""
    key = services.settings.secret_key.encode()
    return hmac.new(key, f"pix-webhook:{token_hash}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InstallmentDocumentsController(Controller):
    path = "/api/v1/installments"
    tags = ["payments"]
    security = [{"oauth2": ["payments:read"]}]

    @get(
        "/{installment_id:str}/pix",
        guards=[requires(Permission.PAYMENTS_READ)],
        summary="PIX copy-and-paste code (BR Code) for what is open on an installment",
        responses=docs.problems(401, 403, 404, 409, 422),
    )
    async def pix(self, request: Request[Any, Any, Any], installment_id: FromPath[str]) -> PixOut:
        iid = parse_id(installment_id, "installment")
        async with uow_for(request) as uow:
            code, txid, amount = await pix_code_for(uow, iid)
            await uow.commit()
        return PixOut(str(iid), txid, str(amount.amount), code, f"/api/v1/installments/{iid}/pix.png")

    @get(
        "/{installment_id:str}/pix.png",
        guards=[requires(Permission.PAYMENTS_READ)],
        summary="The installment's PIX QR code as PNG",
        media_type="image/png",
        responses=docs.problems(401, 403, 404, 409, 422),
    )
    async def pix_png(
        self, request: Request[Any, Any, Any], installment_id: FromPath[str]
    ) -> Response[bytes]:
        iid = parse_id(installment_id, "installment")
        async with uow_for(request) as uow:
            code, _, _ = await pix_code_for(uow, iid)
            await uow.commit()
        return Response(qr_png(code), media_type="image/png")

    @get(
        "/{installment_id:str}/boleto.pdf",
        guards=[requires(Permission.PAYMENTS_READ)],
        summary="The installment's boleto (nosso número assigned on the first request)",
        media_type="application/pdf",
        responses=docs.problems(401, 403, 404, 409, 422),
    )
    async def boleto(self, request: Request[Any, Any, Any], installment_id: FromPath[str]) -> Response[bytes]:
        iid = parse_id(installment_id, "installment")
        async with uow_for(request) as uow:
            data = await boleto_for(uow, iid, uow.now().date())
            await uow.commit()
        return Response(
            render_boleto_pdf(data),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="boleto-{data.nosso_numero.value}.pdf"'},
        )


class PixEndpointController(Controller):
    path = "/api/v1/pix/webhook-endpoints"
    tags = ["payments"]
    security = [{"oauth2": ["bank_files:write"]}]

    @post(
        "/",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Create an inbound PIX webhook endpoint (its token and secret are shown once)",
        status_code=201,
        responses=docs.CREATE,
    )
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[PixEndpointIn]
    ) -> PixEndpointCreated:
        services: Services = request.app.state.services
        async with uow_for(request) as uow:
            # The token starts with the tenant id, so the webhook finds its tenant
            # before any tenant-scoped read; the random rest is what authenticates.
            token = f"{uow.tenant.value.hex}{secrets.token_urlsafe(32)}"
            hashed = token_hash(token)
            row = PixEndpointRow(
                tenant_id=uow.tenant.value, id=new_id(), token_hash=hashed, description=data.description
            )
            uow.session.add(row)
            uow.audit(
                "pix_endpoint.created", "pix_endpoint", str(row.id), None, {"description": data.description}
            )
            await uow.commit()
        return PixEndpointCreated(
            id=str(row.id),
            url=f"/webhooks/in/pix/{token}",
            token=token,
            signing_secret=endpoint_secret(services, hashed),
            signature_header="X-Cobalto-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, '<t>.<raw body>')>",
            description=data.description,
        )
