"""CNAB 240 cobrança layouts: FEBRABAN's standard records and each bank's deviations.

Positions are 1-based and inclusive, as in the FEBRABAN manual (v08–v10) and the
banks' own manuals, so a field can be held against the printed page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.adapters.banks.cnab.fields import (
    RecordLayout,
    alpha,
    amount,
    date8,
    digits,
    integer,
)

W = 240

_PREFIX = (digits("codigo_banco", 1, 3), digits("lote", 4, 7), alpha("tipo_registro", 8, 8))

FILE_HEADER = RecordLayout(
    "file_header",
    W,
    (
        *_PREFIX,
        alpha("tipo_inscricao", 18, 18),
        digits("numero_inscricao", 19, 32),
        alpha("convenio", 33, 52),
        digits("agencia", 53, 57),
        alpha("agencia_dv", 58, 58),
        digits("conta", 59, 70),
        alpha("conta_dv", 71, 71),
        alpha("agencia_conta_dv", 72, 72),
        alpha("nome_empresa", 73, 102),
        alpha("nome_banco", 103, 132),
        alpha("codigo_remessa_retorno", 143, 143),
        date8("data_geracao", 144, 151),
        digits("hora_geracao", 152, 157),
        integer("nsa", 158, 163),
        digits("versao_layout", 164, 166),
        digits("densidade", 167, 171),
    ),
)

LOT_HEADER = RecordLayout(
    "lot_header",
    W,
    (
        *_PREFIX,
        alpha("operacao", 9, 9),
        digits("servico", 10, 11),
        digits("versao_layout_lote", 14, 16),
        alpha("tipo_inscricao", 18, 18),
        digits("numero_inscricao", 19, 33),
        alpha("convenio", 34, 53),
        digits("agencia", 54, 58),
        alpha("agencia_dv", 59, 59),
        digits("conta", 60, 71),
        alpha("conta_dv", 72, 72),
        alpha("agencia_conta_dv", 73, 73),
        alpha("nome_empresa", 74, 103),
        alpha("mensagem_1", 104, 143),
        alpha("mensagem_2", 144, 183),
        integer("numero_remessa_retorno", 184, 191),
        date8("data_gravacao", 192, 199),
        date8("data_credito", 200, 207),
    ),
)

_DETAIL_PREFIX = (*_PREFIX, integer("sequencial", 9, 13), alpha("segmento", 14, 14))

SEGMENT_T = RecordLayout(
    "T",
    W,
    (
        *_DETAIL_PREFIX,
        digits("codigo_movimento", 16, 17),
        digits("agencia", 18, 22),
        alpha("agencia_dv", 23, 23),
        digits("conta", 24, 35),
        alpha("conta_dv", 36, 36),
        alpha("agencia_conta_dv", 37, 37),
        alpha("nosso_numero", 38, 57),
        alpha("carteira", 58, 58),
        alpha("numero_documento", 59, 73),
        date8("vencimento", 74, 81),
        amount("valor_titulo", 82, 96),
        digits("banco_cobrador", 97, 99),
        digits("agencia_cobradora", 100, 104),
        alpha("agencia_cobradora_dv", 105, 105),
        alpha("uso_empresa", 106, 130),
        digits("moeda", 131, 132),
        alpha("sacado_tipo_inscricao", 133, 133),
        alpha("sacado_inscricao", 134, 148),
        alpha("sacado_nome", 149, 188),
        alpha("numero_contrato", 189, 198),
        amount("valor_tarifa", 199, 213),
        alpha("motivo_ocorrencia", 214, 223),
    ),
)

SEGMENT_U = RecordLayout(
    "U",
    W,
    (
        *_DETAIL_PREFIX,
        digits("codigo_movimento", 16, 17),
        amount("juros_multa", 18, 32),
        amount("desconto", 33, 47),
        amount("abatimento", 48, 62),
        amount("iof", 63, 77),
        amount("valor_pago", 78, 92),
        amount("valor_liquido", 93, 107),
        amount("outras_despesas", 108, 122),
        amount("outros_creditos", 123, 137),
        date8("data_ocorrencia", 138, 145),
        date8("data_credito", 146, 153),
        alpha("codigo_ocorrencia_sacado", 154, 157),
    ),
)

LOT_TRAILER = RecordLayout(
    "lot_trailer",
    W,
    (
        *_PREFIX,
        integer("quantidade_registros", 18, 23),
        integer("quantidade_simples", 24, 29),
        amount("valor_simples", 30, 46),
        integer("quantidade_vinculada", 47, 52),
        amount("valor_vinculada", 53, 69),
        integer("quantidade_caucionada", 70, 75),
        amount("valor_caucionada", 76, 92),
        integer("quantidade_descontada", 93, 98),
        amount("valor_descontada", 99, 115),
        alpha("numero_aviso", 116, 123),
    ),
)

FILE_TRAILER = RecordLayout(
    "file_trailer",
    W,
    (*_PREFIX, integer("quantidade_lotes", 18, 23), integer("quantidade_registros", 24, 29)),
)

# --- remittance segments ----------------------------------------------------

SEGMENT_P = RecordLayout(
    "P",
    W,
    (
        *_DETAIL_PREFIX,
        digits("codigo_movimento", 16, 17),
        digits("agencia", 18, 22),
        alpha("agencia_dv", 23, 23),
        digits("conta", 24, 35),
        alpha("conta_dv", 36, 36),
        alpha("agencia_conta_dv", 37, 37),
        alpha("nosso_numero", 38, 57),
        alpha("carteira", 58, 58),
        alpha("forma_cadastramento", 59, 59),
        alpha("tipo_documento", 60, 60),
        alpha("emissao_boleto", 61, 61),
        alpha("distribuicao_boleto", 62, 62),
        alpha("numero_documento", 63, 77),
        date8("vencimento", 78, 85),
        amount("valor_titulo", 86, 100),
        digits("agencia_cobradora", 101, 105),
        alpha("agencia_cobradora_dv", 106, 106),
        digits("especie", 107, 108),
        alpha("aceite", 109, 109),
        date8("data_emissao", 110, 117),
        alpha("codigo_juros", 118, 118),
        date8("data_juros", 119, 126),
        amount("juros_mora_dia", 127, 141),
        alpha("codigo_desconto", 142, 142),
        date8("data_desconto", 143, 150),
        amount("valor_desconto", 151, 165),
        amount("valor_iof", 166, 180),
        amount("valor_abatimento", 181, 195),
        alpha("uso_empresa", 196, 220),
        alpha("codigo_protesto", 221, 221),
        integer("prazo_protesto", 222, 223),
        alpha("codigo_baixa", 224, 224),
        alpha("prazo_baixa", 225, 227),
        digits("codigo_moeda", 228, 229),
        alpha("numero_contrato", 230, 239),
    ),
)

SEGMENT_Q = RecordLayout(
    "Q",
    W,
    (
        *_DETAIL_PREFIX,
        digits("codigo_movimento", 16, 17),
        alpha("sacado_tipo_inscricao", 18, 18),
        digits("sacado_inscricao", 19, 33),
        alpha("sacado_nome", 34, 73),
        alpha("sacado_endereco", 74, 113),
        alpha("sacado_bairro", 114, 128),
        digits("sacado_cep", 129, 136),
        alpha("sacado_cidade", 137, 151),
        alpha("sacado_uf", 152, 153),
    ),
)

SEGMENT_R = RecordLayout(
    "R",
    W,
    (
        *_DETAIL_PREFIX,
        digits("codigo_movimento", 16, 17),
        alpha("codigo_desconto_2", 18, 18),
        date8("data_desconto_2", 19, 26),
        amount("valor_desconto_2", 27, 41),
        alpha("codigo_desconto_3", 42, 42),
        date8("data_desconto_3", 43, 50),
        amount("valor_desconto_3", 51, 65),
        alpha("codigo_multa", 66, 66),
        date8("data_multa", 67, 74),
        amount("valor_multa", 75, 89),
    ),
)


@dataclass(frozen=True)
class Layout240:
    bank_code: str
    bank_name: str
    file_header: RecordLayout = FILE_HEADER
    lot_header: RecordLayout = LOT_HEADER
    t: RecordLayout = SEGMENT_T
    u: RecordLayout = SEGMENT_U
    lot_trailer: RecordLayout = LOT_TRAILER
    file_trailer: RecordLayout = FILE_TRAILER
    p: RecordLayout = SEGMENT_P
    q: RecordLayout = SEGMENT_Q
    r: RecordLayout = SEGMENT_R
    # Whether the lot trailer's title totals describe this file's titles ("file")
    # or the whole portfolio held at the bank ("portfolio", not comparable).
    lot_totals: str = "file"
    # Record counts a lot trailer may declare: the whole lot (FEBRABAN), or, in
    # Santander's returns, the detail records only.
    lot_count_modes: tuple[str, ...] = ("all",)
    # Carteira code (T 58) → collection type of the trailer totals.
    collections: dict[str, str] = field(
        default_factory=lambda: {
            "1": "simple",
            "2": "linked",
            "3": "pledged",
            "4": "discounted",
            "5": "simple",
            "7": "simple",
        }
    )
    writable: bool = True
    # Whether the motivos of a liquidation follow FEBRABAN's C047 (01 por saldo,
    # 02 por conta, 08 em cartório); Caixa uses them for the payment channel.
    liquidation_motivos: bool = True


_SANTANDER_HEADER = FILE_HEADER.with_fields(
    alpha("tipo_inscricao", 17, 17),
    digits("numero_inscricao", 18, 32),
    digits("agencia", 33, 36),
    alpha("agencia_dv", 37, 37),
    digits("conta", 38, 46),
    alpha("conta_dv", 47, 47),
    alpha("convenio", 53, 61),
    drop=("agencia_conta_dv",),
)
_SANTANDER_T = SEGMENT_T.with_fields(
    digits("agencia", 18, 21),
    alpha("agencia_dv", 22, 22),
    digits("conta", 23, 31),
    alpha("conta_dv", 32, 32),
    alpha("nosso_numero", 41, 53),
    alpha("carteira", 54, 54),
    alpha("numero_documento", 55, 69),
    date8("vencimento", 70, 77),
    amount("valor_titulo", 78, 92),
    digits("banco_cobrador", 93, 95),
    digits("agencia_cobradora", 96, 99),
    alpha("agencia_cobradora_dv", 100, 100),
    alpha("uso_empresa", 101, 125),
    digits("moeda", 126, 127),
    alpha("sacado_tipo_inscricao", 128, 128),
    alpha("sacado_inscricao", 129, 143),
    alpha("sacado_nome", 144, 183),
    alpha("numero_contrato", 184, 193),
    amount("valor_tarifa", 194, 208),
    alpha("motivo_ocorrencia", 209, 218),
    drop=("agencia_conta_dv",),
)
# Caixa identifies the company by a 6-digit beneficiary code after the agency.
_CAIXA_HEADER = FILE_HEADER.with_fields(alpha("convenio", 59, 64), drop=("conta", "conta_dv"))

LAYOUTS_240: dict[str, Layout240] = {
    "001": Layout240("001", "Banco do Brasil", lot_totals="file"),
    "033": Layout240(
        "033",
        "Santander",
        file_header=_SANTANDER_HEADER,
        t=_SANTANDER_T,
        # Santander's sample return declares portfolio totals (65 titles for a
        # file of 2) and counts only detail records in the lot trailer.
        lot_totals="portfolio",
        lot_count_modes=("all", "details"),
        writable=False,
    ),
    "085": Layout240("085", "Ailos"),
    "104": Layout240("104", "Caixa Econômica Federal", file_header=_CAIXA_HEADER, liquidation_motivos=False),
    "136": Layout240("136", "Unicred"),
    "341": Layout240("341", "Itaú"),
    "237": Layout240("237", "Bradesco"),
    # Sicoob's returns report the titles in the portfolio, not those of the file.
    "756": Layout240("756", "Sicoob", lot_totals="portfolio"),
    "748": Layout240("748", "Sicredi"),
}
