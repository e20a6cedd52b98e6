"""Every real return file in the shared fixtures parses, with counts and values checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.adapters.banks.cnab import parse_return
from app.domain.settlement.bank_files import Outcome, SettlementKind

FIXTURES = Path("/work/shared/fixtures/banks")
RETURNS = sorted(
    p
    for folder in ("brcobranca/retorno", "opencnabphp")
    for p in (FIXTURES / folder).iterdir()
    if p.suffix.lower() in (".ret", ".crt")
)

# file → (bank, layout, records, settled, settled amount, structurally valid)
EXPECTED = {
    "CBR64310.RET": ("001", "cnab400", 26, 26, "10051.83", True),
    "CNAB240.RET": ("001", "cnab240", 35, 35, "21880.94", True),
    "CNAB240AILOS.RET": ("085", "cnab240", 3, 3, "6.00", True),
    "CNAB240SANTANDER.RET": ("033", "cnab240", 2, 1, "10.00", True),
    "CNAB240SICOOB.RET": ("756", "cnab240", 3, 3, "6.00", True),
    "CNAB240SICREDI.CRT": ("748", "cnab240", 2, 0, "0.00", True),
    "CNAB400.RET": ("341", "cnab400", 52, 51, "2546.22", True),
    "CNAB400BANCOBRASILIA.RET": ("070", "cnab400", 1, 0, "0.00", True),
    "CNAB400BANCONORDESTE.RET": ("004", "cnab400", 1, 1, "175.00", True),
    "CNAB400BANRISUL.RET": ("041", "cnab400", 1, 1, "1450.00", True),
    # Its trailer declares 20.20 for the five entries; the details add up to 27.30.
    "CNAB400BRADESCO.RET": ("237", "cnab400", 6, 0, "0.00", False),
    "CNAB400CREDISIS.RET": ("097", "cnab400", 1, 0, "0.00", True),
    "CNAB400ITAU.RET": ("341", "cnab400", 52, 51, "2546.22", True),
    "CNAB400SANTANDER.RET": ("033", "cnab400", 52, 51, "2546.22", True),
    # Unicred's sample is a Banco do Brasil CNAB 400 (bank 001 in its header).
    "CNAB400UNICRED.RET": ("001", "cnab400", 1, 1, "444.00", True),
    "CN03116A.RET": ("341", "cnab400", 1, 0, "0.00", True),
    "CN04116A.RET": ("341", "cnab400", 1, 0, "0.00", True),
    "CN07116A.RET": ("341", "cnab400", 1, 1, "8.10", True),
    "R2100095.RET": ("104", "cnab240", 36, 36, "2397.63", True),
    "RETORNOCEF081116.ret": ("104", "cnab240", 0, 0, "0.00", True),
    "RETORNOCEF091116.ret": ("104", "cnab240", 2, 1, "8.00", True),
    "retorno_cnab240_caixa.ret": ("104", "cnab240", 9, 9, "1010.00", True),
    "retorno_cnab400_itau.ret": ("341", "cnab400", 4, 3, "942.73", True),
    "sicoob-example.ret": ("756", "cnab240", 5, 1, "0.00", True),
    "teste.ret": ("341", "cnab400", 4, 3, "942.73", True),
}


def test_every_return_fixture_is_listed() -> None:
    assert {p.name for p in RETURNS} == set(EXPECTED)


@pytest.mark.parametrize("path", RETURNS, ids=lambda p: p.name)
def test_fixture_parses_with_expected_counts(path: Path) -> None:
    bank, layout, n, settled, amount, valid = EXPECTED[path.name]
    parsed = parse_return(path.read_bytes())
    assert (parsed.bank_code, parsed.layout, parsed.kind) == (bank, layout, "return")
    assert len(parsed.records) == n
    assert parsed.computed_totals.details == n
    assert parsed.settled_count == settled
    assert parsed.settled_amount.amount == Decimal(amount)
    assert parsed.is_structurally_valid is valid


def _parse(name: str):  # type: ignore[no-untyped-def]
    folder = "opencnabphp" if (FIXTURES / "opencnabphp" / name).exists() else "brcobranca/retorno"
    return parse_return((FIXTURES / folder / name).read_bytes())


def test_banco_do_brasil_240_first_title_against_raw_text() -> None:
    # T: "...T 17 01234 5 000000005432 1 14499570000020673 ... 000000000034400 ... tarifa 103"
    # U: "...U 17 ...9000 ...10000 ...20000 ...30000 ...344000 ...342970 ... 29122011 02012012"
    p = _parse("CNAB240.RET")
    r = p.records[0]
    assert (p.agency, p.agency_digit, p.account, p.account_digit) == ("01234", "5", "000000005432", "1")
    assert p.agreement == "0019999570014"
    assert r.line_no == 3
    assert r.nosso_numero == "14499570000020673"
    assert r.occurrence_code == "17"
    assert r.outcome is Outcome.SETTLED
    assert r.settlement_kind is SettlementKind.AFTER_WRITE_OFF
    assert r.face_value.amount == Decimal("344.00")
    assert r.fee.amount == Decimal("1.03")
    assert r.amount_paid is not None and r.amount_paid.amount == Decimal("344.00")
    assert r.net_credit.amount == Decimal("342.97")
    assert r.payment_date == date(2011, 12, 29)
    assert r.credit_date == date(2012, 1, 2)
    assert r.reason_codes == ("03",)
    assert r.raw.count("\n") == 1


def test_caixa_240_nosso_numero_and_channel_motivos() -> None:
    p = _parse("R2100095.RET")
    r = p.records[0]
    assert r.nosso_numero == "240000000000859234"
    assert r.face_value.amount == Decimal("49.00")
    assert r.fee.amount == Decimal("1.61")
    # Caixa's motivos name the payment channel, not FEBRABAN's "por conta": stays NORMAL.
    assert r.reason_codes == ("02", "01", "01")
    assert r.settlement_kind is SettlementKind.NORMAL
    assert p.agreement == "052634"


def test_sicredi_registered_and_fee_and_reason() -> None:
    p = _parse("CNAB240SICREDI.CRT")
    first, second = p.records
    assert (first.outcome, first.reason_codes) == (Outcome.REGISTERED, ("A4",))
    assert first.face_value.amount == Decimal("9.95")
    assert first.payer_name == "SURFISTAO MEDINA"
    assert (second.occurrence_code, second.outcome) == ("28", Outcome.FEE_CHARGED)
    assert second.fee.amount == Decimal("3.80")
    # Sicredi fills the lot trailer: 2 titles, 19.90, which the parser checked.
    assert p.trailer_totals.collections["simple"].count == 2
    assert p.computed_totals.collections["simple"].value.amount == Decimal("19.90")


def test_itau_400_values_and_trailer_totals() -> None:
    p = _parse("retorno_cnab400_itau.ret")
    r = p.records[0]
    assert (p.agency, p.account, p.account_digit) == ("0111", "12345", "0")
    assert r.nosso_numero == "00231327"
    assert r.seu_numero == "1A"
    assert r.face_value.amount == Decimal("389.75")
    assert r.fee.amount == Decimal("3.33")
    assert r.paid_minor == 20997
    assert r.credit_date == date(2013, 6, 21)
    assert p.records[1].occurrence_code == "25"
    assert p.records[1].outcome is Outcome.OTHER  # Itaú 25: alegações do pagador, not a protest
    assert p.trailer_totals.details == 4
    assert p.trailer_totals.details_value_minor == 189576


def test_banco_do_brasil_400_seven_digit_agreement() -> None:
    p = _parse("CBR64310.RET")
    assert p.agreement == "1622420"
    assert (p.agency, p.agency_digit, p.account, p.account_digit) == ("3325", "1", "00028935", "3")
    assert p.file_sequence == 7
    r = p.records[0]
    assert r.nosso_numero == "16224200000000003"
    assert r.face_value.amount == Decimal("90.64")
    assert r.fee.amount == Decimal("5.00")
    assert r.credit_date == date(2009, 1, 22)


def test_bradesco_trailer_disagreement_is_a_file_error() -> None:
    p = _parse("CNAB400BRADESCO.RET")
    [err] = [e for e in p.errors if e.field.startswith("ocorrencia_")]
    assert err.line_no == 8
    assert "202000" in err.message and "273000" in err.message
    # The write-off total (occurrences 09/10) agrees: 1 title of 200.00.
    assert p.trailer_totals.by_occurrence["09_10"].value_minor == 20000


def test_unknown_occurrence_is_queued_not_guessed() -> None:
    p = _parse("CNAB400BANCOBRASILIA.RET")
    [r] = p.records
    assert r.outcome is Outcome.UNKNOWN
    assert [e.field for e in p.errors] == ["occurrence_code"]
    assert p.is_structurally_valid  # the structure is fine; a person maps the code


def test_damaged_240_header_is_recovered_from_the_lot_header() -> None:
    p = _parse("CNAB240SICOOB.RET")
    assert p.kind == "return"
    assert any(e.field == "codigo_remessa_retorno" and e.severity == "warning" for e in p.errors)
