"""camt.053/054: batched entries, PIX end-to-end ids, statuses, hostile XML."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.adapters.banks.statements import parse_statement, parse_statements, write_camt053
from app.adapters.banks.statements.camt import parse_camt
from app.domain.settlement.statements import EntryStatus, StatementFormat
from app.domain.shared.money import Money

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statements"


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_camt053_statement_header_and_balances() -> None:
    st = parse_statement(_load("camt053_v08_pix_batch.xml"))
    assert st.format is StatementFormat.CAMT053
    assert st.account == "BR1800360305000010009795493C1"
    assert st.currency == "BRL"
    assert st.statement_id == "STMT-20240301-0001"
    assert st.opening_balance == Money.of("10000.00", "BRL")
    assert st.closing_balance == Money.of("15484.70", "BRL")  # CLAV (available) is not the closing
    assert (st.period_start, st.period_end) == (date(2024, 3, 1), date(2024, 3, 1))
    assert st.balances_reconcile is True
    assert st.errors == ()


def test_camt053_lines_including_batch_split() -> None:
    st = parse_statement(_load("camt053_v08_pix_batch.xml"))
    got = [(str(ln.amount.amount), ln.bank_reference, ln.end_to_end_id) for ln in st.lines]
    assert got == [
        ("1500.00", "PIX20240301000001", "E60701190202403011030DY5B1Z6C1ZQ"),
        ("1000.00", "PIX20240301000101", "E18236120202403011102s0a1b2c3d4e"),
        ("1250.25", "PIX20240301000102", "E00416968202403011115Qx9Rt7Lm2Np"),
        ("1000.25", "BATCH-20240301-07/3", "E90400888202403011142ZZ00KK11LL2"),
        ("-35.90", "TAR-20240301-01", None),
        ("890.10", "BOL20240301000045", None),  # NOTPROVIDED is no id
        ("-120.00", "PIX20240301000200", "E00000000202403011545abcdefghijk"),
    ]
    pix, batch1, batch2, _, fee, boleto, refund = st.lines
    assert (pix.payer_name, pix.payer_tax_id, pix.payer_account) == (
        "Maria Aparecida Souza",
        "12345678909",
        "0001/123456-7",
    )
    assert pix.remittance_info == "Pagamento NF 4521"
    assert pix.transaction_code == "PMNT-RCDT-DMCT"
    assert pix.line_no == 42  # the Ntry's line in the file
    assert batch1.payer_tax_id == "11222333000181"
    assert batch1.line_no == 86  # each batched transaction points at its own TxDtls
    assert batch2.remittance_info == "NN-000457812"  # Strd/CdtrRefInf/Ref
    assert fee.remittance_info == "TARIFA PIX LOTE"  # AddtlNtryInf when no RmtInf
    assert boleto.value_date == date(2024, 3, 4)
    assert boleto.booking_date == date(2024, 3, 1)  # from DtTm
    assert boleto.remittance_info == "00190000090281234567812345678177"
    assert refund.payer_name == "João Pereira"  # the creditor is the counterparty of a debit
    assert refund.payer_account == "3321/00998877-1"
    assert "<NtryRef>6</NtryRef>" in refund.raw


def test_pending_entries_are_reported_not_booked() -> None:
    st = parse_statement(_load("camt053_v08_pix_batch.xml"))
    assert [str(ln.amount.amount) for ln in st.pending] == ["400.00"]
    assert st.pending[0].status is EntryStatus.PENDING
    assert all(ln.status is EntryStatus.BOOKED for ln in st.lines)


def test_camt054_version_02_spellings() -> None:
    st = parse_statement(_load("camt054_v02_notification.xml"))
    assert st.format is StatementFormat.CAMT054
    assert st.account == "0341/1234/56789-0"
    assert [(str(ln.amount.amount), ln.bank_reference, ln.payer_name) for ln in st.lines] == [
        ("450.00", "N-20240305-1-A", "Loja Azul Ltda"),
        ("250.00", "N-20240305-1-B", "Loja Verde ME"),
        ("-55.00", "N-20240305-2", None),
    ]
    assert st.lines[0].remittance_info == "NF 1001 parcela 1/2"
    assert st.lines[0].payer_tax_id == "44555666000172"
    assert st.lines[0].transaction_code == "LIQ-BOLETO"
    assert st.balances_reconcile is None  # a notification carries no balances


def _doc(entries: str, ns: str = "camt.053.001.04") -> bytes:
    return f"""<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{ns}"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr>
<Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
{entries}</Stmt></BkToCstmrStmt></Document>""".encode()


def test_batch_amounts_that_do_not_add_up_are_reported() -> None:
    entry = """<Ntry><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2024-01-02</Dt></BookgDt><AcctSvcrRef>E1</AcctSvcrRef><NtryDtls>
