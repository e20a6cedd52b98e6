"""Barcode, typeable line, due-date factor and parsing of boletos."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.adapters.banks.boleto import (
    BoletoError,
    barcode_to_line,
    build_barcode,
    due_date_factor,
    due_date_from_factor,
    format_line,
    line_to_barcode,
    parse_boleto,
)
from app.adapters.banks.boleto.checkdigits import barcode_dv, mod10
from app.domain.shared.money import Money

# (typeable line, barcode, due date, amount) published with worked examples of
# each bank's layout (brcobranca's bank specs, MIT) and checked against each other.
PUBLISHED = [
    (
        "00190.00009 01238.798779 77700.168188 3 37710000013500",
        "00193377100000135000000001238798777770016818",
        date(2008, 2, 3),
        "135.00",
    ),
    (
        "00191.23876 90123.440423 00061.900189 2 37690000013500",
        "00192376900000135001238790123440420006190018",
        date(2008, 2, 1),
        "135.00",
    ),
    (
        "34191.75124 34567.840813 05367.890000 1 43290000000000",
        "34191432900000000001751234567840810536789000",
        date(2009, 8, 14),
        "0.00",
    ),
    (
        "34191.09008 01015.271248 80212.460002 4 25480000675787",
        "34194254800006757871090001015271248021246000",
        date(2029, 5, 20),
        "6757.87",
    ),
    (
        "23791.17209 60007.589645 52040.300502 5 42230000295295",
        "23795422300002952951172060007589645204030050",
        date(2009, 4, 30),
        "2952.95",
    ),
    (
        "03399.18997 77500.009004 00267.001022 8 51150000002500",
        "03398511500000025009189977500009000026700102",
        date(2011, 10, 9),
        "25.00",
    ),
    ("75691.43279 01022.938508 00000.240010 2 67080000005000", None, date(2016, 2, 18), "50.00"),
    ("74893.11220 13871.512342 18123.451009 1 52220000295295", None, date(2012, 1, 24), "2952.95"),
]


@pytest.mark.parametrize(("line", "barcode", "due", "amount"), PUBLISHED)
def test_published_examples_parse_and_convert(line: str, barcode: str | None, due: date, amount: str) -> None:
    code = parse_boleto(line, reference=due)
    assert code.formatted_line == line
    if barcode is not None:
        assert code.barcode == barcode
        assert barcode_to_line(barcode) == line.replace(".", "").replace(" ", "")
        assert parse_boleto(barcode, reference=due) == code
    assert code.due_date == due
    assert code.amount == Money.of(amount, "BRL")
    assert code.bank_code == line[:3]
    assert code.currency == "9"


def test_build_barcode_matches_published_barcode() -> None:
    barcode = build_barcode("001", date(2008, 2, 3), Money.of("135.00", "BRL"), "0000001238798777770016818")
    assert barcode == "00193377100000135000000001238798777770016818"


def test_general_check_digit_maps_0_10_11_to_1() -> None:
    # weights 2..9 from the right: "…5" sums 10, "…40" sums 12, all zeros sums 0.
    assert barcode_dv("0" * 43) == 1  # remainder 0 -> 11
    assert barcode_dv("0" * 41 + "40") == 1  # remainder 1 -> 10
    assert barcode_dv("0" * 42 + "5") == 1  # remainder 10 -> 1
    assert barcode_dv("0" * 42 + "1") == 9  # remainder 2 -> 9


def test_mod10_known_values() -> None:
    assert mod10("001900000") == 9
    assert mod10("0123879897") == 7  # 01238.798977: second field, DV 7
    assert mod10("0") == 0


class TestDueDateFactor:
    def test_first_cycle(self) -> None:
        assert due_date_factor(date(2000, 7, 3)) == "1000"
        assert due_date_factor(date(2008, 2, 1)) == "3769"
        assert due_date_factor(date(2025, 2, 21)) == "9999"

    def test_reset_on_2025_02_22(self) -> None:
        assert due_date_factor(date(2025, 2, 22)) == "1000"
        assert due_date_factor(date(2025, 2, 23)) == "1001"
        assert due_date_factor(date(2029, 5, 20)) == "2548"

    def test_no_due_date_is_0000(self) -> None:
        assert due_date_factor(None) == "0000"
        assert due_date_from_factor("0000", date(2025, 1, 1)) is None

    def test_dates_before_factor_1000_are_refused(self) -> None:
        with pytest.raises(BoletoError):
            due_date_factor(date(2000, 7, 2))

    def test_reading_picks_the_cycle_near_the_reference(self) -> None:
        assert due_date_from_factor("1000", date(2025, 3, 1)) == date(2025, 2, 22)
        assert due_date_from_factor("1000", date(2001, 1, 1)) == date(2000, 7, 3)
        # A title due just before the reset, paid late just after it.
        assert due_date_from_factor("9999", date(2025, 3, 10)) == date(2025, 2, 21)
        # A title issued just before the reset, due just after it.
        assert due_date_from_factor("1010", date(2025, 1, 15)) == date(2025, 3, 4)

    def test_unused_factor_values_are_refused(self) -> None:
        with pytest.raises(BoletoError):
            due_date_from_factor("0999", date(2025, 1, 1))

    @given(
        st.dates(min_value=date(2000, 7, 3), max_value=date(2150, 12, 31)),
        st.integers(min_value=-4400, max_value=4400),
    )
    def test_round_trip_within_twelve_years_of_the_reference(self, due: date, offset: int) -> None:
        reference = due + timedelta(days=offset)
        assert due_date_from_factor(due_date_factor(due), reference) == due


class TestAmount:
    def test_other_currencies_are_refused(self) -> None:
        with pytest.raises(BoletoError, match="BRL"):
            build_barcode("001", date(2030, 1, 1), Money.of("10.00", "USD"), "0" * 25)

    def test_negative_and_too_large_are_refused(self) -> None:
        with pytest.raises(BoletoError):
            build_barcode("001", date(2030, 1, 1), Money.of("-1.00", "BRL"), "0" * 25)
        with pytest.raises(BoletoError):
            build_barcode("001", date(2030, 1, 1), Money.of("100000000.00", "BRL"), "0" * 25)

    def test_largest_amount_fits(self) -> None:
        barcode = build_barcode("001", date(2030, 1, 1), Money.of("99999999.99", "BRL"), "0" * 25)
        assert barcode[9:19] == "9999999999"


class TestParseErrors:
    def test_arrecadacao_is_named(self) -> None:
        with pytest.raises(BoletoError, match="arrecada"):
            parse_boleto("8" * 48, reference=date(2025, 1, 1))

    def test_wrong_length(self) -> None:
        with pytest.raises(BoletoError, match="47-digit"):
            parse_boleto("0019", reference=date(2025, 1, 1))

    def test_letters(self) -> None:
        with pytest.raises(BoletoError):
            parse_boleto("00190.0000X 01238.798779 77700.168188 3 37710000013500", reference=date(2025, 1, 1))

    def test_the_failing_field_is_named(self) -> None:
        with pytest.raises(BoletoError, match="field 2"):
            parse_boleto("00190.00009 01238.798789 77700.168188 3 37710000013500", reference=date(2008, 1, 1))

    def test_other_currency_code_is_refused(self) -> None:
        body = "0010" + "3771" + "0000013500" + "0000001238798777770016818"
        barcode = body[:4] + str(barcode_dv(body)) + body[4:]
        with pytest.raises(BoletoError, match="currency"):
            parse_boleto(barcode, reference=date(2008, 1, 1))


# --- properties ------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=25, max_size=25)
banks = st.sampled_from(["001", "033", "104", "237", "341", "748", "756"])
amounts = st.integers(min_value=0, max_value=99_999_999_99).map(lambda m: Money.from_minor(m, "BRL"))
due_dates = st.one_of(st.none(), st.dates(min_value=date(2000, 7, 3), max_value=date(2060, 12, 31)))


@given(banks, due_dates, amounts, digits)
def test_line_barcode_round_trip(bank: str, due: date | None, amount: Money, free: str) -> None:
    barcode = build_barcode(bank, due, amount, free)
    line = barcode_to_line(barcode)
    assert len(barcode) == 44 and len(line) == 47
    assert line_to_barcode(line) == barcode
    assert barcode_to_line(line_to_barcode(line)) == line
    parsed = parse_boleto(format_line(line), reference=due or date(2025, 1, 1))
    assert (parsed.barcode, parsed.amount, parsed.campo_livre, parsed.bank_code) == (
        barcode,
        amount,
        free,
        bank,
    )
    assert parsed.due_date == due


def _changed(text: str, index: int, shift: int) -> str:
    return text[:index] + str((int(text[index]) + shift) % 10) + text[index + 1 :]


@given(banks, due_dates, amounts, digits, st.integers(0, 31), st.integers(1, 9))
def test_any_single_digit_change_in_fields_1_to_3_is_caught(
    bank: str, due: date | None, amount: Money, free: str, index: int, shift: int
) -> None:
    # Fields 1–3 (positions 0–31 of the 47) carry módulo-10 digits, which catch every single-digit error.
    line = barcode_to_line(build_barcode(bank, due, amount, free))
    with pytest.raises(BoletoError):
        parse_boleto(_changed(line, index, shift), reference=date(2025, 1, 1))


@given(banks, due_dates, amounts, digits, st.integers(0, 43), st.integers(1, 9))
def test_single_digit_change_in_barcode_is_caught_when_dv_is_not_1(
    bank: str, due: date | None, amount: Money, free: str, index: int, shift: int
) -> None:
    barcode = build_barcode(bank, due, amount, free)
    # The general DV folds three remainders into 1 (FEBRABAN's rule), so only a
    # DV other than 1 pins the remainder and guarantees detection.
    assume(barcode[4] != "1" or index == 4)
    changed = _changed(barcode, index, shift)
    assume(changed[3] == "9" and changed[0] != "8")  # still a cobrança boleto in reais
    with pytest.raises(BoletoError):
        parse_boleto(changed, reference=date(2025, 1, 1))


def test_the_dv_1_blind_spot_is_real() -> None:
    # FEBRABAN's rule folds remainders 0, 1 and 10 into DV 1, so these two
    # 43-digit bodies, one digit apart, share DV 1: only fields 1-3 of the
    # typeable line (módulo 10) protect against such a typo.
    assert barcode_dv("0" * 43) == barcode_dv("0" * 42 + "5") == 1
