"""Sicoob (756): cooperativa (4), código do cliente (7), nosso número of 7 + DV.

Nosso número DV (Sicoob's manual): the 21 digits cooperativa (4) + cliente (10,
zero-padded) + nosso número (7), weighted 3, 1, 9, 7, 3, 1, … from the left;
remainder by 11 of 0 or 1 → 0, otherwise ``11 - remainder``.  Free field::

    carteira(1) cooperativa(4) modalidade(2) cliente(7) nosso número(7) DV parcela(3)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.checkdigits import require_digits
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.nosso_numero import (
    NossoNumero,
    check_sequence,
    expect_dv,
    pad,
    strip_separators,
)

_WEIGHTS = (3, 1, 9, 7)


def sicoob_dv(cooperativa: str, cliente: str, nosso_numero: str) -> str:
    digits = cooperativa + cliente.zfill(10) + nosso_numero
    remainder = sum(int(d) * _WEIGHTS[i % 4] for i, d in enumerate(digits)) % 11
    return "0" if remainder in (0, 1) else str(11 - remainder)


@dataclass(frozen=True, slots=True)
class Sicoob:
    cooperativa: str
    codigo_cliente: str
    carteira: str = "1"
    modalidade: str = "01"
    parcela: str = "001"

    bank_code = "756"
    max_sequence = 9_999_999

    def __post_init__(self) -> None:
        require_digits(self.cooperativa, "cooperativa", 4)
        pad(self.codigo_cliente, 7, "código do cliente")
        require_digits(self.carteira, "carteira", 1)
        require_digits(self.modalidade, "modalidade", 2)
        require_digits(self.parcela, "parcela", 3)

    @property
    def _cliente(self) -> str:
        return pad(self.codigo_cliente, 7, "código do cliente")

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        nn = f"{check_sequence(sequence, self.max_sequence):07d}"
        dv = sicoob_dv(self.cooperativa, self._cliente, nn)
        return NossoNumero(sequence, nn, dv, f"{nn}-{dv}")

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        raw = strip_separators(text)
        if not 2 <= len(raw) <= 8:
            raise BoletoError("a Sicoob nosso número has up to 7 digits and a check digit")
        require_digits(raw, "nosso número")
        nosso = self.nosso_numero(int(raw[:-1]))
        expect_dv(raw[-1], nosso.dv)
        return nosso

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        return (
            self.carteira
            + self.cooperativa
            + self.modalidade
            + self._cliente
            + nosso.value
            + nosso.dv
            + self.parcela
        )

    def beneficiary_code(self) -> str:
        return f"{self.cooperativa} / {self._cliente}"
