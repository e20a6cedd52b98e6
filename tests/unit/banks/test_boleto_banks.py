"""Free field and nosso número per bank, against published worked examples."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.adapters.banks.boleto import (
    BancoDoBrasil,
    BankAgreement,
    BoletoError,
    Bradesco,
    Caixa,
    Itau,
    Santander,
    Sicoob,
    Sicredi,
    boleto_code,
    next_nosso_numero,
    validate_nosso_numero,
)
from app.domain.shared.money import Money

ISSUED = date(2012, 1, 19)

# agreement, sequence, due date, amount, expected campo livre, expected typeable line
# (brcobranca's bank specs, MIT; the line also checks factor, amount and every DV).
CASES = [
    (
        BancoDoBrasil("4042", "61900", "1238798", carteira="18"),
        7777700168,
        date(2008, 2, 3),
        "135.00",
        "0000001238798777770016818",
        "00190.00009 01238.798779 77700.168188 3 37710000013500",
    ),
    (
        BancoDoBrasil("4042", "61900", "12387989", carteira="18"),
        777700168,
        date(2008, 2, 1),
        "135.00",
        "0000001238798977770016818",
        "00190.00009 01238.798977 77700.168188 3 37690000013500",
    ),
    (
        BancoDoBrasil("4042", "61900", "123879", carteira="18"),
        1234,
        date(2008, 2, 1),
        "135.00",
        "1238790123440420006190018",
        "00191.23876 90123.440423 00061.900189 2 37690000013500",
    ),
    (
        BancoDoBrasil("4042", "61900", "123879", carteira="16", nosso_numero_livre=True),
        1234567899,
        date(2008, 2, 1),
        "135.00",
        "1238790000000123456789921",
        "00191.23876 90000.000126 34567.899215 9 37690000013500",
    ),
    (
        BancoDoBrasil("4042", "61900", "1238", carteira="18"),
        123456,
        date(2008, 2, 1),
        "135.00",
        "1238012345640420006190018",
        "00191.23801 12345.640424 00061.900189 1 37690000013500",
    ),
    (
        Itau("0810", "53678", "175"),
        12345678,
        date(2009, 8, 14),
        "0.00",
        "1751234567840810536789000",
        "34191.75124 34567.840813 05367.890000 1 43290000000000",
    ),
    (
        Itau("1248", "02124", "109"),
        10152,
        date(2029, 5, 20),
        "6757.87",
        "1090001015271248021246000",
        "34191.09008 01015.271248 80212.460002 4 25480000675787",
    ),
    (
        Bradesco("1172", "0403005", "06"),
        75896452,
        date(2009, 4, 30),
        "2952.95",
        "1172060007589645204030050",
        "23791.17209 60007.589645 52040.300502 5 42230000295295",
    ),
    (
        Bradesco("4042", "61900", "03"),
        777700168,
        date(2008, 2, 2),
        "135.00",
        "4042030077770016800619000",
        "23794.04201 30077.770011 68006.190000 1 37700000013500",
    ),
    (
        Santander("0059", "1899775", "102"),
        90000267,
        date(2011, 10, 9),
        "25.00",
        "9189977500009000026700102",
        "03399.18997 77500.009004 00267.001022 8 51150000002500",
    ),
    (
        Santander("0059", "1899775", "102"),
        90002720,
        date(2012, 9, 8),
        "54.00",
        "9189977500009000272070102",
        "03399.18997 77500.009004 02720.701024 9 54500000005400",
    ),
    (Caixa("1825", "245274"), 1, date(2008, 2, 3), "10.00", "2452740000100040000000017", None),
    (
        Sicoob("4327", "229385"),
        2,
        date(2016, 2, 18),
        "50.00",
        "1432701022938500000024001",
        "75691.43279 01022.938508 00000.240010 2 67080000005000",
    ),
    (
        Sicoob("4134", "148180", modalidade="05"),
        110,
        date(2017, 4, 15),
        "235.00",
        "1413405014818000001104001",
        "75691.41349 05014.818008 00011.040011 4 71300000023500",
    ),
    (
        Sicredi("1234", "18", "12345", tipo_cobranca="3"),
        13871,
        date(2012, 1, 24),
        "2952.95",
        "3112213871512341812345100",
        "74893.11220 13871.512342 18123.451009 1 52220000295295",
    ),
]


@pytest.mark.parametrize(("agreement", "sequence", "due", "amount", "free", "line"), CASES)
def test_published_free_fields_and_lines(
    agreement: BankAgreement, sequence: int, due: date, amount: str, free: str, line: str | None
) -> None:
    money = Money.of(amount, "BRL")
    nosso = agreement.nosso_numero(sequence, issued_on=ISSUED)
    campo_livre = agreement.campo_livre(nosso, has_amount=money.is_positive())
    assert campo_livre == free
    code = boleto_code(agreement.bank_code, due, money, campo_livre)
    if line is not None:
        assert code.formatted_line == line


@pytest.mark.parametrize(
    ("agreement", "sequence", "display"),
    [
        (BancoDoBrasil("4042", "61900", "12387989"), 4042, "12387989000004042"),
        (BancoDoBrasil("4042", "61900", "1238798"), 1, "12387980000000001"),
        (BancoDoBrasil("4042", "61900", "123879"), 1234, "12387901234-5"),
        (Itau("0810", "53678", "175"), 12345678, "175/12345678-4"),
        (Itau("0607", "15255", "175"), 12345678, "175/12345678-4"),
        (Itau("0810", "53678", "175"), 15448, "175/00015448-6"),
        (Itau("0810", "53678", "175"), 258281, "175/00258281-7"),
        (Bradesco("4042", "61900", "06"), 525, "06/00000000525-P"),
        (Bradesco("4042", "61900", "09"), 1, "09/00000000001-1"),
        (Bradesco("4042", "61900", "19"), 2, "19/00000000002-8"),
        (Bradesco("4042", "61900", "19"), 6, "19/00000000006-0"),
        (Bradesco("4042", "61900", "19"), 1, "19/00000000001-P"),
        (Santander("0059", "1899775"), 566612457800, "566612457800-2"),
        (Santander("0059", "1899775"), 90002720, "000090002720-7"),
        (Santander("0059", "1899775"), 1961005, "000001961005-0"),
        (Caixa("1825", "245274"), 1, "14000000000000001-4"),
        (Sicredi("1234", "18", "12345"), 13871, "12/213871-5"),
    ],
)
def test_published_nosso_numeros(agreement: BankAgreement, sequence: int, display: str) -> None:
    assert agreement.nosso_numero(sequence, issued_on=ISSUED).display == display


def test_sicoob_dv_sequence_from_the_manual_example() -> None:
    sicoob = Sicoob("4327", "229385")
    dvs = "".join(sicoob.nosso_numero(n).dv for n in range(1, 14))
    assert dvs == "7419630853085"


def test_beneficiary_codes_as_printed() -> None:
    assert BancoDoBrasil("4042", "61900", "12387989").beneficiary_code() == "4042-8 / 00061900-0"
    assert BancoDoBrasil("0548", "1448", "12387989").beneficiary_code() == "0548-7 / 00001448-6"
    assert Bradesco("4042", "61900").beneficiary_code() == "4042-8 / 0061900-0"
    assert Itau("0811", "53678").beneficiary_code() == "0811 / 53678-8"
    assert Itau("1547", "85547").beneficiary_code() == "1547 / 85547-6"
    assert Caixa("2030", "654321").beneficiary_code() == "2030 / 654321-9"
    assert Sicredi("1234", "18", "12345").beneficiary_code() == "1234.18.12345"


def test_itau_carteiras_whose_dac_ignores_agency_and_account() -> None:
    # Itaú's manual: carteiras 126, 131, 146, 150 and 168 take only carteira + nosso número.
    for carteira in ("126", "131", "146", "150", "168"):
        a = Itau("0810", "53678", carteira).nosso_numero(258281)
        b = Itau("1547", "85547", carteira).nosso_numero(258281)
        assert a.dv == b.dv
    assert (
        Itau("0810", "53678", "109").nosso_numero(258281).dv
        != Itau("1547", "85547", "109").nosso_numero(258281).dv
    )


def test_itau_special_carteiras_are_refused() -> None:
    with pytest.raises(BoletoError, match="198"):
        Itau("0810", "53678", "198")


def test_banco_do_brasil_free_17_digit_needs_carteira_16_or_18() -> None:
    with pytest.raises(BoletoError, match="16 or 18"):
        BancoDoBrasil("4042", "61900", "123879", carteira="17", nosso_numero_livre=True)
    with pytest.raises(BoletoError, match="4, 6, 7 or 8"):
        BancoDoBrasil("4042", "61900", "12345")


def test_sicredi_needs_the_issue_date() -> None:
    with pytest.raises(BoletoError, match="issue date"):
        Sicredi("1234", "18", "12345").nosso_numero(1)


def test_sicredi_free_field_flags_a_missing_amount() -> None:
    sicredi = Sicredi("1234", "18", "12345")
    nosso = sicredi.nosso_numero(1, issued_on=ISSUED)
    with_amount = sicredi.campo_livre(nosso, has_amount=True)
    without = sicredi.campo_livre(nosso, has_amount=False)
    assert with_amount[22] == "1" and without[22] == "0"


class TestSequence:
    def test_first_and_next(self) -> None:
        caixa = Caixa("1825", "245274")
        assert next_nosso_numero(caixa, None).sequence == 1
        assert next_nosso_numero(caixa, 41).display == caixa.nosso_numero(42).display

    def test_exhausted_range(self) -> None:
        sicoob = Sicoob("4327", "229385")
        with pytest.raises(BoletoError, match="exceeds"):
            next_nosso_numero(sicoob, 9_999_999)

    def test_zero_is_refused(self) -> None:
        with pytest.raises(BoletoError):
            Itau("0810", "53678").nosso_numero(0)


AGREEMENTS: list[BankAgreement] = [
    BancoDoBrasil("4042", "61900", "1238"),
    BancoDoBrasil("4042", "61900", "123879"),
    BancoDoBrasil("4042", "61900", "1238798"),
    Itau("0810", "53678", "109"),
    Itau("0810", "53678", "168"),
    Bradesco("1172", "0403005", "09"),
    Santander("0059", "1899775"),
    Caixa("1825", "245274"),
    Sicoob("4327", "229385"),
    Sicredi("1234", "18", "12345"),
]


@given(st.sampled_from(AGREEMENTS), st.integers(min_value=1, max_value=99_999))
def test_validate_accepts_every_generated_number(agreement: BankAgreement, sequence: int) -> None:
    nosso = agreement.nosso_numero(sequence, issued_on=ISSUED)
    assert validate_nosso_numero(agreement, nosso.display) == nosso
    free = agreement.campo_livre(nosso)
    assert len(free) == 25 and free.isdigit()


@given(
    st.sampled_from([a for a in AGREEMENTS if not isinstance(a, BancoDoBrasil) or len(a.convenio) < 7]),
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from("0123456789PX"),
)
def test_validate_refuses_a_wrong_check_digit(agreement: BankAgreement, sequence: int, dv: str) -> None:
    nosso = agreement.nosso_numero(sequence, issued_on=ISSUED)
    if dv == nosso.dv:
        return
    with pytest.raises(BoletoError):
        validate_nosso_numero(agreement, nosso.display[:-1] + dv)
