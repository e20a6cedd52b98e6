"""Payment documents for an installment: the boleto (nosso número assigned on first
request from the bank account's sequence) and the PIX BR Code (txid assigned once)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.adapters.banks.boleto import (
    BancoDoBrasil,
    BankAgreement,
    BoletoData,
    BoletoError,
    Bradesco,
    Caixa,
    Itau,
    NossoNumero,
    Party,
    Santander,
    Sicoob,
    Sicredi,
)
from app.adapters.banks.pix import new_txid, static_brcode
from app.adapters.db.models import BankAccountRow, BoletoRow, CustomerRow, InstallmentRow, InvoiceRow
from app.adapters.db.repositories.settlement import SqlInstallmentRefs
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.settlement.service import nosso_numero_key
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class InstallmentContext:
    installment: InstallmentRow
    invoice_number: str
    customer: CustomerRow


async def installment_context(
    uow: SqlUnitOfWork, installment_id: uuid.UUID, *, lock: bool = False
) -> InstallmentContext:
    refs = SqlInstallmentRefs(uow.session, uow.tenant)
    inst = await refs.get_row(installment_id, for_update=lock)
    if inst is None:
        raise NotFound("installment not found")
    number = (
        await uow.session.execute(
            refs.scoped(InvoiceRow, InvoiceRow.number).where(InvoiceRow.id == inst.invoice_id)
        )
    ).scalar_one()
    customer = (
        await uow.session.execute(refs.scoped(CustomerRow).where(CustomerRow.id == inst.customer_id))
    ).scalar_one()
    return InstallmentContext(inst, number, customer)


async def account_for(uow: SqlUnitOfWork, inst: InstallmentRow, *, need_pix: bool = False) -> BankAccountRow:
    """The installment's collection account, else the tenant's first suitable one."""
    refs = SqlInstallmentRefs(uow.session, uow.tenant)
    stmt = refs.scoped(BankAccountRow).order_by(BankAccountRow.created_at, BankAccountRow.id)
    if inst.bank_account_id is not None:
        stmt = stmt.where(BankAccountRow.id == inst.bank_account_id)
    elif need_pix:
        stmt = stmt.where(BankAccountRow.pix_key.is_not(None))
    account = (await uow.session.execute(stmt.limit(1))).scalar()
    if account is None or (need_pix and not account.pix_key):
        what = "a PIX key" if need_pix else "a bank account"
        raise ValidationFailed([FieldError("bank_account", f"register {what} first")])
    return account


def agreement_for(a: BankAccountRow) -> BankAgreement:
    """The bank's boleto agreement from the account's fields."""
    code, ag, acc, conv, wallet = a.bank_code, a.agency, a.account, a.agreement.strip(), a.wallet
    try:
        if code == "001":
            return BancoDoBrasil(
                agencia=ag[-4:].zfill(4),
                conta=acc.lstrip("0") or "0",
                convenio=conv.lstrip("0")[:8],
                carteira=wallet or "17",
            )
        if code == "237":
            return Bradesco(agencia=ag[-4:].zfill(4), conta=acc.lstrip("0") or "0", carteira=wallet or "09")
        if code == "341":
            return Itau(
                agencia=ag[-4:].zfill(4), conta=acc.lstrip("0")[-5:].zfill(5), carteira=wallet or "109"
            )
        if code == "104":
            return Caixa(
                agencia=ag[-4:].zfill(4), codigo_beneficiario=conv.lstrip("0") or acc, carteira=wallet or "1"
            )
        if code == "033":
            return Santander(
                agencia=ag[-4:].zfill(4),
                codigo_beneficiario=conv.lstrip("0") or acc,
                carteira=wallet or "101",
            )
        if code == "756":
            return Sicoob(
                cooperativa=ag[-4:].zfill(4), codigo_cliente=conv.lstrip("0") or acc, carteira=wallet or "1"
            )
        if code == "748":
            return Sicredi(
                cooperativa=ag[-4:].zfill(4),
                posto=a.agency_digit.zfill(2) or "00",
                codigo_beneficiario=conv.lstrip("0") or acc,
            )
    except BoletoError as exc:
        raise ValidationFailed(
            [FieldError("bank_account", f"cannot issue boletos on this account: {exc}")]
        ) from exc
    raise ValidationFailed([FieldError("bank_account", f"boletos are not supported for bank {code}")])


async def boleto_for(uow: SqlUnitOfWork, installment_id: uuid.UUID, today: date) -> BoletoData:
    """The installment's boleto; the first request reserves its nosso número."""
    ctx = await installment_context(uow, installment_id, lock=True)
    inst = ctx.installment
    refs = SqlInstallmentRefs(uow.session, uow.tenant)
    issued = (
        await uow.session.execute(refs.scoped(BoletoRow).where(BoletoRow.installment_id == inst.id))
    ).scalar()
    if issued is not None:
        account = (
            await uow.session.execute(
                refs.scoped(BankAccountRow).where(BankAccountRow.id == issued.bank_account_id)
            )
        ).scalar_one()
        agreement = agreement_for(account)
        nosso = agreement.nosso_numero(issued.sequence, issued_on=issued.issued_on)
    else:
        if inst.bank_reference:
            raise Conflict("the installment already has a nosso número from elsewhere")
        account = await account_for(uow, inst)
        agreement = agreement_for(account)
        from app.adapters.db.repositories.settlement import SqlBankAccountRepository

        seq = await SqlBankAccountRepository(uow.session, uow.tenant).take_nosso_numero(account.id)
        try:
            nosso = agreement.nosso_numero(seq, issued_on=today)
        except BoletoError as exc:
            raise ValidationFailed([FieldError("bank_account", str(exc))]) from exc
        uow.session.add(
            BoletoRow(
                tenant_id=uow.tenant.value,
                id=new_id(),
                installment_id=inst.id,
                bank_account_id=account.id,
                sequence=seq,
                nosso_numero=nosso.value,
                issued_on=today,
            )
        )
        await refs.set_refs(inst.id, bank_reference=nosso_numero_key(nosso.value), bank_account_id=account.id)
        uow.audit(
            "boleto.issued",
            "installment",
            str(inst.id),
            None,
            {"nosso_numero": nosso.display, "bank_account_id": str(account.id)},
        )
        try:
            await uow.session.flush()
        except IntegrityError as exc:
            raise Conflict("a boleto was issued for this installment at the same time; retry") from exc
    return _data(ctx, account, agreement, nosso, today)


