"""The correction queue's errors read in the user's language, with their figures, and
the search box's amounts read the local way.

The stored texts come from the code that writes them (``decide_return_record``, the
statement runner, the payment replay check), so a changed wording there fails here
instead of quietly falling back to a figure-less sentence on the page.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from app.adapters.db.repositories.settlement_statements import UNKNOWN_ACCOUNT_MESSAGE
from app.domain.settlement.service import (
    InstallmentRef,
    QueueReason,
    RecordDecision,
    decide_return_record,
    record_from_fields,
)
from app.domain.shared.money import Money
from app.web.correction_queue_pages import amount_of
from app.web.i18n import CATALOGUE
from app.web.queue_errors import queue_error, sentences


def _decide(
    *, account_known: bool = True, installment: InstallmentRef | None = None, **fields: Any
) -> RecordDecision:
    record = record_from_fields(
        7, "raw", {"outcome": "settled", "nosso_numero": "12345670009999002", "paid": "1500.00", **fields}
    )
    return decide_return_record(
        record, key="k", account_known=account_known, installment=installment, received_on=date(2026, 11, 2)
    )


def _installment(face: str, currency: str = "BRL") -> InstallmentRef:
    value = Money.of(face, currency)
    return InstallmentRef(uuid.uuid4(), uuid.uuid4(), value, value, date(2026, 11, 1))


def _shown(decision: RecordDecision, locale: str) -> str:
    assert decision.reason is not None
    return queue_error(decision.reason.value, decision.message, locale)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pt-BR", "Nenhuma parcela tem o nosso número 12345670009999002."),
        ("es-MX", "Ninguna parcialidad tiene la referencia bancaria 12345670009999002."),
        ("en-US", "No installment has nosso número 12345670009999002."),
    ],
)
def test_unknown_nosso_numero_names_the_number(locale: str, expected: str) -> None:
    assert _shown(_decide(), locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("pt-BR", "O título no banco é de R$ 1.500,00; a parcela, de R$ 1.234,50."),
        ("es-MX", "El título en el banco es de BRL1,500.00; la parcialidad, de BRL1,234.50."),
    ],
)
def test_amount_mismatch_shows_both_amounts_as_money(locale: str, expected: str) -> None:
    decision = _decide(face_value="1500.00", installment=_installment("1234.50"))
    assert decision.reason is QueueReason.AMOUNT_MISMATCH
    assert _shown(decision, locale).replace("\xa0", " ") == expected


def test_each_wording_the_processing_writes_is_read_with_its_figures() -> None:
    shown = {
        "occurrence": _shown(_decide(outcome="unknown", occurrence_code="99"), "pt-BR"),
        "account": _shown(_decide(account_known=False), "pt-BR"),
        "blank": _shown(_decide(nosso_numero="   "), "pt-BR"),
        "currency": _shown(_decide(installment=_installment("10.00", "USD")), "es-MX"),
        "unpaid": _shown(_decide(face_value="10.00", paid="0", installment=_installment("10.00")), "pt-BR"),
    }
    assert shown == {
        "occurrence": "O banco enviou o código de ocorrência 99, que não está mapeado.",
        "account": "A conta bancária indicada no arquivo não está cadastrada.",
        "blank": "O registro não tem nosso número.",
        "currency": "La parcialidad está en USD; el banco pagó en BRL.",
        "unpaid": "O banco liquidou o título sem valor pago.",
    }
    statement = queue_error(QueueReason.UNKNOWN_ACCOUNT.value, UNKNOWN_ACCOUNT_MESSAGE, "es-MX")
    assert statement == "La cuenta bancaria indicada en el archivo no está registrada."


def test_wordings_written_outside_the_decision() -> None:
    # settlement_batches: several installments carry the record's nosso número.
    shared = queue_error("unknown_nosso_numero", "1200 installments share nosso número 0042", "pt-BR")
    assert shared == "1.200 parcelas têm o mesmo nosso número 0042."
    # receivables.service.replay_conflict, stored by the batch as a key conflict.
    conflict = queue_error(
        "key_conflict",
        "external_id 'bank_return:001:x:42:06:2026-11-01:1000' was already recorded with another amount or date",
        "es-MX",
    )
    assert conflict == "Un pago con la clave de este registro ya se registró con otro importe o fecha."


def test_unknown_wordings_and_codes_fall_back() -> None:
    # A known code with a wording this version does not know: the code's sentence.
    assert (
        queue_error("amount_mismatch", "some older text", "pt-BR")
        == "O valor do banco não confere com o da parcela."
    )
    # A code without a sentence: the stored text, as stored.
    assert queue_error("bank_said_no", "rejected by the bank: 17", "pt-BR") == "rejected by the bank: 17"
    assert queue_error(None, None, "pt-BR") == ""


def test_every_sentence_has_its_translations() -> None:
    assert [s for s in sentences() if s not in CATALOGUE] == []


@pytest.mark.parametrize(
    ("term", "locale", "expected"),
    [
        ("1.234,56", "pt-BR", "1234.56"),
        ("R$ 1.234,56", "pt-BR", "1234.56"),
        ("150", "pt-BR", "150.00"),
        ("150,5", "pt-BR", "150.50"),
        ("1,234.56", "es-MX", "1234.56"),
        ("$1,234.56", "es-MX", "1234.56"),
        # Not amounts: an invoice number, a nosso número, a name, nothing, a negative.
        ("NF-000123", "pt-BR", None),
        ("12345670009999002", "pt-BR", None),
        ("Padaria", "pt-BR", None),
        ("", "pt-BR", None),
        ("0,00", "pt-BR", None),
    ],
)
def test_amounts_are_read_the_local_way(term: str, locale: str, expected: str | None) -> None:
    found = amount_of(term, locale, "BRL")
    assert (str(found.amount) if found else None) == expected
