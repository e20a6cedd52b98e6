"""/api/v1/bank-accounts: the tenant's collection accounts (beneficiário) at its banks."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from msgspec import UNSET, Meta, UnsetType
from sqlalchemy.exc import IntegrityError

from app.adapters.banks.statements import CsvMapping
from app.adapters.db.models import BankAccountRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository
from app.adapters.db.uow import SqlUnitOfWork
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.server.pagination import decode_cursor, encode_cursor

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (at most 100).")]
BankCode = Annotated[str, Meta(pattern=r"^\d{3}$", examples=["001"])]
Digits = Annotated[str, Meta(pattern=r"^\d{1,12}$")]
Digit = Annotated[str, Meta(pattern=r"^[0-9A-Za-z]{0,2}$")]
Agreement = Annotated[str, Meta(pattern=r"^[0-9A-Za-z ]{0,20}$")]
Wallet = Annotated[str, Meta(pattern=r"^[0-9A-Za-z]{0,5}$")]
LayoutT = Annotated[str, Meta(pattern="^(cnab240|cnab400)$")]
TaxId = Annotated[str, Meta(pattern=r"^\d{11}$|^\d{14}$")]
PixKey = Annotated[str, Meta(min_length=1, max_length=77)]
Seq = Annotated[int, Meta(ge=1, le=10**15)]


class BankAccountIn(msgspec.Struct, forbid_unknown_fields=True):
    bank_code: BankCode
    agency: Digits
    account: Digits
    name: Annotated[str, Meta(min_length=1, max_length=120)] | None = None
    agency_digit: Digit = ""
    digit: Digit = ""
    agreement: Agreement = ""
    wallet: Wallet = ""
    layout: LayoutT = "cnab240"
    company_tax_id: TaxId | None = None
    company_name: Annotated[str, Meta(max_length=60)] = ""
    pix_key: PixKey | None = None
    pix_city: Annotated[str, Meta(max_length=15)] = ""
    next_nosso_numero: Seq = 1
    next_remittance_sequence: Seq = 1
    csv_mapping: dict[str, Any] | None = None


class BankAccountPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=120)] | UnsetType = UNSET
    agreement: Agreement | UnsetType = UNSET
    wallet: Wallet | UnsetType = UNSET
    layout: LayoutT | UnsetType = UNSET
    company_tax_id: TaxId | UnsetType = UNSET
    company_name: Annotated[str, Meta(max_length=60)] | UnsetType = UNSET
    pix_key: PixKey | UnsetType | None = UNSET
    pix_city: Annotated[str, Meta(max_length=15)] | UnsetType = UNSET
    next_nosso_numero: Seq | UnsetType = UNSET
    next_remittance_sequence: Seq | UnsetType = UNSET
    csv_mapping: dict[str, Any] | UnsetType | None = UNSET


class BankAccountOut(msgspec.Struct):
    id: str
    name: str
    bank_code: str
    agency: str
    agency_digit: str
    account: str
    digit: str
    agreement: str
    wallet: str
    layout: str
    company_tax_id: str
    company_name: str
    pix_key: str | None
    pix_city: str
    next_nosso_numero: int
    next_remittance_sequence: int
    csv_mapping: dict[str, Any] | None
    created_at: str
    updated_at: str


class BankAccountPage(msgspec.Struct):
    items: list[BankAccountOut]
    next_cursor: str | None


def account_out(row: BankAccountRow) -> BankAccountOut:
    return BankAccountOut(
        id=str(row.id),
        name=row.name,
        bank_code=row.bank_code,
        agency=row.agency,
        agency_digit=row.agency_digit,
        account=row.account,
        digit=row.digit,
        agreement=row.agreement,
        wallet=row.wallet,
        layout=row.layout,
        company_tax_id=row.company_tax_id,
        company_name=row.company_name,
        pix_key=row.pix_key,
        pix_city=row.pix_city,
        next_nosso_numero=row.next_nosso_numero,
        next_remittance_sequence=row.next_remittance_sequence,
        csv_mapping=row.csv_mapping,
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
    )


def _check_mapping(mapping: dict[str, Any] | None) -> dict[str, Any] | None:
    if mapping is None:
        return None
    try:
        return CsvMapping.from_dict(mapping).to_dict()
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed([FieldError("csv_mapping", f"is not a valid CSV mapping: {exc}")]) from exc


async def _flush(uow: SqlUnitOfWork) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict("a bank account with the same bank, agency, account and agreement exists") from exc


async def _get(uow: SqlUnitOfWork, raw_id: str) -> BankAccountRow:
    row = await SqlBankAccountRepository(uow.session, uow.tenant).get(parse_id(raw_id, "bank account"))
    if row is None:
        raise NotFound("bank account not found")
    return row


class BankAccountController(Controller):
    path = "/api/v1/bank-accounts"
    tags = ["bank accounts"]
    security = [{"oauth2": ["bank_files:read"]}]

    @get(
        "/", guards=[requires(Permission.BANK_FILES_READ)], summary="List bank accounts", responses=docs.READ
    )
    async def list_accounts(
        self, request: Request[Any, Any, Any], limit: Limit = 25, cursor: FromQuery[str | None] = None
    ) -> BankAccountPage:
        after = parse_id(decode_cursor(cursor, 1)[0], "cursor") if cursor else None
        async with uow_for(request) as uow:
            rows = await SqlBankAccountRepository(uow.session, uow.tenant).list_after(limit + 1, after)
        more = len(rows) > limit
        rows = rows[:limit]
        return BankAccountPage(
            items=[account_out(r) for r in rows],
            next_cursor=encode_cursor([str(rows[-1].id)]) if more else None,
        )

    @post(
        "/",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Register a bank account",
        responses=docs.CREATE,
        status_code=201,
        security=[{"oauth2": ["bank_files:write"]}],
    )
    async def create_account(
        self, request: Request[Any, Any, Any], data: JSONBody[BankAccountIn]
    ) -> Response[BankAccountOut]:
        async with uow_for(request) as uow:
            row = BankAccountRow(
                id=new_id(),
                name=data.name or f"{data.bank_code} {data.agency}/{data.account}",
                bank_code=data.bank_code,
                agency=data.agency,
                agency_digit=data.agency_digit,
                account=data.account,
                digit=data.digit,
                agreement=data.agreement.strip(),
                wallet=data.wallet,
                layout=data.layout,
                company_tax_id=data.company_tax_id or "",
                company_name=data.company_name,
                pix_key=data.pix_key,
                pix_city=data.pix_city,
                next_nosso_numero=data.next_nosso_numero,
                next_remittance_sequence=data.next_remittance_sequence,
                csv_mapping=_check_mapping(data.csv_mapping),
            )
            SqlBankAccountRepository(uow.session, uow.tenant).add(row)
            await _flush(uow)
            out = account_out(row)
            uow.audit("bank_account.created", "bank_account", out.id, None, msgspec.to_builtins(out))
            await uow.commit()
        # Files that named this account before it existed wait in the correction queue.
        from app.api.bank_files import retry_unknown_account_files

        await retry_unknown_account_files(request, row.id)
        return Response(out, status_code=201, headers={"Location": f"/api/v1/bank-accounts/{out.id}"})

    @get(
        "/{account_id:str}",
        guards=[requires(Permission.BANK_FILES_READ)],
        summary="Get a bank account",
        responses=docs.READ_ONE,
    )
    async def get_account(self, request: Request[Any, Any, Any], account_id: FromPath[str]) -> BankAccountOut:
        async with uow_for(request) as uow:
            return account_out(await _get(uow, account_id))

    @patch(
        "/{account_id:str}",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Change a bank account",
        responses=docs.UPDATE,
        security=[{"oauth2": ["bank_files:write"]}],
    )
    async def patch_account(
        self, request: Request[Any, Any, Any], account_id: FromPath[str], data: JSONBody[BankAccountPatch]
    ) -> BankAccountOut:
        async with uow_for(request) as uow:
            row = await _get(uow, account_id)
            before = msgspec.to_builtins(account_out(row))
            changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not UNSET}
            if "csv_mapping" in changes:
                changes["csv_mapping"] = _check_mapping(changes["csv_mapping"])
            for name, value in changes.items():
                setattr(row, name, value)
            await _flush(uow)
            out = account_out(row)
            uow.audit("bank_account.changed", "bank_account", out.id, before, msgspec.to_builtins(out))
            await uow.commit()
        return out