<TxDtls><Amt Ccy="EUR">60.00</Amt></TxDtls><TxDtls><Amt Ccy="EUR">30.00</Amt></TxDtls>
</NtryDtls></Ntry>"""
    st = parse_statement(_doc(entry))
    assert [str(ln.amount.amount) for ln in st.lines] == ["60.00", "30.00"]
    assert "differs from the sum of its 2 transactions (90.00)" in st.errors[0].message


def test_batch_without_amounts_stays_one_line() -> None:
    entry = """<Ntry><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2024-01-02</Dt></BookgDt><AcctSvcrRef>E1</AcctSvcrRef><NtryDtls>
<TxDtls><RmtInf><Ustrd>a</Ustrd></RmtInf></TxDtls><TxDtls><RmtInf><Ustrd>b</Ustrd></RmtInf></TxDtls>
</NtryDtls></Ntry>"""
    st = parse_statement(_doc(entry))
    assert [(str(ln.amount.amount), ln.remittance_info) for ln in st.lines] == [("-100.00", "a | b")]
    assert st.errors == ()


def test_bad_entry_is_an_error_and_the_rest_parses() -> None:
    entries = """<Ntry><Amt Ccy="EUR">abc</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>
<Ntry><Amt Ccy="EUR">1.50</Amt><CdtDbtInd>XX</CdtDbtInd><Sts>BOOK</Sts></Ntry>
<Ntry><Amt Ccy="EUR">2.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>WHAT</Sts></Ntry>
<Ntry><Amt Ccy="EUR">3.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>"""
    st = parse_statement(_doc(entries))
    assert [str(ln.amount.amount) for ln in st.lines] == ["3.50"]
    assert [e.line_no for e in st.errors] == [4, 5, 6]
    assert "not an amount" in st.errors[0].message
    assert "CdtDbtInd" in st.errors[1].message
    assert "unknown entry status" in st.errors[2].message


def test_truncated_xml_is_an_error_with_a_line() -> None:
    data = _load("camt053_v08_pix_batch.xml")[:3000]
    st = parse_statement(data)
    assert st.lines == ()
    assert st.errors[0].message.startswith("malformed XML")
    assert st.errors[0].line_no is not None and st.errors[0].line_no > 1


@pytest.mark.parametrize(
    "doctype",
    [
        # billion laughs
        '<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        # external entity (XXE)
        '<!DOCTYPE Document [<!ENTITY d SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_entities_are_never_expanded(doctype: str) -> None:
    body = _doc(
        """<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<NtryDtls><TxDtls><RmtInf><Ustrd>&d;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
    ).decode()
    data = body.replace('<?xml version="1.0"?>', f'<?xml version="1.0"?>{doctype}', 1).encode()
    st = parse_statement(data)
    assert st.lines == ()
    assert "DOCTYPE is refused" in st.errors[0].message
    assert "root:" not in repr(st)


def test_not_a_statement_document() -> None:
    st = parse_statement(b'<?xml version="1.0"?><Document xmlns="urn:x"><Other/></Document>')
    assert "not a camt.053/054 document: Other" in st.errors[0].message


def test_writer_round_trip_with_batches_in_both_versions() -> None:
    original = parse_statement(_load("camt053_v08_pix_batch.xml"))
    for version in ("001.02", "001.08"):
        # The two PIX20240301000 1xx transactions go back into one batched entry.
        xml = write_camt053(
            original,
            version=version,
            group_by=lambda ln: (
                "batch" if (ln.bank_reference or "").startswith("PIX2024030100010") else ln.line_no
            ),
        )
        assert xml.count(b"<TxDtls>") == len(original.lines) + len(original.pending)
        assert xml.count(b"<Ntry>") == len(original.lines) + len(original.pending) - 1
        [again] = parse_camt(xml)
        assert again.errors == ()
        assert [
            (ln.amount, ln.booking_date, ln.bank_reference, ln.end_to_end_id, ln.payer_name)
            for ln in again.lines
        ] == [
            (ln.amount, ln.booking_date, ln.bank_reference, ln.end_to_end_id, ln.payer_name)
            for ln in original.lines
        ]
        assert again.opening_balance == original.opening_balance
        assert again.closing_balance == original.closing_balance
        assert [ln.amount for ln in again.pending] == [ln.amount for ln in original.pending]
        assert sum(ln.amount.amount for ln in again.lines) == Decimal("5484.70")


def test_several_statements_in_one_document() -> None:
    stmt = """<Stmt><Id>{id}</Id><Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry></Stmt>"""
    data = (
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        + stmt.format(id="1", iban="DE1")
        + stmt.format(id="2", iban="DE2")
        + "</BkToCstmrStmt></Document>"
    ).encode()
    assert [s.account for s in parse_statements(data)] == ["DE1", "DE2"]
    single = parse_statement(data)
    assert single.account == "DE1"
    assert "DE2 (EUR)" in single.errors[-1].message
