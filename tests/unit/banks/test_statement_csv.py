"""CSV statements with a saved column mapping: locales, per-line errors, guessing, round trips."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.banks.statements import AmountMode, CsvMapping, parse_statement, suggest_mapping, write_csv
from app.adapters.banks.statements._common import ParseProblem, make_line
from app.adapters.banks.statements.csv_statement import parse_amount, parse_csv
from app.domain.settlement.statements import StatementFormat, StatementLine
from app.domain.shared.money import Money

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statements"
BR = CsvMapping(columns={"booking_date": "Data", "amount": "Valor"})


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("-1.234,56", "-1234.56"),
        ("1.234,56 C", "1234.56"),
        ("1.234,56 D", "-1234.56"),
        ("1.234,56D", "-1234.56"),
        ("R$ 10,00", "10.00"),
        ("R$ -10,00", "-10.00"),
        ("(5,00)", "-5.00"),
        ("150,00-", "-150.00"),
        ("0,5", "0.5"),
        ("12", "12"),
    ],
)
def test_brazilian_amounts(text: str, expected: str) -> None:
    assert parse_amount(text, BR) == Decimal(expected)


@pytest.mark.parametrize("text", ["12,3,4", "1.234.56", "abc", "1,00 X", "-1,00 D", "", "1.2a"])
def test_unparseable_amounts(text: str) -> None:
    with pytest.raises(ParseProblem):
        parse_amount(text, BR)


def test_itau_latin1_export_with_preamble_and_balance_rows() -> None:
    data = _load("csv_ptbr_itau_latin1.csv")
    mapping = suggest_mapping(data)
    assert mapping.columns == {
        "booking_date": "Data",
        "remittance_info": "Histórico",
        "bank_reference": "Documento",
        "payer_tax_id": "CPF/CNPJ",
        "amount": "Valor (R$)",
        "balance": "Saldo (R$)",
    }
    assert (mapping.delimiter, mapping.decimal_separator, mapping.thousands_separator) == (";", ",", ".")
    assert (mapping.date_format, mapping.skip_rows, mapping.amount_mode) == ("%d/%m/%Y", 2, AmountMode.SIGNED)
    st_ = parse_statement(data, csv_mapping=mapping)
    assert st_.format is StatementFormat.CSV
    assert st_.errors == ()
    assert [(ln.line_no, ln.booking_date, str(ln.amount.amount), ln.bank_reference) for ln in st_.lines] == [
        (5, date(2024, 3, 1), "1500.00", "000101"),
        (6, date(2024, 3, 1), "-35.90", "000102"),
        (8, date(2024, 3, 2), "2345.67", "000103"),
        (9, date(2024, 3, 4), "-1234.56", "000104"),
    ]
    assert st_.lines[2].remittance_info == "TED RECEBIDA AÇÚCAR UNIÃO"
    assert st_.lines[2].payer_tax_id == "11.222.333/0001-81"
    # SALDO ANTERIOR before the movements and the last SALDO DO DIA after them.
    assert st_.opening_balance == Money.of("10000.00", "BRL")
    assert st_.closing_balance == Money.of("12575.21", "BRL")
    assert st_.balances_reconcile is True


def test_one_bad_line_does_not_stop_the_file() -> None:
    data = _load("csv_ptbr_split_utf8.csv")
    mapping = suggest_mapping(data)
    assert mapping.amount_mode is AmountMode.SPLIT
    st_ = parse_statement(data, csv_mapping=mapping)
    assert [(e.line_no, e.message) for e in st_.errors] == [
        (4, "not an amount: '12,3,4'"),
        (6, "not a date in %d/%m/%Y: '31/02/2024'"),
    ]
    # Debits are negative whether the bank wrote "8,50" or "-1.200,00" in the debit column.
    assert [(ln.line_no, str(ln.amount.amount)) for ln in st_.lines] == [
        (2, "450.00"),
        (3, "-1200.00"),
        (5, "-8.50"),
        (7, "3210.99"),
    ]


def test_english_bom_comma_file_with_quoted_commas() -> None:
    data = _load("csv_en_bom.csv")
    mapping = suggest_mapping(data, currency="USD")
    assert (mapping.delimiter, mapping.decimal_separator, mapping.date_format) == (",", ".", "%m/%d/%Y")
    st_ = parse_statement(data, csv_mapping=mapping)
    assert st_.errors == ()
    assert [(ln.booking_date, str(ln.amount.amount)) for ln in st_.lines] == [
        (date(2024, 3, 1), "2500.00"),
        (date(2024, 3, 13), "-420.15"),
        (date(2024, 3, 14), "-15.00"),
        (date(2024, 3, 15), "1234.56"),
    ]
    assert st_.lines[0].remittance_info == "ACME CORP, INV 2024-0042"
    # Running balance column: opening is the first balance before its line.
    assert st_.opening_balance == Money.of("10000.00", "USD")
    assert st_.closing_balance == Money.of("13299.41", "USD")
    assert st_.balances_reconcile is True


def test_spanish_headers() -> None:
    data = _load("csv_es.csv")
    mapping = suggest_mapping(data, currency="EUR")
    assert mapping.columns["booking_date"] == "Fecha"
    assert mapping.columns["amount"] == "Importe"
    assert mapping.columns["remittance_info"] == "Concepto"
    assert mapping.columns["bank_reference"] == "Referencia"
    st_ = parse_statement(data, csv_mapping=mapping)
    assert [str(ln.amount.amount) for ln in st_.lines] == ["1250.00", "-12.40", "300.00"]
    assert st_.balances_reconcile is True


def test_newest_first_export_gets_opening_and_closing_right() -> None:
    data = "Data;Histórico;Valor;Saldo\n03/01/2024;B;-5,00;105,00\n02/01/2024;A;10,00;110,00\n".encode()
    st_ = parse_statement(data, csv_mapping=suggest_mapping(data))
    assert (st_.opening_balance, st_.closing_balance) == (
        Money.of("100.00", "BRL"),
        Money.of("105.00", "BRL"),
    )
    assert st_.balances_reconcile is True


def test_direction_column_and_index_columns_without_header() -> None:
    mapping = CsvMapping(
        columns={"booking_date": 0, "amount": 2, "direction": 3, "remittance_info": 1},
        has_header=False,
        delimiter="|",
    )
    data = b"01/02/2024|Recebimento|100,00|C\n02/02/2024|Pagamento|40,00|D\n03/02/2024|?|1,00|Z\n"
    st_ = parse_csv(data, mapping)
    assert [(ln.line_no, str(ln.amount.amount)) for ln in st_.lines] == [(1, "100.00"), (2, "-40.00")]
    assert st_.errors[0].line_no == 3
    assert "neither credit nor debit" in st_.errors[0].message


def test_missing_column_is_a_file_error() -> None:
    st_ = parse_csv(b"Data;Historico\n01/01/2024;x\n", BR)
    assert st_.lines == ()
    assert st_.errors[0].message == "columns not found in the header: amount ('Valor')"


def test_short_row_and_empty_rows() -> None:
    st_ = parse_csv(
        b"Data;Valor;Doc\n01/01/2024;1,00;A\n\n;;\n02/01/2024\n",
        CsvMapping(columns={"booking_date": "Data", "amount": "Valor", "bank_reference": "Doc"}),
    )
    assert [ln.line_no for ln in st_.lines] == [2]
    assert [e.line_no for e in st_.errors] == [5]


def test_mapping_survives_json() -> None:
    mapping = suggest_mapping(_load("csv_ptbr_itau_latin1.csv"))
    again = CsvMapping.from_dict(json.loads(json.dumps(mapping.to_dict())))
    assert again == mapping


def test_mapping_validation() -> None:
    with pytest.raises(ValueError, match="booking_date"):
        CsvMapping(columns={"amount": "Valor"})
    with pytest.raises(ValueError, match="credit and debit"):
        CsvMapping(columns={"booking_date": "Data", "credit": "C"}, amount_mode=AmountMode.SPLIT)
    with pytest.raises(ValueError, match="unknown mapping fields"):
        CsvMapping(columns={"booking_date": "Data", "amount": "V", "colour": "X"})
    with pytest.raises(ValueError, match="recognized"):
        suggest_mapping(b"foo;bar\n1;2\n")


def test_csv_without_mapping_is_guessed_or_reported() -> None:
    assert parse_statement(_load("csv_es.csv")).lines
    st_ = parse_statement(b"a;b\n1;2\n")
    assert "without a saved column mapping" in st_.errors[0].message


# --- property: write with a mapping, parse with it, get the same lines back ---------------
_SAFE = st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f")
_text = st.text(alphabet=_SAFE, max_size=40).filter(lambda t: not t.strip().lower().startswith("s"))


@st.composite
def _mappings(draw: st.DrawFn) -> CsvMapping:
    decimal_sep, thousands = draw(st.sampled_from([(",", "."), (".", ","), (",", ""), (".", "")]))
    mode = draw(st.sampled_from(list(AmountMode)))
    has_header = draw(st.booleans())
    fields = ["booking_date", "remittance_info", "bank_reference", "value_date"]
    fields += ["amount"] if mode is AmountMode.SIGNED else ["credit", "debit"]
    if mode is AmountMode.SIGNED and draw(st.booleans()):
        fields.append("direction")
    order = draw(st.permutations(fields))
    columns: dict[str, str | int] = (
        {f: f"col {f}" for f in order} if has_header else {f: i for i, f in enumerate(order)}
    )
    return CsvMapping(
        columns=columns,
        delimiter=draw(st.sampled_from([";", ",", "\t", "|"])),
        decimal_separator=decimal_sep,
        thousands_separator=thousands,
        date_format=draw(st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%y"])),
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "auto"])),
        has_header=has_header,
        amount_mode=mode,
        skip_rows=draw(st.integers(min_value=0, max_value=3)),
    )


@st.composite
def _lines(draw: st.DrawFn) -> list[StatementLine]:
    out = []
    for i in range(draw(st.integers(min_value=1, max_value=15))):
        out.append(
            make_line(
                line_no=i,
                amount=Money.from_minor(draw(st.integers(-(10**12), 10**12).filter(bool)), "BRL"),
                booking_date=draw(st.dates(date(2000, 1, 1), date(2068, 12, 31))),
                value_date=draw(st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2068, 12, 31)))),
                bank_reference=draw(st.one_of(st.none(), st.text(alphabet="ABC0123456789-/", max_size=12))),
                remittance_info=draw(_text),
            )
        )
    return out


@settings(max_examples=80, deadline=None)
@given(_mappings(), _lines())
def test_write_then_parse_gives_back_the_lines(mapping: CsvMapping, lines: list[StatementLine]) -> None:
    data = write_csv(lines, mapping, preamble=[f"Extrato linha {i}" for i in range(mapping.skip_rows)])
    parsed = parse_csv(data, mapping)
    assert parsed.errors == ()
    assert [
        (ln.amount, ln.booking_date, ln.value_date, ln.bank_reference, ln.remittance_info)
        for ln in parsed.lines
    ] == [(ln.amount, ln.booking_date, ln.value_date, ln.bank_reference, ln.remittance_info) for ln in lines]
    first_data_line = mapping.skip_rows + (2 if mapping.has_header else 1)
    assert [ln.line_no for ln in parsed.lines] == list(range(first_data_line, first_data_line + len(lines)))
