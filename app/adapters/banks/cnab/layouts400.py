"""CNAB 400 cobrança layouts, one per bank (CNAB 400 was never standardised).

Most banks derive from the same Bradesco/Itaú skeleton (occurrence at 109-110,
amounts from 153 on), so each bank is that skeleton with its own fields moved.
Positions are 1-based and inclusive, as in the manuals.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.adapters.banks.cnab.fields import (
    RecordLayout,
    alpha,
    amount,
    date6,
    date8,
    digits,
    integer,
)

W = 400

HEADER = RecordLayout(
    "header",
    W,
    (
        alpha("tipo_registro", 1, 1, const="0"),
        alpha("codigo_remessa_retorno", 2, 2),
        alpha("literal_retorno", 3, 9),
        digits("codigo_servico", 10, 11),
        alpha("literal_servico", 12, 26),
        alpha("codigo_empresa", 27, 46),
        alpha("nome_empresa", 47, 76),
        digits("codigo_banco", 77, 79),
        alpha("nome_banco", 80, 94),
        date6("data_gravacao", 95, 100),
        integer("sequencial", 395, 400),
    ),
)

DETAIL = RecordLayout(
    "detail",
    W,
    (
        alpha("tipo_registro", 1, 1),
        alpha("tipo_inscricao", 2, 3),
        digits("numero_inscricao", 4, 17),
        alpha("uso_empresa", 38, 62),
        alpha("nosso_numero", 63, 70),
        alpha("carteira", 108, 108),
        digits("codigo_ocorrencia", 109, 110),
        date6("data_ocorrencia", 111, 116),
        alpha("numero_documento", 117, 126),
        date6("vencimento", 147, 152),
        amount("valor_titulo", 153, 165),
        digits("banco_cobrador", 166, 168),
        alpha("agencia_cobradora", 169, 173),
        alpha("especie", 174, 175),
        amount("valor_tarifa", 176, 188),
        amount("outras_despesas", 189, 201),
        amount("iof", 215, 227),
        amount("abatimento", 228, 240),
        amount("desconto", 241, 253),
        amount("valor_pago", 254, 266),
        amount("juros_mora", 267, 279),
        amount("outros_creditos", 280, 292),
        date6("data_credito", 296, 301),
        integer("sequencial", 395, 400),
    ),
)

TRAILER = RecordLayout(
    "trailer",
    W,
    (
        alpha("tipo_registro", 1, 1, const="9"),
        alpha("codigo_retorno", 2, 2),
        digits("codigo_servico", 3, 4),
        digits("codigo_banco", 5, 7),
        integer("sequencial", 395, 400),
    ),
)


@dataclass(frozen=True)
class Layout400:
    bank_code: str
    bank_name: str
    header: RecordLayout
    details: dict[str, RecordLayout]  # keyed by record type (position 1)
    trailer: RecordLayout
    # Trailer fields compared with the details: "details" (count/value of all
    # details), "collections" (BB: per collection type, when filled) and
    # "occurrences" (Bradesco: count/value per occurrence code).
    checks: tuple[str, ...] = ()
    # Extra record types a bank may send and that carry no title (Santander 2, …).
    ignored_types: str = ""


_ITAU = Layout400(
    "341",
    "Itaú",
    HEADER.with_fields(
        digits("agencia", 27, 30),
        digits("conta", 33, 37),
        alpha("conta_dv", 38, 38),
        integer("nsa", 109, 113),
        drop=("codigo_empresa",),
    ),
    {
        "1": DETAIL.with_fields(
            alpha("carteira", 83, 85),
            alpha("sacado_nome", 325, 354),
            alpha("motivos", 378, 385),
            drop=("outras_despesas",),
        )
    },
    TRAILER.with_fields(integer("quantidade_detalhes", 213, 220), amount("valor_detalhes", 221, 234)),
    checks=("details",),
)

_BRADESCO_TRAILER_OCCURRENCES = {
    "02": ((58, 62), (63, 74)),
    "06": ((87, 91), (92, 103)),
    "09/10": ((104, 108), (109, 120)),
    "13": ((121, 125), (126, 137)),
    "14": ((138, 142), (143, 154)),
    "12": ((155, 159), (160, 171)),
    "19": ((172, 176), (177, 188)),
}


def _occurrence_fields() -> list[object]:
    out: list[object] = []
    for code, ((qa, qb), (va, vb)) in _BRADESCO_TRAILER_OCCURRENCES.items():
        key = code.replace("/", "_")
        out += [integer(f"quantidade_ocorrencia_{key}", qa, qb), amount(f"valor_ocorrencia_{key}", va, vb)]
    return out


_BRADESCO = Layout400(
    "237",
    "Bradesco",
    HEADER.with_fields(integer("nsa", 109, 113)),
    {
        "1": DETAIL.with_fields(
            digits("agencia", 25, 29),
            digits("conta", 30, 36),
            alpha("conta_dv", 37, 37),
            alpha("nosso_numero", 71, 82),
            alpha("motivos", 319, 328),
        )
    },
    TRAILER.with_fields(*_occurrence_fields()),  # type: ignore[arg-type]
    checks=("occurrences",),
)

_BB_HEADER = HEADER.with_fields(
    digits("agencia", 27, 30),
    alpha("agencia_dv", 31, 31),
    digits("conta", 32, 39),
    alpha("conta_dv", 40, 40),
    integer("nsa", 101, 107),
    alpha("convenio", 150, 156),
    drop=("codigo_empresa",),
)
_BB_DETAIL_COMMON = DETAIL.with_fields(
    digits("agencia", 18, 21),
    alpha("agencia_dv", 22, 22),
    digits("conta", 23, 30),
    alpha("conta_dv", 31, 31),
    alpha("carteira", 107, 108),
    date6("data_credito", 176, 181),
    amount("valor_tarifa", 182, 188),
    amount("valor_liquido", 306, 318),
)
_BB_TRAILER = TRAILER.with_fields(
    integer("quantidade_simples", 18, 25),
    amount("valor_simples", 26, 39),
    integer("quantidade_vinculada", 58, 65),
    amount("valor_vinculada", 66, 79),
    integer("quantidade_caucionada", 98, 105),
    amount("valor_caucionada", 106, 119),
    integer("quantidade_descontada", 138, 145),
    amount("valor_descontada", 146, 159),
    integer("quantidade_vendor", 218, 225),
    amount("valor_vendor", 226, 239),
)
_BB = Layout400(
    "001",
    "Banco do Brasil",
    _BB_HEADER,
    {
        # Convênio of 6 digits: detail type 1, nosso número of 11 digits + DV.
        "1": _BB_DETAIL_COMMON.with_fields(
            alpha("convenio", 32, 37), alpha("uso_empresa", 38, 62), alpha("nosso_numero", 63, 73)
        ),
        # Convênio of 7 digits (CBR643): detail type 7, nosso número of 17 digits.
        "7": _BB_DETAIL_COMMON.with_fields(
            alpha("convenio", 32, 38), alpha("uso_empresa", 39, 63), alpha("nosso_numero", 64, 80)
        ),
    },
    _BB_TRAILER,
    checks=("collections",),
)

_SANTANDER = Layout400(
    "033",
    "Santander",
    HEADER.with_fields(digits("agencia", 27, 30), alpha("convenio", 31, 38), drop=("codigo_empresa",)),
    {"1": DETAIL.with_fields(alpha("motivos", 137, 139))},
    TRAILER,
    ignored_types="2",
)

_BANRISUL = Layout400(
    "041",
    "Banrisul",
    HEADER.with_fields(alpha("convenio", 27, 39), drop=("codigo_empresa",)),
    {"1": DETAIL.with_fields(alpha("nosso_numero", 63, 72))},
    TRAILER,
)

_BNB = Layout400(
    "004",
    "Banco do Nordeste",
    HEADER.with_fields(digits("agencia", 27, 30), digits("conta", 33, 39), alpha("conta_dv", 40, 40)),
    # BNB has no credit date at 296-301 (its samples carry other data there).
    {"1": DETAIL.with_fields(drop=("data_credito",))},
    TRAILER,
)

# BRB writes dates with four-digit years, which shifts everything after them.
_BRB = Layout400(
    "070",
    "BRB - Banco de Brasília",
    HEADER.with_fields(date8("data_gravacao", 95, 102)),
    {
        "1": RecordLayout(
            "detail",
            W,
            (
                alpha("tipo_registro", 1, 1),
                alpha("nosso_numero", 71, 82),
                digits("codigo_ocorrencia", 109, 110),
                date8("data_ocorrencia", 111, 118),
                date8("vencimento", 149, 156),
                amount("valor_titulo", 157, 169),
                digits("banco_cobrador", 170, 172),
                alpha("especie", 178, 179),
                amount("valor_tarifa", 180, 192),
                amount("iof", 219, 231),
                amount("abatimento", 232, 244),
                amount("desconto", 245, 257),
                amount("valor_pago", 258, 270),
                amount("outros_creditos", 284, 296),
                date8("data_credito", 300, 307),
                alpha("motivos", 365, 394),
                integer("sequencial", 395, 400),
            ),
        )
    },
    TRAILER,
)

_CREDISIS = Layout400(
    "097",
    "CrediSIS",
    HEADER,
    {
        "1": DETAIL.with_fields(
            alpha("nosso_numero", 63, 73),
            date6("data_credito", 176, 181),
            alpha("sacado_nome", 235, 253),
            drop=("valor_tarifa", "outras_despesas", "iof", "abatimento", "desconto", "juros_mora"),
        ).with_fields(drop=("outros_creditos", "data_ocorrencia", "banco_cobrador", "especie"))
    },
    TRAILER,
)

LAYOUTS_400: dict[str, Layout400] = {
    "001": _BB,
    "756": Layout400(
        "756", "Sicoob", _BB_HEADER, {"1": _BB.details["1"]}, _BB_TRAILER, checks=("collections",)
    ),
    "004": _BNB,
    "033": _SANTANDER,
    "041": _BANRISUL,
    "070": _BRB,
    "097": _CREDISIS,
    "237": _BRADESCO,
    "341": _ITAU,
}
