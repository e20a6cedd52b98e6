"""Why a candidate was suggested, signal by signal, in the reader's language.

The record keeps each signal as the matcher wrote it (kind, weight and an English
detail, ``app.domain.settlement.match_evidence``), and the API returns it so. Here the
detail is parsed back and said again in the locale with its money, dates and counts in
the locale's format. A detail this version does not recognise (an older wording,
another kind) is shown as stored, translated only when the catalogue knows it.

The weight stays out of the sentence: the candidate's confidence already sums it up,
and a reviewer who wants to recompute it finds each weight in the line's tooltip.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.customers.tax_ids import display_tax_id
from app.domain.settlement import match_evidence as said
from app.domain.settlement.matching_scoring import SignalKind
from app.web.format import day, money_text, number, percent
from app.web.i18n import translate

# The matcher's template → how the page says it (an English catalogue key with the
# same placeholders). Templates whose count changes the sentence are in _COUNTED.
_SENTENCES: dict[str, str] = {
    said.BANK_REFERENCE: "the credit carries nosso número {reference}",
    said.PIX_ID: "the credit carries the PIX id {id}",
    said.NAMED_IN_TEXT: "{key} appears in “{remittance}”",
    said.ONE_TYPO: "{key} is one character away from {near}",
    said.PAYER_IS_CUSTOMER: "the payer {tax_id} is this customer",
    said.PAYER_GROUP: "the payer {tax_id} shares the CNPJ root {root} with this customer",
    said.ACCOUNT_ON_FILE: "the payer's account {account} is on file for this customer",
    said.PAYER_NAME: "the payer's name “{name}” matches this customer",
    said.EQUALS_OPEN: "{amount} equals the open amount",
    said.EQUALS_OPEN_OF: "{amount} equals the open amounts of the {count} installments",
    said.WITH_CHARGES: "{amount} matches {expected}: the open amount plus late charges",
    said.WITH_CHARGES_OF: "{amount} matches {expected}: the open amounts of the {count} installments plus late charges",
    said.WITH_DISCOUNT: "{amount} matches {expected}: the open amount less the early-payment discount",
    said.WITH_DISCOUNT_OF: "{amount} matches {expected}: the open amounts of the {count} installments less the early-payment discount",
    said.WITHIN_TOLERANCE: "{amount} is within the tolerance of {expected}",
    said.SHORT: "{amount} is {difference} short of {target}",
    said.OVER: "{amount} is {difference} more than {target}",
    said.INVOICE_ORDER: "no earlier installment of the same invoice is left open",
    said.DUPLICATE: "a credit of {amount} with the same references arrived on {date}",
}


def _times(figures: Mapping[str, str], installments: int) -> str:
    return (
        "this payer paid for this customer once before"
        if figures["times"] == "1"
        else "this payer paid for this customer {times} times before"
    )


def _days(figures: Mapping[str, str], installments: int) -> str:
    gap = int(figures["days"])
    if gap == 0:
        return "paid on the due date"
    return "paid 1 day from the due date" if gap == 1 else "paid {days} days from the due date"


def _oldest(figures: Mapping[str, str], installments: int) -> str:
    return (
        "the customer's oldest open installment"
        if installments == 1
        else "the customer's oldest open installments"
    )


# The credit usually is the expected amount to the cent (the tolerance allows less):
# then "R$ 10,00 matches R$ 10,00" says one figure twice.
_EXACTLY = {
    said.WITH_CHARGES: "{amount} equals the open amount plus late charges",
    said.WITH_CHARGES_OF: "{amount} equals the open amounts of the {count} installments plus late charges",
    said.WITH_DISCOUNT: "{amount} equals the open amount less the early-payment discount",
    said.WITH_DISCOUNT_OF: (
        "{amount} equals the open amounts of the {count} installments less the early-payment discount"
    ),
}


def _expected(template: str) -> Callable[[Mapping[str, str], int], str]:
    def sentence(figures: Mapping[str, str], installments: int) -> str:
        if figures["amount"] == figures["expected"]:
            return _EXACTLY[template]
        return _SENTENCES[template]

    return sentence


# The sentence for a count: one, several (and for dates, none) read differently; and
# for an expected amount, whether the credit is it exactly.
_COUNTED: dict[str, Callable[[Mapping[str, str], int], str]] = {
    said.PAID_BEFORE: _times,
    said.DATE_GAP: _days,
    said.OLDEST_FIRST: _oldest,
    **{template: _expected(template) for template in _EXACTLY},
}
# Every sentence the page may show, for the catalogue test.
SENTENCES: tuple[str, ...] = (
    *_SENTENCES.values(),
    *_EXACTLY.values(),
    "this payer paid for this customer once before",
    "this payer paid for this customer {times} times before",
    "paid on the due date",
    "paid 1 day from the due date",
    "paid {days} days from the due date",
    "the customer's oldest open installment",
    "the customer's oldest open installments",
)
# Each signal's name: the kind is a code ("amount_exact"), English readers need words too.
LABELS: dict[str, str] = {
    SignalKind.BANK_REFERENCE: "nosso número",
    SignalKind.TXID: "PIX txid",
    SignalKind.END_TO_END: "PIX end-to-end id",
    SignalKind.DOCUMENT_NUMBER: "document number",
    SignalKind.INVOICE_NUMBER: "invoice number",
    SignalKind.DOCUMENT_NUMBER_TYPO: "number with one typo",
    SignalKind.PAYER_TAX_ID: "payer's tax id",
    SignalKind.PAYER_GROUP: "same group (CNPJ root)",
    SignalKind.PAYER_ACCOUNT: "payer's account",
    SignalKind.PAYER_NAME: "payer's name",
    SignalKind.PAYER_HISTORY: "payer's history",
    SignalKind.AMOUNT_EXACT: "exact amount",
    SignalKind.AMOUNT_WITH_LATE_CHARGES: "amount with late charges",
    SignalKind.AMOUNT_WITH_DISCOUNT: "amount with discount",
    SignalKind.AMOUNT_WITHIN_TOLERANCE: "amount within tolerance",
    SignalKind.SUBSET_SUM: "sum of installments",
    SignalKind.OLDEST_FIRST: "oldest first",
    SignalKind.INVOICE_ORDER: "installment order",
    SignalKind.DATE_PROXIMITY: "close dates",
    SignalKind.SHORT_PAYMENT: "paid short",
    SignalKind.OVERPAYMENT: "paid over",
    SignalKind.DUPLICATE_SUSPECT: "possible duplicate",
}
ALONE = "{share} confidence on its own"
AGAINST = "a point against: it adds no confidence"

_CNPJ_ROOT = re.compile(r"\d{8}")


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    kind: str  # the signal's stable code
    label: str  # its name in the locale
    text: str  # what it says, in the locale
    hint: str  # its weight, read for a tooltip
    against: bool  # weighs against the candidate (short, over, a duplicate)


def evidence_lines(
    signals: Iterable[Mapping[str, Any]], locale: str, installments: int = 1
) -> list[EvidenceLine]:
    """The stored signals of one candidate (``installments``: how many it pays)."""
    return [_line(s, locale, installments) for s in signals]


def evidence_text(kind: str, detail: str, locale: str, installments: int = 1) -> str:
    parsed = said.parse_evidence(kind, detail)
    if parsed is None:
        return translate(locale, detail)
    counted = _COUNTED.get(parsed.template)
    sentence = counted(parsed.figures, installments) if counted else _SENTENCES[parsed.template]
    values = {name: _figure(name, value, locale) for name, value in parsed.figures.items()}
    return translate(locale, sentence, **values) if values else translate(locale, sentence)


def _line(signal: Mapping[str, Any], locale: str, installments: int) -> EvidenceLine:
    kind = str(signal.get("kind") or "")
    weight = _weight(signal.get("weight"))
    against = weight is not None and weight == 0
    if weight is None:
        hint = ""
    elif against:
        hint = translate(locale, AGAINST)
    else:
        hint = translate(locale, ALONE, share=percent(weight, locale))
    return EvidenceLine(
        kind=kind,
        label=translate(locale, LABELS.get(kind, kind)),
        text=evidence_text(kind, str(signal.get("detail") or ""), locale, installments),
        hint=hint,
        against=against,
    )


def _weight(raw: object) -> Decimal | None:
    try:
        return Decimal(str(raw)) if raw is not None else None
    except InvalidOperation:
        return None


def _figure(name: str, value: str, locale: str) -> str:
    if name in said.MONEY_FIGURES:
        amount, _, currency = value.partition(" ")
        return money_text(amount, currency, locale)
    if name in said.COUNT_FIGURES:
        return number(int(value), locale)
    if name == "date":
        try:
            return day(date.fromisoformat(value), locale)
        except ValueError:  # the shape of a date, not a real one
            return value
    if name == "tax_id":
        return display_tax_id(value)
    if name == "root" and _CNPJ_ROOT.fullmatch(value):
        return f"{value[:2]}.{value[2:5]}.{value[5:]}"
    return value
