"""Build CNAB 240 return files from titles: for benchmarks, end-to-end tests and simulators.

The records are written with the same declarative layouts the parser reads, so
a generated file is a real CNAB 240 return (exact widths, CRLF, trailers with
the right counts and totals).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.adapters.banks.cnab.fields import write_record
from app.adapters.banks.cnab.layouts240 import LAYOUTS_240, Layout240
from app.domain.settlement.bank_files import BankAccountRef


@dataclass(frozen=True, slots=True)
class ReturnTitle:
    """One title occurrence to put in a generated return (amounts in centavos)."""

    nosso_numero: str
    seu_numero: str
    due_date: date
    face_value_minor: int
    occurrence_code: str = "06"
    paid_minor: int = 0
    interest_minor: int = 0
    discount_minor: int = 0
    fee_minor: int = 0
    occurrence_date: date | None = None
    credit_date: date | None = None
    payer_tax_id: str = ""
    payer_name: str = ""
    reasons: str = ""
    wallet: str = "1"


def generate_return_240(
    account: BankAccountRef,
    titles: Iterable[ReturnTitle],
    *,
    file_sequence: int = 1,
    generated_at: datetime | None = None,
) -> Iterator[str]:
    """Yield the lines (without line ends) of a one-lot CNAB 240 return."""
    lay = LAYOUTS_240[account.bank_code]
    at = generated_at or datetime(2025, 1, 2, 8, 0, 0)
    company = {
        "codigo_banco": account.bank_code,
        "tipo_inscricao": "2",
        "numero_inscricao": account.company_tax_id,
        "convenio": account.agreement,
        "agencia": account.agency,
        "agencia_dv": account.agency_digit,
        "conta": account.account,
        "conta_dv": account.account_digit,
        "nome_empresa": account.company_name,
    }
    yield write_record(
        lay.file_header,
        {
            **company,
            "lote": "0000",
            "tipo_registro": "0",
            "nome_banco": lay.bank_name.upper(),
            "codigo_remessa_retorno": "2",
            "data_geracao": at.date(),
            "hora_geracao": at.strftime("%H%M%S"),
            "nsa": file_sequence,
            "versao_layout": "087",
        },
    )
    # The record number inside a lot has five digits: at most 99,999 records,
    # so large returns come in several lots of at most 49,999 titles (T+U).
    lot_no = 0
    total_records = 1
    chunk: list[ReturnTitle] = []
    for t in titles:
        chunk.append(t)
        if len(chunk) == MAX_TITLES_PER_LOT:
            lot_no += 1
            lot = list(_lot(lay, account, company, lot_no, chunk, file_sequence, at))
            total_records += len(lot)
            yield from lot
            chunk = []
    if chunk or lot_no == 0:
        lot_no += 1
        lot = list(_lot(lay, account, company, lot_no, chunk, file_sequence, at))
        total_records += len(lot)
        yield from lot
    yield write_record(
        lay.file_trailer,
        {
            "codigo_banco": account.bank_code,
            "lote": "9999",
            "tipo_registro": "9",
            "quantidade_lotes": lot_no,
            "quantidade_registros": total_records + 1,
        },
    )


MAX_TITLES_PER_LOT = 49_999


def _lot(
    lay: Layout240,
    account: BankAccountRef,
    company: Mapping[str, object],
    lot_no: int,
    titles: list[ReturnTitle],
    file_sequence: int,
    at: datetime,
) -> Iterator[str]:
    lote = f"{lot_no:04d}"
    yield write_record(
        lay.lot_header,
        {
            **company,
            "lote": lote,
            "tipo_registro": "1",
            "operacao": "T",
            "servico": "01",
            "versao_layout_lote": "045",
            "numero_remessa_retorno": file_sequence,
            "data_gravacao": at.date(),
        },
    )
    seq = 0
    total = 0
    base = {"codigo_banco": account.bank_code, "lote": lote, "tipo_registro": "3"}
    for t in titles:
        seq += 1
        yield write_record(
            lay.t,
            {
                **base,
                "sequencial": seq,
                "segmento": "T",
                "codigo_movimento": t.occurrence_code,
                "agencia": account.agency,
                "agencia_dv": account.agency_digit,
                "conta": account.account,
                "conta_dv": account.account_digit,
                "nosso_numero": t.nosso_numero,
                "carteira": t.wallet,
                "numero_documento": t.seu_numero,
                "vencimento": t.due_date,
                "valor_titulo": t.face_value_minor,
                "banco_cobrador": account.bank_code,
                "moeda": "09",
                "sacado_tipo_inscricao": "1" if len(t.payer_tax_id) <= 11 else "2",
                "sacado_inscricao": t.payer_tax_id.rjust(15, "0"),
                "sacado_nome": t.payer_name,
                "valor_tarifa": t.fee_minor,
                "motivo_ocorrencia": t.reasons,
            },
        )
        seq += 1
        yield write_record(
            lay.u,
            {
                **base,
                "sequencial": seq,
                "segmento": "U",
                "codigo_movimento": t.occurrence_code,
                "juros_multa": t.interest_minor,
                "desconto": t.discount_minor,
                "valor_pago": t.paid_minor,
                "valor_liquido": max(t.paid_minor - t.fee_minor, 0),
                "data_ocorrencia": t.occurrence_date,
                "data_credito": t.credit_date,
            },
        )
        total += t.face_value_minor
    yield write_record(
        lay.lot_trailer,
        {
            "codigo_banco": account.bank_code,
            "lote": lote,
            "tipo_registro": "5",
            "quantidade_registros": seq + 2,
            "quantidade_simples": len(titles),
            "valor_simples": total,
        },
    )


def return_240_bytes(account: BankAccountRef, titles: Iterable[ReturnTitle], **kw: object) -> bytes:
    return ("\r\n".join(generate_return_240(account, titles, **kw)) + "\r\n").encode("latin-1")  # type: ignore[arg-type]


SAMPLE_ACCOUNT = BankAccountRef(
    bank_code="001",
    agency="01234",
    agency_digit="5",
    account="000000054321",
    account_digit="0",
    agreement="0019999570014",
    wallet="1",
    company_tax_id="12345678000195",
    company_name="COBALTO DEMO LTDA",
)


def synthetic_titles(n: int, *, seed: int = 42, settled_share: float = 0.8) -> Iterator[ReturnTitle]:
    """``n`` deterministic titles: mostly settlements, some registrations and write-offs."""
    rng = random.Random(seed)
    start = date(2025, 1, 2)
    for i in range(n):
        due = start + timedelta(days=rng.randrange(0, 90))
        face = rng.randrange(1_000, 5_000_000)
        roll = rng.random()
        if roll < settled_share:
            late = rng.randrange(0, 10)
            interest = face * late // 3000
            paid = face + interest
            paid_on = due + timedelta(days=late)
            yield ReturnTitle(
                nosso_numero=f"{i + 1:017d}",
                seu_numero=f"NF{i + 1:08d}",
                due_date=due,
                face_value_minor=face,
                occurrence_code="06",
                paid_minor=paid,
                interest_minor=interest,
                fee_minor=250,
                occurrence_date=paid_on,
                credit_date=paid_on + timedelta(days=1),
                payer_tax_id=f"{rng.randrange(10**10, 10**11)}",
                payer_name=f"CLIENTE {i % 997:03d} LTDA",
            )
        else:
            code = "02" if roll < settled_share + (1 - settled_share) / 2 else "09"
            yield ReturnTitle(
                nosso_numero=f"{i + 1:017d}",
                seu_numero=f"NF{i + 1:08d}",
                due_date=due,
                face_value_minor=face,
                occurrence_code=code,
                occurrence_date=start,
                payer_tax_id=f"{rng.randrange(10**10, 10**11)}",
                payer_name=f"CLIENTE {i % 997:03d} LTDA",
            )
