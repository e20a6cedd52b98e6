"""OFX 1.x SGML (quirky Brazilian exports) and 2.x XML."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from ofxtools.Parser import OFXTree

from app.adapters.banks.statements import parse_statement
from app.domain.settlement.statements import StatementFormat
from app.domain.shared.money import Money

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statements"


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _rows(name: str) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    st = parse_statement(_load(name))
    return [
        (str(ln.amount.amount), ln.bank_reference, ln.customer_reference, ln.payer_name, ln.remittance_info)
        for ln in st.lines
    ]


def test_quirky_latin1_sgml_from_a_brazilian_bank() -> None:
    data = _load("ofx_sgml_latin1_quirky.ofx")
    assert "JOSÉ".encode("cp1252") in data  # the fixture really is cp1252
    st = parse_statement(data)
    assert st.format is StatementFormat.OFX
    assert st.errors == ()
    assert st.account == "1234/56789-0"
    assert st.currency == "BRL"
    assert (st.period_start, st.period_end) == (date(2024, 1, 1), date(2024, 1, 31))
    assert st.closing_balance == Money.of("4743.27", "BRL")
    assert st.opening_balance is None and st.balances_reconcile is None
    assert _rows("ofx_sgml_latin1_quirky.ofx") == [
        ("1500.00", "202401020001", "000123", None, "PIX RECEBIDO - JOSÉ DA CONCEIÇÃO"),
        # unclosed STMTTRN, '-89,90', an unescaped '&', a NAME past 32 characters
        ("-89.90", "202401030002", None, "PAGTO BOLETO C&A MODAS LTDA - LOJA CENTRO SÃO PAULO", "PAG BOLETO"),
        ("2345.67", "202401050003", "REF-778", None, "TED RECEBIDA AÇÚCAR UNIÃO S/A"),
        ("-12.50", "202401100004", None, None, "TARIFA PACOTE SERVIÇOS"),
    ]
    assert [ln.line_no for ln in st.lines] == [40, 48, 55, 63]
    assert [ln.transaction_code for ln in st.lines] == ["CREDIT", "DEBIT", "CREDIT", "FEE"]
    assert st.lines[1].raw.startswith("<STMTTRN>") and "<FITID>202401030002" in st.lines[1].raw


def test_well_formed_sgml_agrees_with_ofxtools() -> None:
    data = _load("ofx_sgml_bb_wellformed.ofx")
    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    [reference] = tree.convert().statements
    st = parse_statement(data)
    assert st.errors == ()
    assert [
        (ln.amount.amount, ln.bank_reference, ln.remittance_info, ln.customer_reference) for ln in st.lines
    ] == [(t.trnamt, t.fitid, t.memo, t.checknum) for t in reference.banktranlist]
    assert st.closing_balance is not None and st.closing_balance.amount == reference.ledgerbal.balamt
    assert st.account == "3344-5/998877-6"


def test_ofx2_xml() -> None:
    st = parse_statement(_load("ofx2_xml.ofx"))
    assert st.errors == ()
    assert (st.account, st.currency) == ("4455667788", "USD")
    assert _rows("ofx2_xml.ofx") == [
        ("2500.00", "2024030412345", None, "ACME CORP", "INV 2024-0042 payment"),
        ("-420.15", "2024030867890", "1042", "Office Supplies & Co", None),
    ]
    first = st.lines[0]
    assert (first.booking_date, first.value_date) == (date(2024, 3, 4), date(2024, 3, 5))  # DTAVAIL
    assert st.closing_balance == Money.of("10079.85", "USD")


_TEMPLATE = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
CHARSET:1252

<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>9<STMTRS><CURDEF>BRL
<BANKACCTFROM><BANKID>237<ACCTID>11-2<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST>{trns}</BANKTRANLIST>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


def _trn(amount: str, posted: str, fitid: str) -> str:
    return f"\n<STMTTRN>\n<TRNTYPE>OTHER\n<DTPOSTED>{posted}\n<TRNAMT>{amount}\n<FITID>{fitid}\n</STMTTRN>"


def test_late_evening_posting_keeps_the_banks_date() -> None:
    # 22:30 in Brasília is 01:30 UTC the next day; the statement date is the bank's.
    st = parse_statement(_TEMPLATE.format(trns=_trn("10.00", "20240131223000[-3:BRT]", "A")).encode())
    assert st.lines[0].booking_date == date(2024, 1, 31)


def test_bad_transaction_is_an_error_and_the_rest_parses() -> None:
    trns = (
        _trn("1,2,3", "20240102", "BAD")
        + _trn("5.00", "2024-01-02", "BADDATE")
        + _trn("7.25", "20240103", "OK")
    )
    st = parse_statement(_TEMPLATE.format(trns=trns).encode())
    assert [(str(ln.amount.amount), ln.bank_reference) for ln in st.lines] == [("7.25", "OK")]
    assert [e.line_no for e in st.errors] == [9, 15]
    assert "not an amount" in st.errors[0].message
    assert "not an OFX date" in st.errors[1].message


def test_utf8_content_under_a_cp1252_header() -> None:
    trns = _trn("1.00", "20240102", "X").replace("</STMTTRN>", "<MEMO>Pagamento João\n</STMTTRN>")
    st = parse_statement(_TEMPLATE.format(trns=trns).encode("utf-8"))
    assert st.lines[0].remittance_info == "Pagamento João"


def test_credit_card_statement() -> None:
    data = b"""OFXHEADER:100
<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>4111</CCACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-9.99<FITID>CC1<NAME>Coffee</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>-9.99<DTASOF>20240131</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS>
</CREDITCARDMSGSRSV1></OFX>"""
    st = parse_statement(data)
    assert st.account == "4111"
    assert [(str(ln.amount.amount), ln.payer_name) for ln in st.lines] == [("-9.99", "Coffee")]


def test_not_an_ofx_body() -> None:
    st = parse_statement(b"OFXHEADER:100\nDATA:OFXSGML\n\nnothing here", hint="ofx")
    assert st.lines == ()
    assert st.errors[0].message == "no <OFX> element"
