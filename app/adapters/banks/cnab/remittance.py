"""Remittance files (arquivo de remessa): writing, and reading back with the same layouts.

CNAB 240 follows FEBRABAN (segments P, Q and, when a fine or a second discount
is set, R) for every bank whose layout is declared writable; CNAB 400 is
written for Itaú. Lines are exactly the record width and end with CRLF, as the
banks' transmission software expects. What is written reads back identically:
``read_remittance(write_remittance(...))`` gives the same instructions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.adapters.banks.cnab.fields import FieldFormatError, RecordLayout, write_record
from app.adapters.banks.cnab.layouts240 import LAYOUTS_240, Layout240
from app.adapters.banks.cnab.remittance_layouts import (
    INSTRUCTIONS_240,
    INSTRUCTIONS_400_ITAU,
    ITAU_400_DETAIL,
    ITAU_400_HEADER,
    ITAU_400_TRAILER,
)
from app.domain.settlement.bank_files import (
    BankAccountRef,
    Instruction,
    Layout,
)

CRLF = "\r\n"


class RemittanceError(ValueError):
    """The instructions cannot be written in this bank's layout."""


def _tax_kind(tax_id: str, width: int = 1) -> str:
    kind = "1" if len(tax_id) <= 11 else "2"  # 1 = CPF, 2 = CNPJ
    return kind.rjust(width, "0")


def _write(layout: RecordLayout, values: dict[str, Any]) -> str:
    try:
        return write_record(layout, values)
    except FieldFormatError as exc:
        raise RemittanceError(f"{layout.name}.{exc.field}: {exc.message}") from exc


# --- CNAB 240 ------------------------------------------------------------------


def _segments_240(lay: Layout240, acc: BankAccountRef, ins: Instruction, seq: int) -> list[str]:
    t = ins.title
    code = INSTRUCTIONS_240[ins.kind]
    common = {"codigo_banco": acc.bank_code, "lote": "0001", "tipo_registro": "3", "codigo_movimento": code}
    lines = [
        _write(
            lay.p,
            {
                **common,
                "sequencial": seq,
                "segmento": "P",
                "agencia": acc.agency,
                "agencia_dv": acc.agency_digit,
                "conta": acc.account,
                "conta_dv": acc.account_digit,
                "nosso_numero": t.nosso_numero,
                "carteira": acc.wallet,
                "forma_cadastramento": "1",
                "tipo_documento": "1",
                "emissao_boleto": "2",
                "distribuicao_boleto": "2",
                "numero_documento": t.seu_numero,
                "vencimento": t.due_date,
                "valor_titulo": t.face_value_minor,
                "agencia_cobradora": "0",
                "especie": t.kind_code,
                "aceite": "N",
                "data_emissao": t.issue_date,
                "codigo_juros": "1" if t.interest_per_day_minor else "3",
                "data_juros": t.due_date if t.interest_per_day_minor else None,
                "juros_mora_dia": t.interest_per_day_minor,
                "codigo_desconto": "1" if t.discount_minor else "0",
                "data_desconto": t.discount_date if t.discount_minor else None,
                "valor_desconto": t.discount_minor,
                "valor_abatimento": t.rebate_minor,
                "uso_empresa": t.seu_numero,
                "codigo_protesto": "1" if t.protest_days else "3",
                "prazo_protesto": t.protest_days,
                "codigo_baixa": "0",
                "codigo_moeda": "09",
            },
        ),
        _write(
            lay.q,
            {
                **common,
                "sequencial": seq + 1,
                "segmento": "Q",
                "sacado_tipo_inscricao": _tax_kind(t.payer.tax_id),
                "sacado_inscricao": t.payer.tax_id,
                "sacado_nome": t.payer.name,
                "sacado_endereco": t.payer.address,
                "sacado_bairro": t.payer.district,
                "sacado_cep": t.payer.zip_code,
                "sacado_cidade": t.payer.city,
                "sacado_uf": t.payer.state,
            },
        ),
    ]
    if t.fine_minor:
        lines.append(
            _write(
                lay.r,
                {
                    **common,
                    "sequencial": seq + 2,
                    "segmento": "R",
                    "codigo_desconto_2": "0",
                    "codigo_desconto_3": "0",
                    "codigo_multa": "1",  # 1 = valor fixo
                    "data_multa": t.fine_date,
                    "valor_multa": t.fine_minor,
                },
            )
        )
    return lines


