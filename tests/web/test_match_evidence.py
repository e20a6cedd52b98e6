"""Why a candidate was suggested, as the pages say it: the matcher's English evidence
read back into pt-BR, es-MX and en-US with the locale's money, dates and counts, and
the candidate's installments as people know them."""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from app.domain.settlement import match_evidence as said
from app.domain.shared.money import Money
from app.web.cash_candidates import candidates
from app.web.match_evidence import evidence_lines, evidence_text


def _brl(*amounts: str) -> tuple[Money, ...]:
    return tuple(Money.of(a, "BRL") for a in amounts)


# The demo's credit, as the statement runner stored it.
STORED = [
    {"kind": "amount_exact", "weight": 0.8, "detail": "120.55 BRL equals the open amount"},
    {
        "kind": "invoice_order",
        "weight": 0.5,
        "detail": "no earlier installment of the same invoice is left open",
    },
    {"kind": "date_proximity", "weight": 0.5, "detail": "paid 0 day(s) from the due date"},
]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "pt-BR",
            [
                "R$ 120,55 é exatamente o saldo em aberto",
                "nenhuma parcela anterior da mesma fatura fica em aberto",
                "pago no dia do vencimento",
            ],
        ),
        (
            "es-MX",
            [
                "BRL120.55 es exactamente el saldo pendiente",
                "ninguna parcialidad anterior de la misma factura queda pendiente",
                "pagado el día del vencimiento",
            ],
        ),
        (
            "en-US",
            [
                "R$120.55 equals the open amount",
                "no earlier installment of the same invoice is left open",
                "paid on the due date",
            ],
        ),
    ],
)
def test_stored_evidence_reads_in_the_locale(locale: str, expected: list[str]) -> None:
    lines = evidence_lines(STORED, locale)
    assert [line.text for line in lines] == expected
    # The weight is no part of the sentence; the tooltip reads it as a share.
    assert all("0.80" not in line.text and "+" not in line.text for line in lines)
    assert (
        lines[0].label == {"pt-BR": "valor exato", "es-MX": "importe exacto", "en-US": "exact amount"}[locale]
    )


def test_the_weight_is_a_tooltip_and_a_zero_weight_is_a_point_against() -> None:
    exact, *_ = evidence_lines(STORED, "pt-BR")
    assert exact.hint == "sozinho, daria 80,0% de confiança" and not exact.against
    (short,) = evidence_lines(
        [
            {
                "kind": "short_payment",
                "weight": 0.0,
                "detail": said.short(*_brl("600.00", "400.00", "1000.00")),
            }
        ],
        "es-MX",
    )
    assert short.against and short.hint == "un punto en contra: no suma confianza"
    assert short.text == "a BRL600.00 le faltan BRL400.00 para BRL1,000.00"


@pytest.mark.parametrize(
    ("kind", "detail", "locale", "expected"),
    [
        ("date_proximity", said.date_gap(1), "pt-BR", "pago a 1 dia do vencimento"),
        ("date_proximity", said.date_gap(12), "es-MX", "pagado a 12 días del vencimiento"),
        ("payer_history", said.paid_before(1), "pt-BR", "este pagador já pagou por este cliente uma vez"),
        (
            "payer_history",
            said.paid_before(1200),
            "pt-BR",
            "este pagador já pagou por este cliente 1.200 vezes",
        ),
        (
            "payer_tax_id",
            said.payer_is_customer("11222333000181"),
            "pt-BR",
            "o pagador 11.222.333/0001-81 é este cliente",
        ),
        (
            "payer_group",
            said.payer_group("11222333000262", "11222333"),
            "es-MX",
            "el pagador 11.222.333/0002-62 comparte con este cliente la raíz de CNPJ 11.222.333",
        ),
        (
            "duplicate_suspect",
            said.duplicate(Money.of("400.00", "BRL"), date(2025, 3, 10)),
            "pt-BR",
            "um crédito de R$ 400,00 com as mesmas referências chegou em 10 de mar. de 2025",
        ),
        (
            "amount_with_late_charges",
            said.with_charges(*_brl("1031.67", "1031.67"), 2),
            "pt-BR",
            "R$ 1.031,67 é exatamente a soma dos saldos das 2 parcelas mais multa e juros",
        ),
        (
            "amount_with_discount",
            said.with_discount(*_brl("189.95", "190.00"), 1),
            "es-MX",
            "BRL189.95 coincide con BRL190.00: el saldo menos el descuento por pronto pago",
        ),
        (
            "document_number",
            said.named_in_text("123456", "PGTO NF 123456-1"),
            "es-MX",
            "123456 aparece en “PGTO NF 123456-1”",
        ),
    ],
)
def test_figures_and_counts_read_in_the_locale(kind: str, detail: str, locale: str, expected: str) -> None:
    assert evidence_text(kind, detail, locale) == expected


