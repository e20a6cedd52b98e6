"""Reading remittance files back with the same layouts they were written with."""

from __future__ import annotations

from typing import Any

from app.adapters.banks.cnab.detect import NotACnabFile, detect_header
from app.adapters.banks.cnab.fields import RecordLayout, read_fields
from app.adapters.banks.cnab.layouts240 import LAYOUTS_240
from app.adapters.banks.cnab.remittance_layouts import (
    INSTRUCTIONS_240,
    INSTRUCTIONS_400_ITAU,
    ITAU_400_DETAIL,
    ITAU_400_HEADER,
    SANTANDER_P,
)
from app.adapters.banks.cnab.text import split_lines
from app.domain.settlement.bank_files import (
    BankAccountRef,
    FileError,
    Instruction,
    Payer,
    RemittanceFile,
    RemittanceTitle,
)

_KIND_240 = {v: k for k, v in INSTRUCTIONS_240.items()}
_KIND_400_ITAU = {v: k for k, v in INSTRUCTIONS_400_ITAU.items()}


def _tax_id(kind: Any, value: Any) -> str:
    """Undo the zero-fill of a CPF (11 digits) or CNPJ (14) written in a wider field."""
    text = str(value or "")
    width = 11 if str(kind or "").endswith("1") else 14
    return text[-width:] if len(text) > width and not text[:-width].strip("0") else text


def _title(p: dict[str, Any], q: dict[str, Any], r: dict[str, Any] | None) -> RemittanceTitle:
    return RemittanceTitle(
        nosso_numero=p.get("nosso_numero") or "",
        seu_numero=p.get("numero_documento") or "",
        due_date=p["vencimento"],
        issue_date=p["data_emissao"],
        face_value_minor=p.get("valor_titulo") or 0,
        payer=Payer(
            tax_id=_tax_id(q.get("sacado_tipo_inscricao"), q.get("sacado_inscricao")),
            name=q.get("sacado_nome") or "",
            address=q.get("sacado_endereco") or "",
            district=q.get("sacado_bairro") or "",
            zip_code=q.get("sacado_cep") or "",
            city=q.get("sacado_cidade") or "",
            state=q.get("sacado_uf") or "",
        ),
        kind_code=p.get("especie") or "",
        interest_per_day_minor=p.get("juros_mora_dia") or 0,
        fine_minor=(r or {}).get("valor_multa") or 0,
        fine_date=(r or {}).get("data_multa"),
        discount_minor=p.get("valor_desconto") or 0,
        discount_date=p.get("data_desconto"),
        rebate_minor=p.get("valor_abatimento") or 0,
        protest_days=p.get("prazo_protesto") or 0,
    )


def read_remittance(data: bytes | str) -> RemittanceFile:
    lines = [(i, line) for i, line in enumerate(split_lines(data), 1) if line.strip()]
    if not lines:
        raise NotACnabFile("empty file")
    det = detect_header(lines[0][1], lines[1][1] if len(lines) > 1 else None)
    if det.kind != "remittance":
        raise NotACnabFile("this is a return file, not a remittance")
    if det.layout == "cnab240":
        return _read_240(det.bank_code, lines)
    return _read_400(det.bank_code, lines)


def _fit(lines: list[tuple[int, str]], width: int, errors: list[FileError]) -> list[tuple[int, str]]:
    out = []
    for no, line in lines:
        if len(line) > width:
            errors.append(
                FileError(no, "line", f"record of {len(line)} characters; CNAB {width} allows {width}")
            )
            continue
        out.append((no, line.ljust(width)))
    return out


def _collect(layout: RecordLayout, no: int, line: str, errors: list[FileError]) -> dict[str, Any]:
    values, errs = read_fields(layout, line)
    errors.extend(FileError(no, e.field, e.message) for e in errs)
    return values


