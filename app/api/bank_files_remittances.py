"""Remittances (arquivo de remessa): instructions to the bank about installments.

``POST /api/v1/bank-accounts/{id}/remittances`` builds the file with the account's next
file sequence (reserved atomically), stores it and returns its metadata;
``GET /api/v1/remittances/{id}/file`` downloads the exact bytes.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from app.adapters.banks.cnab import RemittanceError, write_remittance
from app.adapters.db.models import RemittanceRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository
from app.adapters.db.repositories.settlement_docs import boleto_for, installment_context
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.domain.settlement.bank_files import (
    BankAccountRef,
    Instruction,
    InstructionKind,
    Payer,
    RemittanceTitle,
)
from app.domain.shared.errors import FieldError, NotFound, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.server.guards import requires

KINDS = {
    "register": InstructionKind.REGISTER,
    "write_off": InstructionKind.WRITE_OFF,
    "change_due_date": InstructionKind.CHANGE_DUE_DATE,
    "rebate": InstructionKind.GRANT_REBATE,
    "protest": InstructionKind.PROTEST,
    "stop_protest": InstructionKind.STOP_PROTEST,
}


class InstructionIn(msgspec.Struct, forbid_unknown_fields=True):
    installment_id: uuid.UUID
    kind: Annotated[
        str, msgspec.Meta(pattern="^(register|write_off|change_due_date|rebate|protest|stop_protest)$")
    ]
    due_date: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    rebate: Annotated[str, msgspec.Meta(pattern=r"^\d{1,13}(\.\d{1,2})?$")] | None = None
    protest_days: Annotated[int, msgspec.Meta(ge=0, le=99)] = 0


class RemittanceIn(msgspec.Struct, forbid_unknown_fields=True):
    instructions: Annotated[list[InstructionIn], msgspec.Meta(min_length=1, max_length=10_000)]


class RemittanceOut(msgspec.Struct):
    id: str
    bank_account_id: str
    file_sequence: int
    layout: str
    filename: str
    sha256: str
    size: int
    instructions: list[dict[str, Any]]
    created_at: str
    download_url: str


def _out(row: RemittanceRow) -> RemittanceOut:
    return RemittanceOut(
        id=str(row.id),
        bank_account_id=str(row.bank_account_id),
        file_sequence=row.file_sequence,
        layout=row.layout,
        filename=row.filename,
        sha256=row.sha256,
        size=len(row.content),
        instructions=row.instructions,
        created_at=row.created_at.isoformat(),
        download_url=f"/api/v1/remittances/{row.id}/file",
    )


class RemittanceController(Controller):
    path = "/api/v1"
    tags = ["bank files"]
    security = [{"oauth2": ["bank_files:write"]}]

    @post(
        "/bank-accounts/{account_id:str}/remittances",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Build a remittance file from instructions about installments",
        status_code=201,
        responses=docs.UPDATE,
    )
    async def create(
        self, request: Request[Any, Any, Any], account_id: FromPath[str], data: JSONBody[RemittanceIn]
    ) -> Response[RemittanceOut]:
        aid = parse_id(account_id, "bank account")
        async with uow_for(request) as uow:
            accounts = SqlBankAccountRepository(uow.session, uow.tenant)
            account = await accounts.get(aid)
            if account is None:
                raise NotFound("bank account not found")
            today = uow.now().date()
            instructions: list[Instruction] = []
            listed: list[dict[str, Any]] = []
            for i, item in enumerate(data.instructions):
                where = f"instructions[{i}]"
                try:
                    ctx = await installment_context(uow, item.installment_id)
                except NotFound:
                    raise ValidationFailed(
                        [FieldError(f"{where}.installment_id", "no such installment")]
                    ) from None
                inst = ctx.installment
                if not inst.bank_reference:
                    # Registering a title needs its nosso número: issue the boleto now.
                    await boleto_for(uow, inst.id, today)
                    ctx = await installment_context(uow, item.installment_id)
                    inst = ctx.installment
                if inst.bank_account_id not in (None, aid):
                    raise ValidationFailed(
                        [FieldError(f"{where}.installment_id", "is collected on another account")]
                    )
                due = inst.due_date
                if item.kind == "change_due_date":
                    if not item.due_date:
                        raise ValidationFailed(
                            [FieldError(f"{where}.due_date", "is required to change the due date")]
                        )
                    due = date.fromisoformat(item.due_date)
                rebate = Money.of(Decimal(item.rebate), inst.currency).minor if item.rebate else 0
                if item.kind == "rebate" and not rebate:
                    raise ValidationFailed([FieldError(f"{where}.rebate", "is required for a rebate")])
                c = ctx.customer
                title = RemittanceTitle(
                    nosso_numero=inst.bank_reference or "",
                    seu_numero=f"{ctx.invoice_number}-{inst.number_index}"[:15],
                    due_date=due,
                    issue_date=today,
                    face_value_minor=inst.amount_minor,
                    payer=Payer(tax_id=c.tax_id or "", name=c.name[:40]),
                    rebate_minor=rebate,
                    protest_days=item.protest_days,
                )
                instructions.append(Instruction(KINDS[item.kind], title))
                listed.append(
                    {"installment_id": str(inst.id), "kind": item.kind, "nosso_numero": title.nosso_numero}
                )
            ref = BankAccountRef(
                bank_code=account.bank_code,
                agency=account.agency,
                agency_digit=account.agency_digit,
                account=account.account,
                account_digit=account.digit,
                agreement=account.agreement,
                # CNAB 240 wants the one-character collection type (1 = simples), not the
                # boleto's carteira ("17"); CNAB 400 (Itaú) carries the carteira itself.
                wallet=account.wallet if account.layout == "cnab400" or len(account.wallet) == 1 else "1",
                company_tax_id=account.company_tax_id,
                company_name=account.company_name or account.name,
            )
            layout = account.layout
            seq = await accounts.take_remittance_sequence(aid)
            try:
                content = write_remittance(
                    ref,
                    instructions,
                    file_sequence=seq,
                    generated_at=uow.now(),
                    layout=layout,  # type: ignore[arg-type]
                )
            except RemittanceError as exc:
                raise ValidationFailed([FieldError("instructions", str(exc))]) from exc
            row = RemittanceRow(
                tenant_id=uow.tenant.value,
                id=new_id(),
                bank_account_id=aid,
                file_sequence=seq,
                layout=layout,
                filename=f"REM{account.bank_code}{seq:06d}.rem",
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                instructions=listed,
                created_by=uow.actor,
                created_at=uow.now(),
            )
            uow.session.add(row)
            uow.audit(
                "remittance.created",
                "remittance",
                str(row.id),
                None,
                {"file_sequence": seq, "instructions": listed},
            )
            out = _out(row)
            await uow.commit()
        return Response(out, status_code=201, headers={"Location": out.download_url})

    @get(
        "/remittances/{remittance_id:str}/file",
        guards=[requires(Permission.BANK_FILES_READ)],
        summary="Download a remittance file",
        media_type="application/octet-stream",
        responses=docs.READ_ONE,
        security=[{"oauth2": ["bank_files:read"]}],
    )
    async def download(
        self, request: Request[Any, Any, Any], remittance_id: FromPath[str]
    ) -> Response[bytes]:
        rid = parse_id(remittance_id, "remittance")
        async with uow_for(request) as uow:
            repo = SqlBankAccountRepository(uow.session, uow.tenant)
            row = (
                await uow.session.execute(repo.scoped(RemittanceRow).where(RemittanceRow.id == rid))
            ).scalar()
            if row is None:
                raise NotFound("remittance not found")
            return Response(
                row.content,
                media_type="application/octet-stream",
                headers={"Content-Disposition": f'attachment; filename="{row.filename}"'},
            )
