"""Remittance files: exact widths and trailers, fixtures read back, and write → read round trips."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.banks.cnab.detect import NotACnabFile
from app.adapters.banks.cnab.remittance import RemittanceError, read_remittance, write_remittance
from app.domain.settlement.bank_files import (
    BankAccountRef,
    Instruction,
    InstructionKind,
    Payer,
    RemittanceTitle,
)

AT = datetime(2025, 2, 3, 14, 5, 6)
ACCOUNT = BankAccountRef(
    "756", "04327", "1", "000000003666", "9", "CONV123", "1", "12345678000195", "EMPRESA LTDA"
)
TITLE = RemittanceTitle(
    nosso_numero="42971501014",
    seu_numero="NF000123",
    due_date=date(2025, 3, 10),
    issue_date=date(2025, 2, 3),
    face_value_minor=19_990,
    payer=Payer("12345678901", "JOÃO DA SILVA", "RUA UM 1", "CENTRO", "01001000", "SÃO PAULO", "SP"),
    interest_per_day_minor=7,
    fine_minor=400,
    fine_date=date(2025, 3, 11),
)


def test_240_widths_crlf_sequences_and_trailers() -> None:
    data = write_remittance(
        ACCOUNT, [Instruction(InstructionKind.REGISTER, TITLE)] * 2, file_sequence=42, generated_at=AT
    )
    assert data.endswith(b"\r\n")
    lines = data.decode("latin-1").split("\r\n")[:-1]
    assert all(len(line) == 240 for line in lines)
    assert len(lines) == 10  # header, lot header, 2 × (P, Q, R), lot trailer, trailer
    assert [line[13] for line in lines[2:8]] == ["P", "Q", "R", "P", "Q", "R"]
    assert [int(line[8:13]) for line in lines[2:8]] == [1, 2, 3, 4, 5, 6]
    assert lines[0][142] == "1" and lines[1][8] == "R"
    assert lines[0][157:163] == "000042"
    assert lines[-2][17:23] == "000008"  # lot: header + 6 + trailer
    assert lines[-2][23:29] == "000002" and lines[-2][29:46] == f"{39_980:017d}"
    assert lines[-1][17:29] == "000001000010"
    assert lines[2][85:100] == "000000000019990"
    assert "JOÃO DA SILVA".encode("latin-1") in data


def test_instruction_codes_240() -> None:
    kinds = list(InstructionKind)
    data = write_remittance(ACCOUNT, [Instruction(k, TITLE) for k in kinds], file_sequence=1, generated_at=AT)
    p_lines = [line for line in data.decode("latin-1").split("\r\n") if line[13:14] == "P"]
    assert [line[15:17] for line in p_lines] == ["01", "02", "06", "04", "05", "07", "09", "11"]


def test_unwritable_cases_are_refused() -> None:
    santander = BankAccountRef("033", "1", "", "2", "", "3", "1", "12345678000195", "X")
    with pytest.raises(RemittanceError, match="033"):
        write_remittance(santander, [], file_sequence=1, generated_at=AT)
    with pytest.raises(RemittanceError, match="valor_titulo"):
        huge = replace(TITLE, face_value_minor=10**16)
        write_remittance(
            ACCOUNT, [Instruction(InstructionKind.REGISTER, huge)], file_sequence=1, generated_at=AT
        )
    itau = BankAccountRef("341", "1234", "", "12345", "6", "", "109", "12345678000195", "X")
    with pytest.raises(RemittanceError, match="fines"):
        write_remittance(itau, [Instruction(InstructionKind.REGISTER, TITLE)], file_sequence=1,
                         generated_at=AT, layout="cnab400")  # fmt: skip
    with pytest.raises(RemittanceError, match="grant_discount"):
        no_fine = replace(TITLE, fine_minor=0, fine_date=None)
        write_remittance(itau, [Instruction(InstructionKind.GRANT_DISCOUNT, no_fine)], file_sequence=1,
                         generated_at=AT, layout="cnab400")  # fmt: skip


# --- fixtures -----------------------------------------------------------------------

FIXTURES = Path("/work/shared/fixtures/banks")
# file → (bank, layout, records, detail records, instructions interpreted)
REMITTANCES = {
    "brcobranca/remessa/remessa-ailos-cnab240.rem": ("085", "cnab240", 7, 3, 1),
    "brcobranca/remessa/remessa-banco-brasil-cnab400.rem": ("001", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-banco-nordeste-cnab400.rem": ("004", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-banco_brasil-cnab240.rem": ("001", "cnab240", 7, 3, 1),
    "brcobranca/remessa/remessa-bancoob-cnab240.rem": ("756", "cnab240", 7, 3, 1),
    "brcobranca/remessa/remessa-banrisul-cnab400.rem": ("041", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-bradesco-cnab400.rem": ("237", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-caixa-cnab240.rem": ("104", "cnab240", 7, 3, 1),
    "brcobranca/remessa/remessa-citibank-cnab400.rem": ("745", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-credisis-cnab400.rem": ("097", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-itau-cnab400.rem": ("341", "cnab400", 4, 2, 1),
    "brcobranca/remessa/remessa-santander-cnab240.rem": ("033", "cnab240", 7, 3, 1),
    "brcobranca/remessa/remessa-santander-cnab400-pix.rem": ("033", "cnab400", 4, 2, 0),
    "brcobranca/remessa/remessa-santander-cnab400.rem": ("033", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-sicoob-cnab400.rem": ("756", "cnab400", 3, 1, 0),
    "brcobranca/remessa/remessa-sicredi-cnab240.rem": ("748", "cnab240", 7, 3, 1),
    "brcobranca/remessa/remessa-unicred-cnab240.rem": ("748", "cnab240", 7, 3, 1),
    "brcobranca/remessa/remessa-unicred-cnab400.rem": ("136", "cnab400", 3, 1, 0),
    "opencnabphp/remessa-test.rem": ("033", "cnab240", 10, 6, 2),
}
# Not CNAB 240/400 at all: BRB's own header, a file without a file header, a
# UTF-16 file glued to a CNAB 240 one, and Itaú's CNAB 444 (lines of 444).
NOT_READABLE = {
    "brcobranca/remessa/remessa-banco-brasilia-cnab400.rem": "not a CNAB 240 or CNAB 400",
    "brcobranca/remessa/remessa-sicoob-correspondente-bb-cnab240.rem": "not a CNAB 240 or CNAB 400",
    "opencnabphp/teste.rem": "UTF-16",
}


def test_every_remittance_fixture_is_listed() -> None:
    found = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.rem")}
    assert found == set(REMITTANCES) | set(NOT_READABLE) | {"brcobranca/remessa/remessa-itau-cnab444.rem"}


@pytest.mark.parametrize("name", sorted(REMITTANCES))
def test_remittance_fixture_reads(name: str) -> None:
    bank, layout, records, details, interpreted = REMITTANCES[name]
    r = read_remittance((FIXTURES / name).read_bytes())
    assert (r.bank_code, r.layout, r.records, r.detail_records) == (bank, layout, records, details)
    assert len(r.instructions) == interpreted
    assert r.errors == ()


def test_remittance_fixture_values_by_hand() -> None:
    r = read_remittance((FIXTURES / "brcobranca/remessa/remessa-banco_brasil-cnab240.rem").read_bytes())
    [ins] = r.instructions
    assert ins.kind is InstructionKind.REGISTER
    assert ins.title.nosso_numero == "12345670000000123"
    assert ins.title.face_value_minor == 19_990
    assert ins.title.payer.tax_id == "12345678901"
    assert (r.account.agency, r.account.account) == ("01234", "000000012345")


@pytest.mark.parametrize("name", sorted(NOT_READABLE))
def test_non_cnab_remittances_fail_clearly(name: str) -> None:
    with pytest.raises(NotACnabFile, match=NOT_READABLE[name]):
        read_remittance((FIXTURES / name).read_bytes())


def test_cnab444_lines_are_reported() -> None:
    r = read_remittance((FIXTURES / "brcobranca/remessa/remessa-itau-cnab444.rem").read_bytes())
    assert [(e.line_no, e.field) for e in r.errors] == [(2, "line")]


# --- round trip ----------------------------------------------------------------------

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ÁÉÍÓÚÃÕÇÂÊÔ.-/&"


def text(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    """Printable Latin-1 text with inner spaces only (fields are blank padded)."""
    words = st.text(ALPHABET, min_size=1, max_size=8)
    return (
        st.lists(words, min_size=min_size, max_size=6)
        .map(" ".join)
        .filter(lambda s: min_size <= len(s) <= max_size)
    )


def numeric(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=size, max_size=size)


dates8 = st.dates(date(2000, 1, 1), date(2099, 12, 31))
dates6 = st.dates(date(1970, 1, 1), date(2069, 12, 31))
tax_ids = st.one_of(numeric(11), numeric(14))


@st.composite
def titles(draw: st.DrawFn, cnab400: bool) -> RemittanceTitle:
    d = dates6 if cnab400 else dates8
    fine = 0 if cnab400 else draw(st.integers(0, 10**13))
    discount = draw(st.integers(0, 10**12))
    return RemittanceTitle(
        nosso_numero=draw(st.text("0123456789", min_size=1, max_size=8 if cnab400 else 20)),
        seu_numero=draw(text(10 if cnab400 else 15, 1)).strip(),
        due_date=draw(d),
        issue_date=draw(d),
        face_value_minor=draw(st.integers(0, 10**13 - 1)),
        payer=Payer(
            tax_id=draw(tax_ids),
            name=draw(text(30 if cnab400 else 40)),
            address=draw(text(40)),
            district=draw(text(12 if cnab400 else 15)),
            zip_code=draw(numeric(8)),
            city=draw(text(15)),
            state=draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)),
        ),
        kind_code=draw(numeric(2)),
        interest_per_day_minor=draw(st.integers(0, 10**12)),
        fine_minor=fine,
        fine_date=draw(d) if fine else None,
        discount_minor=discount,
        discount_date=draw(d) if discount else None,
        rebate_minor=draw(st.integers(0, 10**12)),
        protest_days=draw(st.integers(0, 99)),
    )


@st.composite
def accounts_240(draw: st.DrawFn) -> BankAccountRef:
    bank = draw(st.sampled_from(["001", "085", "104", "136", "237", "341", "748", "756"]))
    caixa = bank == "104"  # Caixa's header has a 6-digit beneficiary code and no account
    return BankAccountRef(
        bank_code=bank,
        agency=draw(numeric(5)),
        agency_digit=draw(st.sampled_from(["", "0", "7", "X"])),
        account="" if caixa else draw(numeric(12)),
        account_digit="" if caixa else draw(st.sampled_from(["", "1", "X"])),
        agreement=draw(numeric(6)) if caixa else draw(st.text("0123456789ABC", max_size=20)),
        wallet=draw(st.sampled_from(["1", "2", "3", "4"])),
        company_tax_id=draw(tax_ids),
        company_name=draw(text(30)),
    )


@st.composite
def accounts_itau(draw: st.DrawFn) -> BankAccountRef:
    return BankAccountRef(
        bank_code="341",
        agency=draw(numeric(4)),
        agency_digit="",
        account=draw(numeric(5)),
        account_digit=draw(numeric(1)),
        agreement="",
        wallet=draw(numeric(3)),
        company_tax_id=draw(tax_ids),
        company_name=draw(text(30)),
    )


ITAU_KINDS = [k for k in InstructionKind if k is not InstructionKind.GRANT_DISCOUNT]


@settings(max_examples=60, deadline=None)
@given(
    account=accounts_240(),
    instructions=st.lists(
        st.builds(Instruction, st.sampled_from(list(InstructionKind)), titles(cnab400=False)), max_size=5
    ),
    seq=st.integers(1, 999_999),
    at=st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)),
)
def test_round_trip_240(
    account: BankAccountRef, instructions: list[Instruction], seq: int, at: datetime
) -> None:
    data = write_remittance(account, instructions, file_sequence=seq, generated_at=at)
    back = read_remittance(data)
    assert back.errors == ()
    assert back.instructions == tuple(instructions)
    assert back.account == (account if instructions else _no_wallet(account))
    assert (back.file_sequence, back.generated_on) == (seq, at.date())


def _no_wallet(account: BankAccountRef) -> BankAccountRef:
    # The carteira travels on each segment P: a file without titles cannot carry it.
    return replace(account, wallet="")


@settings(max_examples=60, deadline=None)
@given(
    account=accounts_itau(),
    instructions=st.lists(
        st.builds(Instruction, st.sampled_from(ITAU_KINDS), titles(cnab400=True)), max_size=5
    ),
    at=st.datetimes(datetime(1970, 1, 1), datetime(2069, 12, 31)),
)
def test_round_trip_itau_400(account: BankAccountRef, instructions: list[Instruction], at: datetime) -> None:
    data = write_remittance(account, instructions, file_sequence=1, generated_at=at, layout="cnab400")
    assert all(len(line) == 400 for line in data.decode("latin-1").split("\r\n")[:-1])
    back = read_remittance(data)
    assert back.errors == ()
    assert back.instructions == tuple(instructions)
    if instructions:
        assert back.account == account
    assert back.generated_on == at.date()
