"""Banco do Brasil (001): the convênio's length decides the whole layout.

- convênio of 4 digits: nosso número = convênio + 7-digit sequence (11 digits, with DV);
- convênio of 6 digits: nosso número = convênio + 5-digit sequence (11 digits, with DV), or,
  with ``nosso_numero_livre`` (carteiras 16/18, service 21), a free 17-digit number;
- convênio of 7 digits: nosso número = convênio + 10-digit sequence (17 digits, no DV);
- convênio of 8 digits: nosso número = convênio + 9-digit sequence (17 digits, no DV).

Free field: 11-digit number + agência (4) + conta (8) + carteira (2); or, for 17-digit
numbers, ``000000`` + nosso número (17) + carteira (2); or convênio (6) + number (17) + ``21``.
DVs are módulo 11, weights 2..9, where 10 is written ``X`` and 11 is ``0``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.checkdigits import mod11_complement, require_digits
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.nosso_numero import (
    NossoNumero,
    check_sequence,
    expect_dv,
    pad,
    strip_separators,
)

_SEQUENCE_DIGITS = {4: 7, 6: 5, 7: 10, 8: 9}


def bb_dv(digits: str) -> str:
    result = mod11_complement(digits)
    return "X" if result == 10 else "0" if result == 11 else str(result)


@dataclass(frozen=True, slots=True)
class BancoDoBrasil:
    agencia: str
    conta: str
    convenio: str
    carteira: str = "17"
    variacao: str = ""
    nosso_numero_livre: bool = False

    bank_code = "001"

    def __post_init__(self) -> None:
        require_digits(self.agencia, "agência", 4)
        pad(self.conta, 8, "conta")
        require_digits(self.convenio, "convênio")
        if len(self.convenio) not in _SEQUENCE_DIGITS:
            raise BoletoError("Banco do Brasil convênios have 4, 6, 7 or 8 digits")
        require_digits(self.carteira, "carteira", 2)
        if self.nosso_numero_livre and (len(self.convenio) != 6 or self.carteira not in ("16", "18")):
            raise BoletoError("a free 17-digit nosso número needs a 6-digit convênio and carteira 16 or 18")

    @property
    def _sequence_digits(self) -> int:
        return 17 if self.nosso_numero_livre else _SEQUENCE_DIGITS[len(self.convenio)]

    @property
    def _has_dv(self) -> bool:
        return len(self.convenio) in (4, 6) and not self.nosso_numero_livre

    @property
    def max_sequence(self) -> int:
        return int("9" * self._sequence_digits)

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        check_sequence(sequence, self.max_sequence)
        seq = f"{sequence:0{self._sequence_digits}d}"
        value = seq if self.nosso_numero_livre else self.convenio + seq
        if not self._has_dv:
            return NossoNumero(sequence, value, "", value)
        dv = bb_dv(value)
        return NossoNumero(sequence, value, dv, f"{value}-{dv}")

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        raw = strip_separators(text)
        prefix = "" if self.nosso_numero_livre else self.convenio
        length = len(prefix) + self._sequence_digits
        value, given_dv = (raw[:length], raw[length:]) if self._has_dv else (raw, "")
        require_digits(value, "nosso número", length)
        if not value.startswith(prefix):
            raise BoletoError(f"nosso número must start with the convênio {self.convenio}")
        nosso = self.nosso_numero(int(value[len(prefix) :]))
        expect_dv(given_dv, nosso.dv)
        return nosso

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        if self.nosso_numero_livre:
            return self.convenio + nosso.value + "21"
        if len(nosso.value) == 17:
            return "000000" + nosso.value + self.carteira
        return nosso.value + self.agencia + pad(self.conta, 8, "conta") + self.carteira

    def beneficiary_code(self) -> str:
        conta = pad(self.conta, 8, "conta")
        return f"{self.agencia}-{bb_dv(self.agencia)} / {conta}-{bb_dv(conta)}"