def test_oldest_first_says_one_or_several_installments() -> None:
    one = evidence_text("oldest_first", said.OLDEST_FIRST, "pt-BR", installments=1)
    two = evidence_text("oldest_first", said.OLDEST_FIRST, "pt-BR", installments=2)
    assert (one, two) == (
        "a parcela em aberto mais antiga do cliente",
        "as parcelas em aberto mais antigas do cliente",
    )


def test_evidence_it_cannot_read_is_shown_as_stored() -> None:
    odd = [
        {"kind": "amount_exact", "weight": 0.8, "detail": "an older wording of 120.55 BRL"},
        {"kind": "a_future_signal", "detail": "something new"},
        {"kind": "payer_name"},
    ]
    lines = evidence_lines(odd, "pt-BR")
    assert [(x.label, x.text, x.hint) for x in lines] == [
        ("valor exato", "an older wording of 120.55 BRL", "sozinho, daria 80,0% de confiança"),
        ("a_future_signal", "something new", ""),
        ("nome do pagador", "", ""),
    ]


def _row(**kw: Any) -> SimpleNamespace:
    base: dict[str, Any] = {
        "id": uuid.uuid4(),
        "invoice_id": uuid.uuid4(),
        "customer_id": uuid.uuid4(),
        "number_index": 2,
        "number_count": 3,
        "due_date": date(2025, 1, 10),
        "currency": "BRL",
        "open_minor": 100000,
        "status": "open",
        "invoice_number": "NF-4521",
        "customer_name": "Mercado Bom Preço Ltda",
    }
    base.update(kw)
    return SimpleNamespace(**base)


def _proposal(row: Any, amount: str, *signals: dict[str, Any], unapplied: str = "0.00") -> dict[str, Any]:
    return {
        "customer_id": str(row.customer_id),
        "installment_ids": [str(row.id)],
        "confidence": 0.9469,
        "signals": list(signals),
        "allocations": [{"installment_id": str(row.id), "amount": amount}],
        "unapplied": unapplied,
    }


def test_a_candidate_names_its_installments_and_the_late_charges_it_would_book() -> None:
    late = _row()
    charged = {"kind": "amount_with_late_charges", "weight": 0.75, "detail": "…"}
    (c,) = candidates([_proposal(late, "1031.67", charged)], {str(late.id): late}, "BRL", "pt-BR")
    assert (c.confidence, c.customer_name, c.customer_id) == (
        "94,7%",
        "Mercado Bom Preço Ltda",
        str(late.customer_id),
    )
    (t,) = c.targets
    assert (t.invoice_number, t.number, t.due_date, t.open_amount) == (
        "NF-4521",
        "2/3",
        date(2025, 1, 10),
        Money.of("1000.00", "BRL"),
    )
    assert t.charges == Money.of("31.67", "BRL") and c.has_charges


def test_more_than_is_open_without_late_charges_is_no_charge() -> None:
    # Paid in part since the match: the candidate is stale, not charging anything.
    partly = _row(open_minor=50000)
    exact = {"kind": "amount_exact", "weight": 0.8, "detail": "1000.00 BRL equals the open amount"}
    (c,) = candidates(
        [_proposal(partly, "1000.00", exact, unapplied="20.00")], {str(partly.id): partly}, "BRL", "es-MX"
    )
    assert not c.has_charges and c.targets[0].charges is None
    assert c.unapplied == Money.of("20.00", "BRL")


def test_a_settled_or_missing_installment_is_said_so() -> None:
    paid = _row(open_minor=0, status="paid")
    gone = _row()
    props = [_proposal(paid, "1000.00"), _proposal(gone, "1000.00")]
    first, second = candidates(props, {str(paid.id): paid}, "BRL", "pt-BR")
    assert first.targets[0].settled and first.targets[0].status == "paid"
    assert not second.targets[0].found and second.customer_name == ""
    assert second.targets[0].applies == Money.of("1000.00", "BRL")


def test_every_signal_has_a_name_in_words() -> None:
    from app.domain.settlement.matching_scoring import SignalKind
    from app.web.match_evidence import LABELS

    assert set(LABELS) == {k.value for k in SignalKind}