def _data(
    ctx: InstallmentContext,
    account: BankAccountRow,
    agreement: BankAgreement,
    nosso: NossoNumero,
    today: date,
) -> BoletoData:
    inst = ctx.installment
    return BoletoData(
        agreement=agreement,
        nosso_numero=nosso,
        beneficiary=Party(account.company_name or account.name, account.company_tax_id),
        payer=Party(ctx.customer.name, ctx.customer.tax_id or ""),
        amount=Money.from_minor(inst.open_minor if inst.open_minor > 0 else inst.amount_minor, inst.currency),
        due_date=inst.due_date,
        document_number=f"{ctx.invoice_number}-{inst.number_index}"[:15],
        document_date=today,
        processing_date=today,
    )


async def pix_code_for(uow: SqlUnitOfWork, installment_id: uuid.UUID) -> tuple[str, str, Money]:
    """(BR Code, txid, amount): a static BR Code with the installment's own txid, so a
    receipt reconciles by txid. The txid is assigned once and kept."""
    ctx = await installment_context(uow, installment_id, lock=True)
    inst = ctx.installment
    if inst.open_minor <= 0:
        raise Conflict("the installment has nothing open")
    account = await account_for(uow, inst, need_pix=True)
    txid = inst.txid
    if not txid:
        txid = new_txid("static")
        await SqlInstallmentRefs(uow.session, uow.tenant).set_refs(inst.id, txid=txid)
        uow.audit("pix.txid_assigned", "installment", str(inst.id), None, {"txid": txid})
    amount = Money.from_minor(inst.open_minor, inst.currency)
    assert account.pix_key is not None
    code = static_brcode(
        key=account.pix_key,
        merchant_name=account.company_name or account.name,
        merchant_city=account.pix_city or "BRASIL",
        amount=amount,
        txid=txid,
    )
    return code, txid, amount


__all__ = ["agreement_for", "boleto_for", "installment_context", "pix_code_for", "select"]
