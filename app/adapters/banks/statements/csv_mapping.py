"""The saved column mapping of a tenant's CSV statement export, and a guesser for it.

Banks without camt/OFX let customers download a CSV whose columns differ per bank and
per language. A tenant maps those columns once (``CsvMapping``, stored as JSON via
``to_dict``/``from_dict``); ``suggest_mapping`` proposes a mapping from the header names
(pt-BR, es, en) and sample values, for the user to confirm.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from app.adapters.banks.statements._common import decode_text


class AmountMode(StrEnum):
    SIGNED = "signed"  # one column, negative (or suffixed D) for debits
    SPLIT = "split"  # a credit column and a debit column


FIELDS = frozenset(
    {
        "booking_date",
        "value_date",
        "amount",
        "credit",
        "debit",
        "direction",
        "remittance_info",
        "bank_reference",
        "end_to_end_id",
        "payer_name",
        "payer_tax_id",
        "payer_account",
        "transaction_code",
        "balance",
    }
)

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "latin-1", "cp1252")

# Rows whose description matches are balance rows in Brazilian exports ("SALDO ANTERIOR",
# "Saldo do dia"), not movements.
DEFAULT_BALANCE_ROW = r"^\s*(saldo|s\s*a\s*l\s*d\s*o|saldo anterior|saldo do dia|saldo final)\b"


@dataclass(frozen=True, slots=True)
class CsvMapping:
    columns: Mapping[str, str | int]
    delimiter: str | None = None  # None: detect
    decimal_separator: str = ","
    thousands_separator: str = "."
    date_format: str = "%d/%m/%Y"
    encoding: str = "auto"
    has_header: bool = True
    amount_mode: AmountMode = AmountMode.SIGNED
    skip_rows: int = 0
    currency: str = "BRL"
    account: str | None = None
    balance_row_pattern: str | None = DEFAULT_BALANCE_ROW
    debit_values: tuple[str, ...] = ("D", "DB", "DEBITO", "DÉBITO", "DEBIT", "DR", "CARGO", "-")
    credit_values: tuple[str, ...] = ("C", "CR", "CREDITO", "CRÉDITO", "CREDIT", "ABONO", "+")
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.columns) - FIELDS
        if unknown:
            raise ValueError(f"unknown mapping fields: {', '.join(sorted(unknown))}")
        if "booking_date" not in self.columns:
            raise ValueError("the mapping needs a booking_date column")
        if self.amount_mode is AmountMode.SIGNED and "amount" not in self.columns:
            raise ValueError("signed amount mode needs an amount column")
        if self.amount_mode is AmountMode.SPLIT and not {"credit", "debit"} <= set(self.columns):
            raise ValueError("split amount mode needs credit and debit columns")
        if self.encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {', '.join(ENCODINGS)}")
        if self.decimal_separator == self.thousands_separator:
            raise ValueError("decimal and thousands separators must differ")
        if not self.has_header and any(isinstance(c, str) for c in self.columns.values()):
            raise ValueError("without a header row, columns are given by index")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["columns"] = dict(self.columns)
        data["amount_mode"] = str(self.amount_mode)
        data["debit_values"] = list(self.debit_values)
        data["credit_values"] = list(self.credit_values)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CsvMapping:
        values = dict(data)
        values["amount_mode"] = AmountMode(values.get("amount_mode", "signed"))
        for key in ("debit_values", "credit_values"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)


def normalize_header(name: str) -> str:
    """Lowercase, accents removed, punctuation as spaces: 'Histórico' → 'historico'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", text).split())


# Exact names first; then names containing one of the words. Order matters within a field.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": (
        "data",
        "data lancamento",
        "data do lancamento",
        "data movimento",
        "dt lancamento",
        "dt",
        "fecha",
        "fecha operacion",
        "fecha contable",
        "date",
        "posting date",
        "booking date",
        "transaction date",
        "data mov",
    ),
    "value_date": ("data valor", "data balancete", "fecha valor", "value date"),
    "amount": (
        "valor",
        "valor r$",
        "valor rs",
        "montante",
        "importe",
        "monto",
        "amount",
        "value",
        "valor lancamento",
    ),
    "credit": (
        "credito",
        "creditos",
        "entrada",
        "entradas",
        "abono",
        "abonos",
        "haber",
        "credit",
        "credits",
        "deposits",
        "deposit",
    ),
    "debit": (
        "debito",
        "debitos",
        "saida",
        "saidas",
        "cargo",
        "cargos",
        "debe",
        "debit",
        "debits",
        "withdrawals",
        "withdrawal",
    ),
    "remittance_info": (
        "historico",
        "descricao",
        "lancamento",
        "memo",
        "descripcion",
        "concepto",
        "detalle",
        "description",
        "details",
        "narrative",
        "complemento",
        "informacoes",
        "observacao",
    ),
    "bank_reference": (
        "documento",
        "doc",
        "numero documento",
        "nr documento",
        "n documento",
        "no documento",
        "num documento",
        "referencia",
        "id",
        "fitid",
        "identificador",
        "reference",
        "ref",
        "transaction id",
        "numero",
        "comprobante",
        "autenticacao",
    ),
    "payer_tax_id": (
        "cpf/cnpj",
        "cpf cnpj",
        "cpf",
        "cnpj",
        "cpf/cnpj pagador",
        "documento pagador",
        "rut",
        "nit",
        "cuit",
        "rfc",
        "tax id",
        "ruc",
    ),
    "payer_name": (
        "nome",
        "pagador",
        "nome pagador",
        "nome do pagador",
        "remetente",
        "ordenante",
        "payer",
        "name",
        "counterparty",
        "contraparte",
        "origem",
        "beneficiario",
    ),
    "payer_account": ("conta", "conta origem", "cuenta", "cuenta origen", "account", "payer account"),
    "end_to_end_id": ("end to end", "endtoendid", "e2e", "id pix", "id transacao", "end to end id"),
    "direction": ("tipo", "d/c", "c/d", "natureza", "tipo lancamento", "dc", "cd", "cr/dr", "dr/cr", "type"),
    "balance": ("saldo", "balance", "saldo r$"),
    "transaction_code": ("codigo", "cod historico", "codigo historico", "code", "cod"),
}

