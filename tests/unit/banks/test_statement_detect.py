"""Format detection from content, hints, and the dispatcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.adapters.banks.statements import detect_format, parse_statement
from app.adapters.banks.statements.detect import format_from_hint
from app.domain.settlement.statements import StatementFormat

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statements"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("camt053_v08_pix_batch.xml", StatementFormat.CAMT053),
        ("camt054_v02_notification.xml", StatementFormat.CAMT054),
        ("ofx_sgml_latin1_quirky.ofx", StatementFormat.OFX),
        ("ofx_sgml_bb_wellformed.ofx", StatementFormat.OFX),
        ("ofx2_xml.ofx", StatementFormat.OFX),
        ("mt940_structured.sta", StatementFormat.MT940),
        ("bai2_multi_funds.bai", StatementFormat.BAI2),
        ("csv_ptbr_itau_latin1.csv", StatementFormat.CSV),
        ("csv_en_bom.csv", StatementFormat.CSV),
    ],
)
def test_detects_every_fixture(name: str, expected: StatementFormat) -> None:
    data = (FIXTURES / name).read_bytes()
    assert detect_format(data) is expected
    assert parse_statement(data).format is expected


def test_mt940_without_envelope() -> None:
    assert (
        detect_format(b"\r\n:20:X\r\n:25:ACC\r\n:28C:1\r\n:60F:C240101EUR1,00\r\n") is StatementFormat.MT940
    )


def test_hints() -> None:
    assert format_from_hint(".CAMT") is StatementFormat.CAMT053
    assert format_from_hint("bai2") is StatementFormat.BAI2
    with pytest.raises(ValueError, match="unknown statement format"):
        format_from_hint("pdf")


def test_hint_overrides_detection() -> None:
    data = (FIXTURES / "csv_es.csv").read_bytes()
    st = parse_statement(data, hint="mt940")
    assert st.format is StatementFormat.MT940
    assert st.lines == () and st.errors
