"""Occurrence codes mean what each bank's manual says, per (bank, layout)."""

from __future__ import annotations

from datetime import date

import pytest

from app.adapters.banks.cnab import parse_return
from app.adapters.banks.cnab.generate import SAMPLE_ACCOUNT, ReturnTitle, return_240_bytes
from app.adapters.banks.cnab.occurrences import TABLES, table_for
from app.domain.settlement.bank_files import Outcome, SettlementKind

OC = Outcome
SK = SettlementKind


@pytest.mark.parametrize(
    ("bank", "layout", "code", "outcome", "kind"),
    [
        ("001", "cnab240", "02", OC.REGISTERED, None),
        ("001", "cnab240", "06", OC.SETTLED, SK.NORMAL),
        ("001", "cnab240", "17", OC.SETTLED, SK.AFTER_WRITE_OFF),
        ("001", "cnab240", "25", OC.PROTESTED, None),
        ("001", "cnab240", "28", OC.FEE_CHARGED, None),
        ("748", "cnab240", "36", OC.REJECTED, None),  # Sicredi: baixa rejeitada
        ("756", "cnab240", "36", OC.OTHER, None),  # FEBRABAN: e-mail/SMS sent
        ("341", "cnab400", "08", OC.SETTLED, SK.AT_NOTARY),
        ("341", "cnab400", "07", OC.SETTLED, SK.PARTIAL),
        ("341", "cnab400", "25", OC.OTHER, None),  # alegações do pagador
        ("341", "cnab400", "32", OC.PROTESTED, None),
        ("033", "cnab400", "25", OC.PROTEST_REQUESTED, None),
        ("033", "cnab400", "15", OC.PROTESTED, None),
        ("237", "cnab400", "15", OC.SETTLED, SK.AT_NOTARY),
        ("237", "cnab400", "17", OC.SETTLED, SK.AFTER_WRITE_OFF),
        ("001", "cnab400", "07", OC.SETTLED, SK.ON_ACCOUNT),
        ("001", "cnab400", "14", OC.DUE_DATE_CHANGED, None),
        ("041", "cnab400", "12", OC.REBATE_GRANTED, None),
        ("104", "cnab240", "24", OC.PROTEST_WITHDRAWN, None),
    ],
)
def test_per_bank_meaning(
    bank: str, layout: str, code: str, outcome: Outcome, kind: SettlementKind | None
) -> None:
    occ = table_for(bank, layout)[code]
    assert occ.outcome is outcome
    assert occ.settlement is kind
    assert occ.description


def test_no_global_table_and_no_table_for_unknown_banks() -> None:
    assert table_for("070", "cnab400") == {}
    assert table_for("341", "cnab400") is not table_for("237", "cnab400")
    for (_, _), table in TABLES.items():
        for code, occ in table.items():
            assert len(code) == 2 and code.isdigit()
            assert (occ.settlement is not None) == (occ.outcome is Outcome.SETTLED)


def _one(code: str, reasons: str = "") -> ReturnTitle:
    return ReturnTitle(
        nosso_numero="123",
        seu_numero="A",
        due_date=date(2025, 1, 10),
        face_value_minor=1000,
        occurrence_code=code,
        paid_minor=600 if code == "06" else 0,
        occurrence_date=date(2025, 1, 10),
        reasons=reasons,
    )


def test_febraban_motivo_qualifies_a_liquidation() -> None:
    [r] = parse_return(return_240_bytes(SAMPLE_ACCOUNT, [_one("06", "02")])).records
    assert (r.outcome, r.settlement_kind, r.reason_codes) == (OC.SETTLED, SK.ON_ACCOUNT, ("02",))
    assert r.amount_paid is not None and r.amount_paid.minor == 600


def test_rejection_keeps_up_to_five_reason_codes() -> None:
    [r] = parse_return(return_240_bytes(SAMPLE_ACCOUNT, [_one("03", "0810AB  00")])).records
    assert r.outcome is OC.REJECTED
    assert r.reason_codes == ("08", "10", "AB")
    assert r.amount_paid is None
    assert r.payment_date is None


def test_unknown_code_is_reported_once_per_record() -> None:
    p = parse_return(return_240_bytes(SAMPLE_ACCOUNT, [_one("99"), _one("99")]))
    assert [r.outcome for r in p.records] == [OC.UNKNOWN, OC.UNKNOWN]
    assert [(e.line_no, e.field) for e in p.errors] == [(3, "occurrence_code"), (5, "occurrence_code")]
    assert p.records[0].occurrence_code == "99"
