"""The demo tenant's bank activity, so the bank-file pages show real work on first run.

A Banco do Brasil collection account; boletos issued (nosso números reserved) for a
sample of open installments; then one CNAB 240 return and one OFX statement are
generated and taken in through the same intake as an upload (stored, registered,
processed): most titles settle, a few wait in the correction queue (unknown nosso
número), statement credits are auto-applied by invoice number or wait for review.
Deterministic for a given day and seed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.adapters.banks.cnab.generate import ReturnTitle, return_240_bytes
from app.adapters.db.models import BankAccountRow, InstallmentRow, InvoiceRow
from app.adapters.db.repositories.base import TenantRepository
from app.adapters.db.repositories.settlement import SqlBankAccountRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_docs import boleto_for
from app.adapters.db.repositories.settlement_runner import process_file, register_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.settlement.bank_files import BankAccountRef
from app.domain.shared.ids import new_id

UowFactory = Callable[[], SqlUnitOfWork]

ACCOUNT = BankAccountRef(
    bank_code="001",
    agency="3344",
    agency_digit="5",
    account="998877",
    account_digit="6",
    agreement="1234567",
    wallet="17",
    company_tax_id="11222333000181",
    company_name="DEMO DISTRIBUIDORA LTDA",
)
BOLETOS = 60  # installments given a boleto (and so a nosso número)
SETTLED = 40  # of those, paid at the bank and reported in the return
REGISTERED = 12  # reported as registered (occurrence 02): nothing to apply
UNKNOWN = 3  # settlements whose nosso número is nobody's: the correction queue
STATEMENT_BY_NUMBER = 6  # OFX credits naming the invoice: auto-applied
STATEMENT_UNNAMED = 4  # OFX credits of an open amount without a reference: to review


@dataclass(frozen=True)
class _Open:
    installment_id: uuid.UUID
    invoice_number: str
    due_date: date
    open_minor: int


async def seed_bank_activity(factory: UowFactory, var_dir: Path, today: date, rng: random.Random) -> None:
    account_id = await _account(factory)
    candidates = await _open_installments(factory, today)
    rng.shuffle(candidates)
    with_boleto = candidates[:BOLETOS]
    statement_picks = candidates[BOLETOS : BOLETOS + STATEMENT_BY_NUMBER + STATEMENT_UNNAMED]
    nossos = await _issue_boletos(factory, with_boleto, today)
    store = BankFileStore.under(var_dir)
    cnab = return_240_bytes(
        ACCOUNT,
        _return_titles(rng, with_boleto, nossos, today),
        generated_at=datetime.combine(today, datetime.min.time()).replace(hour=7),
    )
    await _take_in(factory, store, cnab, f"BB_RET_{today:%d%m%Y}.ret", account_id)
    ofx = _ofx_statement(rng, statement_picks, today)
    await _take_in(factory, store, ofx, f"extrato_bb_{today:%Y%m%d}.ofx", account_id)


async def _account(factory: UowFactory) -> uuid.UUID:
    async with factory() as uow:
        row = BankAccountRow(
            id=new_id(),
            name="Banco do Brasil — cobrança",
            bank_code=ACCOUNT.bank_code,
            agency=ACCOUNT.agency,
            agency_digit=ACCOUNT.agency_digit,
            account=ACCOUNT.account,
            digit=ACCOUNT.account_digit,
            agreement=ACCOUNT.agreement,
            wallet=ACCOUNT.wallet,
            layout="cnab240",
            company_tax_id=ACCOUNT.company_tax_id,
            company_name=ACCOUNT.company_name,
            pix_key="financeiro@demo.cobalto.local",
            pix_city="CUIABA",
            next_nosso_numero=1,
            next_remittance_sequence=1,
        )
        SqlBankAccountRepository(uow.session, uow.tenant).add(row)
        uow.audit("bank_account.created", "bank_account", str(row.id), None, {"name": row.name})
        await uow.commit()
        return row.id


async def _open_installments(factory: UowFactory, today: date) -> list[_Open]:
    """Open installments due from 45 days ago to 20 days ahead: what a bank is collecting."""
    async with factory() as uow:
        stmt = (
            TenantRepository(uow.session, uow.tenant)
            .scoped(
                InstallmentRow,
                InstallmentRow.id,
                InvoiceRow.number,
                InstallmentRow.due_date,
                InstallmentRow.open_minor,
            )
            .join(
                InvoiceRow,
                (InvoiceRow.tenant_id == InstallmentRow.tenant_id)
                & (InvoiceRow.id == InstallmentRow.invoice_id),
            )
            .where(
                InstallmentRow.open_minor == InstallmentRow.amount_minor,
                InstallmentRow.open_minor > 0,
                InstallmentRow.due_date >= today - timedelta(days=45),
                InstallmentRow.due_date <= today + timedelta(days=20),
            )
            .order_by(InvoiceRow.number, InstallmentRow.number_index)
        )
        rows = (await uow.session.execute(stmt)).all()
    return [_Open(r[0], r[1], r[2], r[3]) for r in rows]


async def _issue_boletos(factory: UowFactory, picks: list[_Open], today: date) -> dict[uuid.UUID, str]:
    async with factory() as uow:
        nossos = {
            p.installment_id: (await boleto_for(uow, p.installment_id, today)).nosso_numero.value
            for p in picks
        }
        await uow.commit()
    return nossos


def _return_titles(
    rng: random.Random, picks: list[_Open], nossos: dict[uuid.UUID, str], today: date
) -> list[ReturnTitle]:
    titles: list[ReturnTitle] = []
    for i, p in enumerate(picks[: SETTLED + REGISTERED]):
        nosso = nossos[p.installment_id]
        if i < SETTLED:
            paid_on = min(today - timedelta(days=1), p.due_date + timedelta(days=rng.randint(-4, 6)))
            titles.append(
                ReturnTitle(
                    nosso_numero=nosso,
                    seu_numero=p.invoice_number[:15],
                    due_date=p.due_date,
                    face_value_minor=p.open_minor,
                    occurrence_code="06",
                    paid_minor=p.open_minor,
                    fee_minor=250,
                    occurrence_date=paid_on,
                    credit_date=min(today, paid_on + timedelta(days=1)),
                )
            )
        else:
            titles.append(
                ReturnTitle(
                    nosso_numero=nosso,
                    seu_numero=p.invoice_number[:15],
                    due_date=p.due_date,
                    face_value_minor=p.open_minor,
                    occurrence_code="02",
                    occurrence_date=today - timedelta(days=1),
                )
            )
    for k in range(UNKNOWN):
        amount = rng.randrange(50_000, 900_000)
        titles.append(
            ReturnTitle(
                nosso_numero=f"{ACCOUNT.agreement}{9_999_000 + k:010d}",
                seu_numero=f"AVULSO-{k + 1}",
                due_date=today - timedelta(days=3),
                face_value_minor=amount,
                occurrence_code="06",
                paid_minor=amount,
                fee_minor=250,
                occurrence_date=today - timedelta(days=1),
                credit_date=today,
            )
        )
    return titles


def _ofx_amount(minor: int) -> str:
    return str(Decimal(minor) / 100)


def _ofx_statement(rng: random.Random, picks: list[_Open], today: date) -> bytes:
    """An OFX (SGML, as Brazilian banks export it) for the same account."""
    moves: list[tuple[date, str, str, str]] = []  # (posted, amount, fitid, memo)
    for i, p in enumerate(picks):
        posted = today - timedelta(days=rng.randint(1, 3))
        memo = f"PIX RECEBIDO REF {p.invoice_number}" if i < STATEMENT_BY_NUMBER else "TED RECEBIDA CLIENTE"
        moves.append((posted, _ofx_amount(p.open_minor), f"DEMO-{today:%Y%m%d}-{i:03d}", memo))
    moves.append((today - timedelta(days=2), "-4800.00", f"DEMO-{today:%Y%m%d}-RENT", "ALUGUEL GALPAO"))
    moves.append(
        (today - timedelta(days=1), "37.90", f"DEMO-{today:%Y%m%d}-INT", "RENDIMENTO APLIC AUTOMATICA")
    )
    moves.sort()
    body = "".join(
        "<STMTTRN>\n"
        f"<TRNTYPE>{'DEBIT' if amount.startswith('-') else 'CREDIT'}\n"
        f"<DTPOSTED>{posted:%Y%m%d}120000[-4:AMT]\n"
        f"<TRNAMT>{amount}\n"
        f"<FITID>{fitid}\n"
        f"<MEMO>{memo}\n"
        "</STMTTRN>\n"
        for posted, amount, fitid, memo in moves
    )
    start = min(m[0] for m in moves)
    text = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
        "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        "<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n"
        f"<DTSERVER>{today:%Y%m%d}080000[-4:AMT]\n<LANGUAGE>POR\n</SONRS>\n</SIGNONMSGSRSV1>\n"
        "<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n"
        "<STMTRS>\n<CURDEF>BRL\n<BANKACCTFROM>\n"
        f"<BANKID>0{ACCOUNT.bank_code}\n<BRANCHID>{ACCOUNT.agency}-{ACCOUNT.agency_digit}\n"
        f"<ACCTID>{ACCOUNT.account}-{ACCOUNT.account_digit}\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n"
        f"<BANKTRANLIST>\n<DTSTART>{start:%Y%m%d}\n<DTEND>{today:%Y%m%d}\n{body}</BANKTRANLIST>\n"
        f"<LEDGERBAL>\n<BALAMT>152340.17\n<DTASOF>{today:%Y%m%d}\n</LEDGERBAL>\n"
        "</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
    )
    return text.encode("ascii")


async def _take_in(
    factory: UowFactory, store: BankFileStore, data: bytes, filename: str, account_id: uuid.UUID
) -> None:
    """Store, register and process like an upload (``app.server.bank_file_intake``)."""
    sha, size = store.put_bytes(data)
    file_id = await register_file(
        factory, store, sha256=sha, size=size, filename=filename, bank_account_id=account_id, source="upload"
    )
    await process_file(factory, store, file_id, ports_for)
