"""Tolerance to real-file quirks, and clear errors for broken files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.adapters.banks.cnab import detect_header, iter_lines, iter_records, parse_return, split_lines
from app.adapters.banks.cnab.detect import NotACnabFile
from app.adapters.banks.cnab.generate import (
    SAMPLE_ACCOUNT,
    ReturnTitle,
    generate_return_240,
    return_240_bytes,
)
from app.domain.settlement.bank_files import Outcome


def _titles(n: int = 3) -> list[ReturnTitle]:
    return [
        ReturnTitle(
            nosso_numero=f"{i:017d}",
            seu_numero=f"NF{i}",
            due_date=date(2025, 3, 10),
            face_value_minor=10_000 + i,
            occurrence_code="06",
            paid_minor=10_000 + i,
            occurrence_date=date(2025, 3, 10),
            credit_date=date(2025, 3, 11),
            payer_name="JOSÉ DA CONCEIÇÃO",
        )
        for i in range(1, n + 1)
    ]


def _lines(n: int = 3) -> list[str]:
    return list(generate_return_240(SAMPLE_ACCOUNT, _titles(n)))


def _ok(data: bytes | str, n: int = 3) -> None:
    p = parse_return(data)
    assert p.is_structurally_valid, p.errors
    assert [e for e in p.errors if e.severity == "error"] == []
    assert len(p.records) == n
    assert p.settled_amount.amount == Decimal("300.06")


def test_generated_file_is_clean() -> None:
    _ok(return_240_bytes(SAMPLE_ACCOUNT, _titles()))


@pytest.mark.parametrize("eol", ["\r\n", "\n", "\r"])
def test_line_endings(eol: str) -> None:
    _ok(eol.join(_lines()).encode("latin-1") + eol.encode())


def test_mixed_line_endings_and_no_final_newline() -> None:
    lines = _lines()
    text = lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\r" + "\n".join(lines[3:])
    _ok(text.encode("latin-1"))


def test_trailing_spaces_stripped_are_padded_back() -> None:
    _ok("\n".join(line.rstrip() for line in _lines()).encode("latin-1"))


def test_ctrl_z_end_of_file_marker_and_blank_lines() -> None:
    data = ("\r\n".join(_lines()) + "\r\n\r\n\x1a").encode("latin-1")
    _ok(data)
    _ok(data.replace(b"\r\n", b"\r\n   \r\n", 1))


def test_latin1_names_decode_and_never_crash_on_bytes() -> None:
    p = parse_return(return_240_bytes(SAMPLE_ACCOUNT, _titles()))
    assert p.records[0].payer_name == "JOSÉ DA CONCEIÇÃO"
    # Bytes that are not valid UTF-8 anywhere in an alpha field are fine too.
    raw = bytearray(return_240_bytes(SAMPLE_ACCOUNT, _titles()))
    i = raw.index(b"JOS")
    raw[i : i + 3] = b"\x85\x9c\xff"
    assert len(parse_return(bytes(raw)).records) == 3


def test_streaming_over_chunks_matches_whole_file() -> None:
    data = ("\r\n".join(_lines(7)) + "\r\n").encode("latin-1")
    chunks = [data[i : i + 97] for i in range(0, len(data), 97)]  # splits CRLFs across chunks
    stream = iter_records(iter_lines(chunks))
    streamed = list(stream)
    assert streamed == parse_return(data).records
    assert stream.errors == []


def test_detection_reads_layout_bank_and_direction() -> None:
    d = detect_header(_lines()[0])
    assert (d.layout, d.width, d.bank_code, d.kind) == ("cnab240", 240, "001", "return")
    d400 = detect_header("02RETORNO01COBRANCA".ljust(76) + "341BANCO ITAU SA".ljust(324))
    assert (d400.layout, d400.bank_code, d400.kind) == ("cnab400", "341", "return")
    with pytest.raises(NotACnabFile):
        detect_header("hello world")
    with pytest.raises(NotACnabFile, match="UTF-16"):
        detect_header("\x00".join("02RETORNO"))


# --- structural errors --------------------------------------------------------


def test_truncated_file_reports_missing_trailers() -> None:
    p = parse_return("\r\n".join(_lines()[:-2]))
    assert {e.field for e in p.errors} == {"lot_trailer", "file_trailer"}
    assert not p.is_structurally_valid
    assert len(p.records) == 3  # what was readable is still returned


def test_truncated_in_the_middle_of_a_title() -> None:
    lines = _lines()
    p = parse_return("\n".join(lines[:5]))  # header, lot header, T, U, T
    assert [e.field for e in p.errors][:1] == ["segmento"]
    assert p.errors[0].line_no == 5


def test_line_longer_than_the_width_is_an_error_with_its_number() -> None:
    lines = _lines()
    lines[3] += "X"
    p = parse_return("\n".join(lines))
    [err] = [e for e in p.errors if e.field == "line"]
    assert err.line_no == 4
    assert "241" in err.message
    assert not p.is_structurally_valid


def test_non_digit_amount_is_a_per_record_error() -> None:
    lines = _lines()
    u = lines[3]
    lines[3] = u[:80] + "12A45" + u[85:]  # inside valor_pago (78-92)
    p = parse_return("\n".join(lines))
    assert [(e.line_no, e.field) for e in p.errors] == [(4, "valor_pago")]
    assert len(p.records) == 2


def test_blank_amounts_read_as_zero() -> None:
    lines = _lines()
    u = lines[3]
    lines[3] = u[:107] + " " * 30 + u[137:]  # outras despesas + outros créditos left blank
    p = parse_return("\n".join(lines))
    assert p.is_structurally_valid
    assert p.records[0].other_credits_minor == 0


def test_impossible_date_is_an_error() -> None:
    lines = _lines()
    t = lines[2]
    lines[2] = t[:73] + "31022025" + t[81:]
    p = parse_return("\n".join(lines))
    assert [(e.line_no, e.field) for e in p.errors] == [(3, "vencimento")]


def test_bad_file_trailer_count() -> None:
    lines = _lines()
    lines[-1] = lines[-1][:23] + "000099" + lines[-1][29:]
    p = parse_return("\n".join(lines))
    [err] = p.errors
    assert (err.field, err.line_no) == ("quantidade_registros", len(lines))


def test_bad_lot_trailer_totals() -> None:
    lines = _lines()
    lines[-2] = lines[-2][:29] + "00000000000099999" + lines[-2][46:]
    p = parse_return("\n".join(lines))
    assert [e.field for e in p.errors] == ["totals_simple"]


def test_no_header_and_other_layouts() -> None:
    assert parse_return(b"").errors[0].field == "file"
    p = parse_return("\n".join(_lines()[1:]))
    assert p.errors[0].field == "header"
    assert not p.is_structurally_valid
    # A CNAB 400 line inside a CNAB 240 file is "too long", never silently cut.
    lines = _lines()
    lines.insert(2, "1" * 400)
    assert any(e.field == "line" and e.line_no == 3 for e in parse_return("\n".join(lines)).errors)


def test_remittance_given_to_the_return_parser() -> None:
    header = _lines()[0]
    lines = [header[:142] + "1" + header[143:], *_lines()[1:]]
    p = parse_return("\n".join(lines))
    assert p.kind == "remittance"
    assert p.errors[0].field == "codigo_remessa_retorno"


def test_split_lines_keeps_line_numbers() -> None:
    assert split_lines(b"a\r\n\r\nb\rc\n") == ["a", "", "b", "c"]
    assert split_lines("x\x1ajunk") == ["x"]


def test_occurrence_description_and_outcome_on_records() -> None:
    p = parse_return(return_240_bytes(SAMPLE_ACCOUNT, _titles(1)))
    r = p.records[0]
    assert (r.outcome, r.occurrence_description) == (Outcome.SETTLED, "Liquidação")
