"""The 44-digit barcode and the 47-digit typeable line (linha digitável).

Barcode (FEBRABAN, cobrança)::

    1–3   bank code            4     currency (9 = real)
    5     general check digit   6–9   due-date factor
    10–19 amount (centavos)     20–44 free field (campo livre, 25 digits, per bank)

Typeable line: three fields carrying the bank/currency and the free field, each
with a módulo-10 digit, then the general check digit, then factor + amount::

    AAABC.CCCCX DDDDD.DDDDDY EEEEE.EEEEEZ K UUUUVVVVVVVVVV
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.checkdigits import barcode_dv, mod10, require_digits
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.factor import due_date_factor, due_date_from_factor
from app.adapters.banks.boleto.money import amount_field, amount_from_field
from app.domain.shared.money import Money

CURRENCY_REAL = "9"
BARCODE_LENGTH = 44
LINE_LENGTH = 47
_SEPARATORS = re.compile(r"[\s.\-]")


def build_barcode(
    bank_code: str, due_date: date | None, amount: Money, campo_livre: str, currency: str = CURRENCY_REAL
) -> str:
    require_digits(bank_code, "bank code", 3)
    require_digits(campo_livre, "campo livre", 25)
    if currency != CURRENCY_REAL:
        raise BoletoError("only currency code 9 (real) is supported")
    body = bank_code + currency + due_date_factor(due_date) + amount_field(amount) + campo_livre
    return body[:4] + str(barcode_dv(body)) + body[4:]


def _field(digits: str) -> str:
    return digits + str(mod10(digits))


def barcode_to_line(barcode: str) -> str:
    """The 47 digits of the typeable line (no punctuation) for a barcode."""
    require_digits(barcode, "barcode", BARCODE_LENGTH)
    return (
        _field(barcode[0:4] + barcode[19:24])
        + _field(barcode[24:34])
        + _field(barcode[34:44])
        + barcode[4]
        + barcode[5:19]
    )


def line_to_barcode(line: str) -> str:
    """The barcode a 47-digit typeable line stands for (check digits are not verified here)."""
    require_digits(line, "typeable line", LINE_LENGTH)
    return line[0:4] + line[32] + line[33:47] + line[4:9] + line[10:20] + line[21:31]


def format_line(line: str) -> str:
    """``00190.00009 01238.798779 77700.168188 3 37710000013500``."""
    require_digits(line, "typeable line", LINE_LENGTH)
    return (
        f"{line[0:5]}.{line[5:10]} {line[10:15]}.{line[15:21]} "
        f"{line[21:26]}.{line[26:32]} {line[32]} {line[33:47]}"
    )


@dataclass(frozen=True, slots=True)
class BoletoCode:
    """A verified barcode and what it says."""

    barcode: str
    line: str
    bank_code: str
    currency: str
    factor: str
    due_date: date | None
    amount: Money
    campo_livre: str

    @property
    def formatted_line(self) -> str:
        return format_line(self.line)


def _verify_line_fields(line: str) -> None:
    for number, (start, end) in enumerate(((0, 9), (10, 20), (21, 31)), start=1):
        expected = mod10(line[start:end])
        if int(line[end]) != expected:
            raise BoletoError(
                f"typeable line field {number} check digit is {line[end]}, expected {expected}: "
                "a digit of that field is wrong"
            )


def _verify_barcode(barcode: str) -> None:
    expected = barcode_dv(barcode[:4] + barcode[5:])
    if int(barcode[4]) != expected:
        raise BoletoError(
            f"general check digit is {barcode[4]}, expected {expected}: "
            "the due-date factor, amount or another digit is wrong"
        )


def parse_boleto(text: str, *, reference: date) -> BoletoCode:
    """Validate a barcode (44 digits) or typeable line (47 digits) typed or scanned.

    Spaces, dots and hyphens are ignored.  ``reference`` (normally today) picks
    the cycle of the due-date factor.  Raises ``BoletoError`` naming the field
    whose check digit failed.
    """
    digits = _SEPARATORS.sub("", text)
    if not digits.isascii() or not digits.isdigit():
        raise BoletoError("a boleto number holds only digits, dots and spaces")
    if len(digits) == LINE_LENGTH:
        _verify_line_fields(digits)
        barcode = line_to_barcode(digits)
    elif len(digits) == BARCODE_LENGTH:
        barcode = digits
    elif len(digits) == 48 and digits.startswith("8"):
        raise BoletoError(
            "this is a utility or tax slip (arrecadação, 48 digits starting with 8), not a bank boleto"
        )
    else:
        raise BoletoError(
            f"a boleto has a 47-digit typeable line or a 44-digit barcode; got {len(digits)} digits"
        )
    if barcode[0] == "8":
        raise BoletoError("codes starting with 8 are utility or tax slips (arrecadação), not bank boletos")
    _verify_barcode(barcode)
    if barcode[3] != CURRENCY_REAL:
        raise BoletoError(f"currency code {barcode[3]} is not 9 (real); only BRL boletos are accepted")
    factor = barcode[5:9]
    return BoletoCode(
        barcode=barcode,
        line=barcode_to_line(barcode),
        bank_code=barcode[0:3],
        currency=barcode[3],
        factor=factor,
        due_date=due_date_from_factor(factor, reference),
        amount=amount_from_field(barcode[9:19]),
        campo_livre=barcode[19:44],
    )


def boleto_code(bank_code: str, due_date: date | None, amount: Money, campo_livre: str) -> BoletoCode:
    barcode = build_barcode(bank_code, due_date, amount, campo_livre)
    return BoletoCode(
        barcode=barcode,
        line=barcode_to_line(barcode),
        bank_code=bank_code,
        currency=CURRENCY_REAL,
        factor=barcode[5:9],
        due_date=due_date,
        amount=amount,
        campo_livre=campo_livre,
    )
