"""Bradesco (237): nosso número of 11 digits, DV over carteira + number.

Nosso número DV: módulo 11 with weights 2..7 over carteira (2) + number (11);
remainder 0 → ``0``, remainder 1 → ``P``, otherwise ``11 - remainder``.
Agência and conta DVs: módulo 11 with weights 2..9, 10 → ``P``, 11 → ``0``.
Free field::

    agência(4) carteira(2) nosso número(11) conta(7) 0
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.checkdigits import mod11_complement, mod11_remainder, require_digits
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.nosso_numero import (
    NossoNumero,
    check_sequence,
    expect_dv,
    pad,
    strip_separators,
)

_WEIGHTS_2_TO_7 = (2, 3, 4, 5, 6, 7)


def bradesco_nosso_numero_dv(carteira: str, number: str) -> str:
    remainder = mod11_remainder(carteira + number, _WEIGHTS_2_TO_7)
    return "0" if remainder == 0 else "P" if remainder == 1 else str(11 - remainder)


def bradesco_account_dv(digits: str) -> str:
    result = mod11_complement(digits)
    return "P" if result == 10 else "0" if result == 11 else str(result)


@dataclass(frozen=True, slots=True)
class Bradesco:
    agencia: str
    conta: str
    carteira: str = "09"

    bank_code = "237"
    max_sequence = 99_999_999_999

    def __post_init__(self) -> None:
        require_digits(self.agencia, "agência", 4)
        pad(self.conta, 7, "conta")
        require_digits(self.carteira, "carteira", 2)

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        nn = f"{check_sequence(sequence, self.max_sequence):011d}"
        dv = bradesco_nosso_numero_dv(self.carteira, nn)
        return NossoNumero(sequence, nn, dv, f"{self.carteira}/{nn}-{dv}")

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        raw = strip_separators(text)
        if len(raw) == 14:  # with the carteira in front, as printed
            if raw[:2] != self.carteira:
                raise BoletoError(f"nosso número is for carteira {raw[:2]}, not {self.carteira}")
            raw = raw[2:]
        if len(raw) != 12:
            raise BoletoError("a Bradesco nosso número has 11 digits and a check digit")
        require_digits(raw[:11], "nosso número", 11)
        nosso = self.nosso_numero(int(raw[:11]))
        expect_dv(raw[11], nosso.dv)
        return nosso

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        return self.agencia + self.carteira + nosso.value + pad(self.conta, 7, "conta") + "0"

    def beneficiary_code(self) -> str:
        conta = pad(self.conta, 7, "conta")
        return f"{self.agencia}-{bradesco_account_dv(self.agencia)} / {conta}-{bradesco_account_dv(conta)}"