def _read_240(bank: str, raw: list[tuple[int, str]]) -> RemittanceFile:
    errors: list[FileError] = []
    lines = _fit(raw, 240, errors)
    lay = LAYOUTS_240.get(bank) or LAYOUTS_240["001"]
    p_layout = SANTANDER_P if bank == "033" else lay.p
    header = _collect(lay.file_header, lines[0][0], lines[0][1], errors)
    groups: list[tuple[int, dict[str, Any], dict[str, Any], dict[str, Any] | None]] = []
    details = 0
    wallet = ""
    declared: int | None = None
    for no, line in lines[1:]:
        rt = line[7]
        if rt == "3":
            details += 1
            seg = line[13]
            if seg == "P":
                p = _collect(p_layout, no, line, errors)
                wallet = wallet or p.get("carteira") or ""
                groups.append((no, p, {}, None))
            elif seg in ("Q", "R") and groups:
                g_no, p, q, r = groups[-1]
                layout = lay.q if seg == "Q" else lay.r
                values = _collect(layout, no, line, errors)
                groups[-1] = (g_no, p, values, r) if seg == "Q" else (g_no, p, q, values)
        elif rt == "9":
            declared = _collect(lay.file_trailer, no, line, errors).get("quantidade_registros")
    if declared is not None and declared != len(lines):
        errors.append(
            FileError(lines[-1][0], "quantidade_registros", f"declares {declared}, file has {len(lines)}")
        )
    instructions = []
    for no, p, q, r in groups:
        kind = _KIND_240.get(p.get("codigo_movimento") or "")
        if kind is None:
            errors.append(
                FileError(no, "codigo_movimento", f"unknown instruction {p.get('codigo_movimento')!r}")
            )
            continue
        if p.get("vencimento") is None or p.get("data_emissao") is None:
            errors.append(FileError(no, "vencimento", "title without due date or issue date"))
            continue
        instructions.append(Instruction(kind, _title(p, q, r)))
    account = BankAccountRef(
        bank_code=bank,
        agency=header.get("agencia") or "",
        agency_digit=header.get("agencia_dv") or "",
        account=header.get("conta") or "",
        account_digit=header.get("conta_dv") or "",
        agreement=header.get("convenio") or "",
        wallet=wallet,
        company_tax_id=_tax_id(header.get("tipo_inscricao"), header.get("numero_inscricao")),
        company_name=header.get("nome_empresa") or "",
    )
    return RemittanceFile(
        bank_code=bank,
        layout="cnab240",
        account=account,
        file_sequence=header.get("nsa") or 0,
        generated_on=header.get("data_geracao"),  # type: ignore[arg-type]
        instructions=tuple(instructions),
        errors=tuple(errors),
        records=len(lines),
        detail_records=details,
    )


def _read_400(bank: str, raw: list[tuple[int, str]]) -> RemittanceFile:
    errors: list[FileError] = []
    lines = _fit(raw, 400, errors)
    itau = bank == "341"
    header = _collect(ITAU_400_HEADER, lines[0][0], lines[0][1], errors) if itau else {}
    instructions = []
    details = 0
    wallet = ""
    tax_id = ""
    trailer_seen = False
    for no, line in lines[1:]:
        rt = line[0]
        if rt == "9":
            trailer_seen = True
            continue
        details += 1
        if not itau or rt != "1":
            continue  # other banks' CNAB 400 remittances are counted, not interpreted
        d = _collect(ITAU_400_DETAIL, no, line, errors)
        wallet = wallet or d.get("carteira") or ""
        tax_id = tax_id or _tax_id(d.get("tipo_inscricao"), d.get("numero_inscricao"))
        kind = _KIND_400_ITAU.get(d.get("codigo_ocorrencia") or "")
        if kind is None or d.get("vencimento") is None or d.get("data_emissao") is None:
            errors.append(FileError(no, "codigo_ocorrencia", "unknown instruction or title without dates"))
            continue
        instructions.append(Instruction(kind, _title(d, d, None)))
    if not trailer_seen:
        errors.append(FileError(0, "trailer", "missing trailer record (truncated file?)"))
    first = lines[0][1]
    account = BankAccountRef(
        bank_code=bank,
        agency=header.get("agencia") or "",
        agency_digit="",
        account=header.get("conta") or "",
        account_digit=header.get("conta_dv") or "",
        agreement=first[26:46].strip() if not itau else "",
        wallet=wallet,
        company_tax_id=tax_id,
        company_name=first[46:76].strip(),
    )
    return RemittanceFile(
        bank_code=bank,
        layout="cnab400",
        account=account,
        file_sequence=0,
        generated_on=header.get("data_gravacao"),  # type: ignore[arg-type]
        instructions=tuple(instructions),
        errors=tuple(errors),
        records=len(lines),
        detail_records=details,
    )
