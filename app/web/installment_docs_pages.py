"""Payment documents of one installment for signed-in users: the boleto PDF and the
PIX copy-and-paste code with its QR image. The same adapters serve the API routes
(``/api/v1/installments/{id}/boleto.pdf``, ``/pix``), which take bearer tokens only."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from app.adapters.banks.boleto.pdf import render_boleto_pdf
from app.adapters.banks.pix import qr_png
from app.adapters.db.repositories.settlement_docs import boleto_for, installment_context, pix_code_for
from app.domain.shared.errors import ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.pages import Shell, parse_uuid, render, shell, uow_of


def _cannot_issue(sh: Shell, exc: ValidationFailed) -> Template:
    """No bank account or PIX key yet: say what to set up instead of a bare 422."""
    detail = exc.errors[0].message if exc.errors else exc.detail
    return render(sh, "error.html", status=422, title="Validation failed", detail=detail)


class InstallmentDocumentPages(Controller):
    path = "/installments"
    include_in_schema = False

    @get("/{installment_id:str}/boleto.pdf", guards=[requires(Permission.PAYMENTS_READ)])
    async def boleto(self, request: Request[Any, Any, Any], installment_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        iid = parse_uuid(installment_id)
        try:
            async with uow_of(request, sh) as uow:
                # The nosso número is assigned on the first request, as on the API.
                data = await boleto_for(uow, iid, sh.today)
                await uow.commit()
        except ValidationFailed as exc:
            return _cannot_issue(sh, exc)
        return Response(
            render_boleto_pdf(data),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="boleto-{data.nosso_numero.value}.pdf"'},
        )

    @get("/{installment_id:str}/pix", guards=[requires(Permission.PAYMENTS_READ)])
    async def pix(self, request: Request[Any, Any, Any], installment_id: FromPath[str]) -> Template:
        sh = await shell(request)
        iid = parse_uuid(installment_id)
        try:
            async with uow_of(request, sh) as uow:
                context = await installment_context(uow, iid)
                code, txid, amount = await pix_code_for(uow, iid)
                await uow.commit()
        except ValidationFailed as exc:
            return _cannot_issue(sh, exc)
        inst = context.installment
        return render(
            sh,
            "invoices/pix.html",
            installment=inst,
            invoice_number=context.invoice_number,
            customer_name=context.customer.name,
            code=code,
            txid=txid,
            amount=amount,
        )

    @get("/{installment_id:str}/pix.png", guards=[requires(Permission.PAYMENTS_READ)])
    async def pix_png(self, request: Request[Any, Any, Any], installment_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        iid = parse_uuid(installment_id)
        try:
            async with uow_of(request, sh) as uow:
                code, _, _ = await pix_code_for(uow, iid)
                await uow.commit()
        except ValidationFailed as exc:
            return _cannot_issue(sh, exc)
        return Response(qr_png(code), media_type="image/png", headers={"Cache-Control": "private, no-store"})


ROUTES = [InstallmentDocumentPages]
