"""Caixa Econômica Federal (104), SIGCB layout.

Nosso número: 17 digits = modalidade/carteira (1: registrada) + emissão
(4: by the beneficiary) + 15-digit sequence; DV módulo 11, weights 2..9,
``11 - remainder`` with results above 9 → 0.  Free field (the DV over its first
24 digits uses the same rule)::

    código beneficiário(6) DV(1) nn[3..5] carteira nn[6..8] emissão nn[9..17] DV
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.checkdigits import mod11_zero_above_nine, require_digits
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.nosso_numero import (
    NossoNumero,
    check_sequence,
    expect_dv,
    pad,
    strip_separators,
)


@dataclass(frozen=True, slots=True)
class Caixa:
    agencia: str
    codigo_beneficiario: str
    carteira: str = "1"
    emissao: str = "4"

    bank_code = "104"
    max_sequence = 999_999_999_999_999

    def __post_init__(self) -> None:
        require_digits(self.agencia, "agência", 4)
        pad(self.codigo_beneficiario, 6, "código do beneficiário")
        if self.carteira not in ("1", "2"):
            raise BoletoError("Caixa SIGCB carteira is 1 (registrada) or 2 (sem registro)")
        require_digits(self.emissao, "emissão", 1)

    @property
    def _code(self) -> str:
        return pad(self.codigo_beneficiario, 6, "código do beneficiário")

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        nn = self.carteira + self.emissao + f"{check_sequence(sequence, self.max_sequence):015d}"
        dv = str(mod11_zero_above_nine(nn))
        return NossoNumero(sequence, nn, dv, f"{nn}-{dv}")

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        raw = strip_separators(text)
        require_digits(raw, "nosso número with DV", 18)
        if raw[:2] != self.carteira + self.emissao:
            raise BoletoError(
                f"nosso número must start with carteira {self.carteira} and emissão {self.emissao}"
            )
        nosso = self.nosso_numero(int(raw[2:17]))
        expect_dv(raw[17], nosso.dv)
        return nosso

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        seq = nosso.value[2:]
        body = (
            self._code
            + str(mod11_zero_above_nine(self._code))
            + seq[0:3]
            + self.carteira
            + seq[3:6]
            + self.emissao
            + seq[6:15]
        )
        return body + str(mod11_zero_above_nine(body))

    def beneficiary_code(self) -> str:
        return f"{self.agencia} / {self._code}-{mod11_zero_above_nine(self._code)}"