_ENGLISH_HINTS = {"date", "amount", "description", "posting date", "balance", "credit", "debit"}


def _match(headers: list[str]) -> dict[str, int]:
    normalized = [normalize_header(h) for h in headers]
    found: dict[str, int] = {}
    taken: set[int] = set()
    # Pass 1: exact names; pass 2: a synonym as a whole word inside the header.
    for exact in (True, False):
        for fld, names in _SYNONYMS.items():
            if fld in found:
                continue
            for name in names:
                hit = next(
                    (
                        i
                        for i, h in enumerate(normalized)
                        if i not in taken
                        and (
                            h == name if exact else len(name) > 3 and re.search(rf"\b{re.escape(name)}\b", h)
                        )
                    ),
                    None,
                )
                if hit is not None:
                    found[fld] = hit
                    taken.add(hit)
                    break
    return found


_DATE_SHAPES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"),
    (re.compile(r"^\d{2}/\d{2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{2}/\d{2}/\d{2}$"), "%d/%m/%y"),
    (re.compile(r"^\d{2}-\d{2}-\d{4}$"), "%d-%m-%Y"),
    (re.compile(r"^\d{2}\.\d{2}\.\d{4}$"), "%d.%m.%Y"),
)


def _guess_date_format(values: list[str], english: bool) -> str:
    for pattern, fmt in _DATE_SHAPES:
        matching = [v for v in values if pattern.match(v)]
        if not matching or len(matching) < len(values) / 2:
            continue
        if fmt.startswith("%d"):
            sep = fmt[2]
            parts = [v.split(sep) for v in matching]
            if any(int(p[0]) > 12 for p in parts):
                return fmt
            if any(int(p[1]) > 12 for p in parts) or english:
                return fmt.replace("%d", "#").replace("%m", "%d").replace("#", "%m")
        return fmt
    return "%d/%m/%Y"


def _guess_separators(values: list[str]) -> tuple[str, str]:
    comma_decimal = dot_decimal = 0
    for value in values:
        digits = re.sub(r"[^\d.,]", "", value)
        if re.search(r",\d{1,2}$", digits):
            comma_decimal += 1
        elif re.search(r"\.\d{1,2}$", digits):
            dot_decimal += 1
    return (",", ".") if comma_decimal >= dot_decimal else (".", ",")


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most sample lines into one same number (>1) of fields.

    The sample is the file's tail, past any preamble (bank name, account, period) whose
    rows have other widths. Brazilian files use ';' because ',' is the decimal
    separator, so ',' is only taken when ';', tab and '|' do not fit; csv.Sniffer decides
    the rest.
    """
    sample = [ln for ln in lines if ln.strip()][-20:]
    if not sample:
        return ";"
    for candidate in (";", "\t", "|", ","):
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=candidate))
        width, count = widths.most_common(1)[0]
        if width > 1 and count >= 0.8 * len(sample):
            return candidate
    try:
        return csv.Sniffer().sniff("\n".join(sample), delimiters=";,\t|").delimiter
    except csv.Error:
        return ";"


def suggest_mapping(sample: bytes, *, currency: str = "BRL") -> CsvMapping:
    """Guess a mapping from the header row and a few data rows; raise if none fits."""
    text = decode_text(sample)
    lines = text.splitlines()[:60]
    delimiter = detect_delimiter(lines)
    rows = list(csv.reader(lines, delimiter=delimiter))
    header_at, columns = -1, {}
    for index, row in enumerate(rows[:15]):
        found = _match(row)
        if "booking_date" in found and ({"amount"} <= set(found) or {"credit", "debit"} <= set(found)):
            header_at, columns = index, found
            break
    if header_at < 0:
        raise ValueError("no header row with a date and an amount column was recognized")
    headers = rows[header_at]
    data_rows = [r for r in rows[header_at + 1 :] if len(r) == len(headers)][:30]
    english = any(normalize_header(h) in _ENGLISH_HINTS for h in headers)
    dates = [r[columns["booking_date"]].strip() for r in data_rows if r[columns["booking_date"]].strip()]
    amount_cols = [columns[f] for f in ("amount", "credit", "debit") if f in columns]
    amounts = [r[c] for r in data_rows for c in amount_cols if r[c].strip()]
    decimal_sep, thousands_sep = _guess_separators(amounts)
    split = "amount" not in columns
    names: dict[str, str | int] = {fld: headers[i].strip() for fld, i in columns.items()}
    if not split:
        names.pop("credit", None)
        names.pop("debit", None)
    return CsvMapping(
        columns=names,
        delimiter=delimiter,
        decimal_separator=decimal_sep,
        thousands_separator=thousands_sep,
        date_format=_guess_date_format(dates, english),
        encoding="auto",
        has_header=True,
        amount_mode=AmountMode.SPLIT if split else AmountMode.SIGNED,
        skip_rows=header_at,
        currency=currency,
    )
