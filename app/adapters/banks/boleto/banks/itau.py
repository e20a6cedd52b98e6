"""Itaú (341): carteira (3) + nosso número (8) + DAC, agência (4) + conta (5) + DAC.

The nosso número DAC is módulo 10 over agência + conta + carteira + nosso número,
except for carteiras 126, 131, 146, 150 and 168, where Itaú's manual takes only
carteira + nosso número.  (Some published samples show carteira 168 computed the
general way; they come from code that compared the carteira as a number and so
never matched the exception.)  Free field::

    carteira(3) nosso número(8) DAC agência(4) conta(5) DAC[agência+conta] 000

The "special" carteiras (106, 107, 122, 142, 143, 195, 196, 198) carry the seu
número and a client code instead; they are not offered here and are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.checkdigits import mod10, require_digits
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.nosso_numero import (
    NossoNumero,
    check_sequence,
    expect_dv,
    strip_separators,
)

CARTEIRAS_DAC_SEM_AGENCIA_CONTA = frozenset({"126", "131", "146", "150", "168"})
CARTEIRAS_ESPECIAIS = frozenset({"106", "107", "122", "142", "143", "195", "196", "198"})


@dataclass(frozen=True, slots=True)
class Itau:
    agencia: str
    conta: str
    carteira: str = "109"

    bank_code = "341"
    max_sequence = 99_999_999

    def __post_init__(self) -> None:
        require_digits(self.agencia, "agência", 4)
        require_digits(self.conta, "conta", 5)
        require_digits(self.carteira, "carteira", 3)
        if self.carteira in CARTEIRAS_ESPECIAIS:
            raise BoletoError(f"Itaú carteira {self.carteira} (seu número layout) is not supported")

    def _dac(self, nn: str) -> str:
        if self.carteira in CARTEIRAS_DAC_SEM_AGENCIA_CONTA:
            return str(mod10(self.carteira + nn))
        return str(mod10(self.agencia + self.conta + self.carteira + nn))

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        nn = f"{check_sequence(sequence, self.max_sequence):08d}"
        dac = self._dac(nn)
        return NossoNumero(sequence, nn, dac, f"{self.carteira}/{nn}-{dac}")

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        raw = strip_separators(text)
        # Accept "109/12345678-9" (with carteira) or "12345678-9".
        if len(raw) == 12:
            if raw[:3] != self.carteira:
                raise BoletoError(f"nosso número is for carteira {raw[:3]}, not {self.carteira}")
            raw = raw[3:]
        require_digits(raw, "nosso número with DAC", 9)
        nosso = self.nosso_numero(int(raw[:8]))
        expect_dv(raw[8], nosso.dv, "nosso número DAC")
        return nosso

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        return (
            self.carteira
            + nosso.value
            + nosso.dv
            + self.agencia
            + self.conta
            + str(mod10(self.agencia + self.conta))
            + "000"
        )

    def beneficiary_code(self) -> str:
        return f"{self.agencia} / {self.conta}-{mod10(self.agencia + self.conta)}"
