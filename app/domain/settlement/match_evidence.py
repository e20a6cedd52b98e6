"""What each signal of a proposal says, as stable English texts with figures.

A signal's stable code is its ``SignalKind``; its ``detail`` is one of the templates
below with the figures filled in. The statement runner stores kind, weight and detail
on the record and the API returns them as stored, so each template's shape is a stored
format: the pages read the figures back with ``parse_evidence`` to show the evidence in
the reader's language, and a detail that no longer parses is shown as stored.
Changing a template's wording means keeping the old one parseable here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.domain.settlement.matching_scoring import SignalKind
from app.domain.shared.money import Money

# identity
BANK_REFERENCE = "nosso número {reference}"
PIX_ID = "{id}"  # a txid or an end-to-end id, as the credit carries it
NAMED_IN_TEXT = "{key} in “{remittance}”"
ONE_TYPO = "{key} is one typo from {near}"
PAYER_IS_CUSTOMER = "payer {tax_id} is the customer"
PAYER_GROUP = "payer {tax_id} shares the CNPJ root {root}"
ACCOUNT_ON_FILE = "account {account} is on file"
PAYER_NAME = "payer name “{name}”"
PAID_BEFORE = "this payer paid for the customer {times} time(s) before"
# amount: "the open amount" for one installment, "... of {count} installments" for more
EQUALS_OPEN = "{amount} equals the open amount"
EQUALS_OPEN_OF = "{amount} equals the open amounts of {count} installments"
WITH_CHARGES = "{amount} ≈ {expected} = the open amount + late charges"
WITH_CHARGES_OF = "{amount} ≈ {expected} = the open amounts of {count} installments + late charges"
WITH_DISCOUNT = "{amount} ≈ {expected} = the open amount - early discount"
WITH_DISCOUNT_OF = "{amount} ≈ {expected} = the open amounts of {count} installments - early discount"
WITHIN_TOLERANCE = "{amount} is within tolerance of {expected}"
SHORT = "{amount} is {difference} short of {target}"
OVER = "{amount} is {difference} over {target}"
# order and time
OLDEST_FIRST = "the customer's oldest open installment(s)"
INVOICE_ORDER = "no earlier installment of the same invoice is left open"
DATE_GAP = "paid {days} day(s) from the due date"
# against
DUPLICATE = "a credit of {amount} with the same references arrived on {date}"

_K = SignalKind
TEMPLATES: dict[SignalKind, tuple[str, ...]] = {
    _K.BANK_REFERENCE: (BANK_REFERENCE,),
    _K.TXID: (PIX_ID,),
    _K.END_TO_END: (PIX_ID,),
    _K.DOCUMENT_NUMBER: (NAMED_IN_TEXT,),
    _K.INVOICE_NUMBER: (NAMED_IN_TEXT,),
    _K.DOCUMENT_NUMBER_TYPO: (NAMED_IN_TEXT, ONE_TYPO),
    _K.PAYER_TAX_ID: (PAYER_IS_CUSTOMER,),
    _K.PAYER_GROUP: (PAYER_GROUP,),
    _K.PAYER_ACCOUNT: (ACCOUNT_ON_FILE,),
    _K.PAYER_NAME: (PAYER_NAME,),
    _K.PAYER_HISTORY: (PAID_BEFORE,),
    _K.AMOUNT_EXACT: (EQUALS_OPEN, EQUALS_OPEN_OF),
    _K.SUBSET_SUM: (EQUALS_OPEN_OF, WITHIN_TOLERANCE),
    _K.AMOUNT_WITH_LATE_CHARGES: (WITH_CHARGES, WITH_CHARGES_OF),
    _K.AMOUNT_WITH_DISCOUNT: (WITH_DISCOUNT, WITH_DISCOUNT_OF),
    _K.AMOUNT_WITHIN_TOLERANCE: (WITHIN_TOLERANCE,),
    _K.SHORT_PAYMENT: (SHORT,),
    _K.OVERPAYMENT: (OVER,),
    _K.OLDEST_FIRST: (OLDEST_FIRST,),
    _K.INVOICE_ORDER: (INVOICE_ORDER,),
    _K.DATE_PROXIMITY: (DATE_GAP,),
    _K.DUPLICATE_SUSPECT: (DUPLICATE,),
}

_MONEY = r"-?\d+(?:\.\d+)? [A-Z]{3}"  # as ``Money`` prints itself: "120.55 BRL"
_WORD = r"\S+"
_FIGURE = {
    "amount": _MONEY,
    "expected": _MONEY,
    "difference": _MONEY,
    "target": _MONEY,
    "count": r"\d+",
    "times": r"\d+",
    "days": r"\d+",
    "date": r"\d{4}-\d{2}-\d{2}",
    "reference": r".+",
    "id": r".+",
    "key": _WORD,
    "near": _WORD,
    "tax_id": _WORD,
    "root": _WORD,
    "account": r".+",
    "remittance": r".*",
    "name": r".*",
}
MONEY_FIGURES = frozenset({"amount", "expected", "difference", "target"})
COUNT_FIGURES = frozenset({"count", "times", "days"})


@dataclass(frozen=True, slots=True)
class ParsedEvidence:
    template: str  # one of ``TEMPLATES[kind]``
    figures: Mapping[str, str]  # placeholder → the figure as the detail holds it


# ---- the texts the matcher writes ---------------------------------------------------
def bank_reference(reference: str) -> str:
    return BANK_REFERENCE.format(reference=reference)


def pix_id(value: str) -> str:
    return PIX_ID.format(id=value)


def named_in_text(key: str, remittance: str) -> str:
    return NAMED_IN_TEXT.format(key=key, remittance=remittance)


def one_typo(key: str, near: str) -> str:
    return ONE_TYPO.format(key=key, near=near)


def payer_is_customer(tax_id: str) -> str:
    return PAYER_IS_CUSTOMER.format(tax_id=tax_id)


def payer_group(tax_id: str, root: str) -> str:
    return PAYER_GROUP.format(tax_id=tax_id, root=root)


def account_on_file(account: str) -> str:
    return ACCOUNT_ON_FILE.format(account=account)


def payer_name(name: str) -> str:
    return PAYER_NAME.format(name=name)


def paid_before(times: int) -> str:
    return PAID_BEFORE.format(times=times)


def equals_open(amount: Money, count: int) -> str:
    if count == 1:
        return EQUALS_OPEN.format(amount=amount)
    return EQUALS_OPEN_OF.format(amount=amount, count=count)


def with_charges(amount: Money, expected: Money, count: int) -> str:
    if count == 1:
        return WITH_CHARGES.format(amount=amount, expected=expected)
    return WITH_CHARGES_OF.format(amount=amount, expected=expected, count=count)


def with_discount(amount: Money, expected: Money, count: int) -> str:
    if count == 1:
        return WITH_DISCOUNT.format(amount=amount, expected=expected)
    return WITH_DISCOUNT_OF.format(amount=amount, expected=expected, count=count)


def within_tolerance(amount: Money, expected: Money) -> str:
    return WITHIN_TOLERANCE.format(amount=amount, expected=expected)


def short(amount: Money, difference: Money, target: Money) -> str:
    return SHORT.format(amount=amount, difference=difference, target=target)


def over(amount: Money, difference: Money, target: Money) -> str:
    return OVER.format(amount=amount, difference=difference, target=target)


def date_gap(days: int) -> str:
    return DATE_GAP.format(days=days)


def duplicate(amount: Money, on: date) -> str:
    return DUPLICATE.format(amount=amount, date=on.isoformat())


# ---- read back ------------------------------------------------------------------------
def parse_evidence(kind: str, detail: str) -> ParsedEvidence | None:
    """The template and figures of a detail written above for a signal of ``kind``;
    None for an unknown kind or any other text."""
    try:
        patterns = _PATTERNS[SignalKind(kind)]
    except ValueError:
        return None
    for template, pattern in patterns:
        found = pattern.fullmatch(detail)
        if found:
            return ParsedEvidence(template, found.groupdict())
    return None


def _pattern(template: str) -> re.Pattern[str]:
    # Literal parts escaped, each {name} a named group that accepts only its figure.
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_FIGURE[part]})" for i, part in enumerate(parts)
    )
    return re.compile(regex, re.S)


_PATTERNS = {kind: tuple((t, _pattern(t)) for t in templates) for kind, templates in TEMPLATES.items()}