def _write_240(acc: BankAccountRef, instructions: Sequence[Instruction], seq: int, at: datetime) -> list[str]:
    lay = LAYOUTS_240.get(acc.bank_code)
    if lay is None or not lay.writable:
        raise RemittanceError(f"no writable CNAB 240 layout for bank {acc.bank_code}")
    if len(acc.wallet) != 1:
        raise RemittanceError("CNAB 240 needs the one-character carteira code (1 simples, 2 vinculada…)")
    company = {
        "codigo_banco": acc.bank_code,
        "tipo_inscricao": _tax_kind(acc.company_tax_id),
        "numero_inscricao": acc.company_tax_id,
        "convenio": acc.agreement,
        "agencia": acc.agency,
        "agencia_dv": acc.agency_digit,
        "conta": acc.account,
        "conta_dv": acc.account_digit,
        "nome_empresa": acc.company_name,
    }
    out = [
        _write(
            lay.file_header,
            {
                **company,
                "lote": "0000",
                "tipo_registro": "0",
                "nome_banco": lay.bank_name.upper(),
                "codigo_remessa_retorno": "1",
                "data_geracao": at.date(),
                "hora_geracao": at.strftime("%H%M%S"),
                "nsa": seq,
                "versao_layout": "087",
                "densidade": "0",
            },
        ),
        _write(
            lay.lot_header,
            {
                **company,
                "lote": "0001",
                "tipo_registro": "1",
                "operacao": "R",
                "servico": "01",
                "versao_layout_lote": "045",
                "numero_remessa_retorno": seq,
                "data_gravacao": at.date(),
            },
        ),
    ]
    rec_seq = 1
    total = 0
    for ins in instructions:
        if ins.kind not in INSTRUCTIONS_240:
            raise RemittanceError(f"bank {acc.bank_code} CNAB 240 has no instruction {ins.kind.value}")
        segs = _segments_240(lay, acc, ins, rec_seq)
        rec_seq += len(segs)
        total += ins.title.face_value_minor
        out += segs
    lot_records = len(out)  # lot header + details, plus its trailer below
    out.append(
        _write(
            lay.lot_trailer,
            {
                "codigo_banco": acc.bank_code,
                "lote": "0001",
                "tipo_registro": "5",
                "quantidade_registros": lot_records,
                "quantidade_simples": len(instructions),
                "valor_simples": total,
            },
        )
    )
    out.append(
        _write(
            lay.file_trailer,
            {
                "codigo_banco": acc.bank_code,
                "lote": "9999",
                "tipo_registro": "9",
                "quantidade_lotes": 1,
                "quantidade_registros": len(out) + 1,
            },
        )
    )
    return out


# --- CNAB 400 (Itaú) --------------------------------------------------------------


def _write_400(acc: BankAccountRef, instructions: Sequence[Instruction], seq: int, at: datetime) -> list[str]:
    if acc.bank_code != "341":
        raise RemittanceError(f"no writable CNAB 400 layout for bank {acc.bank_code}")
    out = [
        _write(
            ITAU_400_HEADER,
            {
                "agencia": acc.agency,
                "conta": acc.account,
                "conta_dv": acc.account_digit,
                "nome_empresa": acc.company_name,
                "data_gravacao": at.date(),
                "sequencial": 1,
            },
        )
    ]
    for ins in instructions:
        t = ins.title
        code = INSTRUCTIONS_400_ITAU.get(ins.kind)
        if code is None:
            raise RemittanceError(f"Itaú CNAB 400 has no instruction {ins.kind.value}")
        if t.fine_minor:
            raise RemittanceError("Itaú CNAB 400 fines need the type-2 record, which is not written yet")
        out.append(
            _write(
                ITAU_400_DETAIL,
                {
                    "tipo_inscricao": _tax_kind(acc.company_tax_id, 2),
                    "numero_inscricao": acc.company_tax_id,
                    "agencia": acc.agency,
                    "conta": acc.account,
                    "conta_dv": acc.account_digit,
                    "uso_empresa": t.seu_numero,
                    "nosso_numero": t.nosso_numero,
                    "carteira": acc.wallet,
                    "codigo_ocorrencia": code,
                    "numero_documento": t.seu_numero,
                    "vencimento": t.due_date,
                    "valor_titulo": t.face_value_minor,
                    "especie": t.kind_code,
                    "aceite": "N",
                    "data_emissao": t.issue_date,
                    "instrucao_1": "09" if t.protest_days else "10",  # 09 protestar, 10 não protestar
                    "juros_mora_dia": t.interest_per_day_minor,
                    "data_desconto": t.discount_date if t.discount_minor else None,
                    "valor_desconto": t.discount_minor,
                    "valor_abatimento": t.rebate_minor,
                    "sacado_tipo_inscricao": _tax_kind(t.payer.tax_id, 2),
                    "sacado_inscricao": t.payer.tax_id,
                    "sacado_nome": t.payer.name,
                    "sacado_endereco": t.payer.address,
                    "sacado_bairro": t.payer.district,
                    "sacado_cep": t.payer.zip_code,
                    "sacado_cidade": t.payer.city,
                    "sacado_uf": t.payer.state,
                    "prazo_protesto": t.protest_days,
                    "sequencial": len(out) + 1,
                },
            )
        )
    out.append(_write(ITAU_400_TRAILER, {"sequencial": len(out) + 1}))
    return out


def write_remittance(
    account: BankAccountRef,
    instructions: Sequence[Instruction],
    *,
    file_sequence: int,
    generated_at: datetime,
    layout: Layout = "cnab240",
) -> bytes:
    """The remittance file as bytes (Latin-1, CRLF after every record)."""
    writer = _write_240 if layout == "cnab240" else _write_400
    lines = writer(account, instructions, file_sequence, generated_at)
    text = CRLF.join(lines) + CRLF
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise RemittanceError(
            f"text outside Latin-1 cannot be sent to the bank: {exc.object[exc.start]!r}"
        ) from exc


# Reading lives in its own module; re-exported so callers import one place.
from app.adapters.banks.cnab.remittance_reader import read_remittance  # noqa: E402

__all__ = ["RemittanceError", "read_remittance", "write_remittance"]
