"""PIX BR Code: BACEN's example, build/parse, CRC, txid, normalisation, QR."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.adapters.banks.pix import (
    PixError,
    check_txid,
    crc16_ccitt_false,
    dynamic_brcode,
    is_valid_txid,
    new_txid,
    normalize_text,
    parse_brcode,
    qr_png,
    qr_svg,
    static_brcode,
)
from app.adapters.banks.pix.emv import crc_hex, tlv
from app.domain.shared.money import Money

# The example of BACEN's "Manual de Padrões para Iniciação do Pix".
BACEN_EXAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)


def test_crc16_ccitt_false_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_bacen_example_crc_is_1d3d() -> None:
    assert crc_hex(BACEN_EXAMPLE[:-4]) == "1D3D"


def test_bacen_example_parses() -> None:
    code = parse_brcode(BACEN_EXAMPLE)
    assert code.key == "123e4567-e12b-12d1-a456-426655440000"
    assert code.merchant_name == "Fulano de Tal"
    assert code.merchant_city == "BRASILIA"
    assert code.txid == "***"
    assert code.amount is None
    assert code.merchant_category_code == "0000"
    assert code.transaction_currency == "986"
    assert code.country_code == "BR"
    assert not code.is_dynamic and not code.is_single_use


def test_builder_reproduces_the_bacen_example() -> None:
    payload = static_brcode(
        key="123e4567-e12b-12d1-a456-426655440000",
        merchant_name="Fulano de Tal",
        merchant_city="BRASILIA",
        uppercase_names=False,
    )
    assert payload == BACEN_EXAMPLE


def test_static_with_amount_txid_and_info() -> None:
    payload = static_brcode(
        key="+5511999998888",
        merchant_name="Cobalto Comércio e Serviços Ltda",
        merchant_city="São José dos Campos",
        amount=Money.of("1234.5", "BRL"),
        txid="NF1234P2",
        additional_info="Parcela 2 da NF 1234",
        postal_code="12.245-000",
    )
    code = parse_brcode(payload)
    assert code.merchant_name == "COBALTO COMERCIO E SERVICO"[:25]
    assert len(code.merchant_name) <= 25 and len(code.merchant_city) <= 15
    assert code.merchant_city == "SAO JOSE DOS CA"
    assert code.amount == Money.of("1234.50", "BRL")
    assert "54071234.50" in payload
    assert code.txid == "NF1234P2"
    assert code.additional_info == "Parcela 2 da NF 1234"
    assert code.postal_code == "12245000"


def test_dynamic_code() -> None:
    payload = dynamic_brcode(
        location="https://pix.example.com/qr/v2/cobv/9d36b84fc70b478fb95c12729b90ca25",
        merchant_name="Cobalto",
        merchant_city="Curitiba",
    )
    assert payload.startswith("000201010212")
    code = parse_brcode(payload)
    assert code.is_dynamic and code.is_single_use
    assert code.url == "pix.example.com/qr/v2/cobv/9d36b84fc70b478fb95c12729b90ca25"
    assert code.key is None
    assert code.txid == "***"
    assert re.search(r"6304[0-9A-F]{4}$", payload)


def test_amount_must_be_positive_brl() -> None:
    with pytest.raises(PixError, match="BRL"):
        static_brcode(key="a@b.co", merchant_name="X", merchant_city="Y", amount=Money.of("1", "USD"))
    with pytest.raises(PixError, match="positive"):
        static_brcode(key="a@b.co", merchant_name="X", merchant_city="Y", amount=Money.of("0", "BRL"))


def test_amount_longer_than_13_characters_is_refused() -> None:
    largest = static_brcode(
        key="a@b.co", merchant_name="X", merchant_city="Y", amount=Money.of("9999999999.99", "BRL")
    )
    assert "54139999999999.99" in largest
    with pytest.raises(PixError, match="13 characters"):
        static_brcode(
            key="a@b.co", merchant_name="X", merchant_city="Y", amount=Money.of("10000000000", "BRL")
        )


def test_merchant_account_longer_than_99_is_refused() -> None:
    with pytest.raises(PixError, match="field 26"):
        static_brcode(key="k" * 60, merchant_name="X", merchant_city="Y", additional_info="i" * 30)


def test_normalize_text() -> None:
    assert normalize_text("  João  d'Ávila — Ações ", 25) == "JOAO D'AVILA ACOES"
    assert normalize_text("Çãõ", 2) == "CA"
    assert normalize_text("Fulano de Tal", 25, uppercase=False) == "Fulano de Tal"


class TestParseErrors:
    def test_crc_in_lower_case_is_refused(self) -> None:
        with pytest.raises(PixError, match="CRC"):
            parse_brcode(BACEN_EXAMPLE[:-4] + "1d3d")

    def test_missing_crc(self) -> None:
        with pytest.raises(PixError, match="field 63"):
            parse_brcode(BACEN_EXAMPLE[:-8])

    def test_other_gui(self) -> None:
        body = BACEN_EXAMPLE[:-8].replace("br.gov.bcb.pix", "br.gov.bcb.xyz") + "6304"
        with pytest.raises(PixError, match="GUI"):
            parse_brcode(body + crc_hex(body))

    def test_other_currency(self) -> None:
        body = BACEN_EXAMPLE[:-8].replace("5303986", "5303840") + "6304"
        with pytest.raises(PixError, match="986"):
            parse_brcode(body + crc_hex(body))

    def test_truncated_field(self) -> None:
        body = tlv("00", "01") + "2699abc" + "6304"
        with pytest.raises(PixError):
            parse_brcode(body + crc_hex(body))


class TestTxid:
    def test_limits(self) -> None:
        assert is_valid_txid("***", "static")
        assert is_valid_txid("A" * 25, "static") and not is_valid_txid("A" * 26, "static")
        assert not is_valid_txid("A" * 25, "dynamic") and is_valid_txid("A" * 26, "dynamic")
        assert is_valid_txid("a1" * 17 + "b", "dynamic") and not is_valid_txid("A" * 36, "dynamic")
        assert not is_valid_txid("nf-1234", "static")
        with pytest.raises(PixError, match="26–35"):
            check_txid("short", "dynamic")

    def test_new_txids_are_valid_and_distinct(self) -> None:
        dynamic = {new_txid() for _ in range(200)}
        assert len(dynamic) == 200 and all(is_valid_txid(t, "dynamic") and len(t) == 32 for t in dynamic)
        assert is_valid_txid(new_txid("static"), "static")
        assert len(new_txid("dynamic", 35)) == 35
        with pytest.raises(PixError):
            new_txid("static", 26)


def test_qr_images() -> None:
    png = qr_png(BACEN_EXAMPLE)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = qr_svg(BACEN_EXAMPLE)
    assert svg.startswith(b"<svg") and svg.rstrip().endswith(b"</svg>")
    assert qr_png(BACEN_EXAMPLE) != qr_png(BACEN_EXAMPLE[:-4] + "0000")


# --- properties ------------------------------------------------------------------

_alnum = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=25
)
_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúãõçÁÉ ", min_size=1, max_size=40).filter(
    lambda s: any(c.isalpha() for c in s)
)
_amounts = st.one_of(
    st.none(), st.integers(min_value=1, max_value=10**12 - 1).map(lambda m: Money.from_minor(m, "BRL"))
)
_keys = st.one_of(
    st.uuids().map(str),
    st.from_regex(r"\+55[1-9]{2}9[0-9]{8}", fullmatch=True),
    st.from_regex(r"[0-9]{11}|[0-9]{14}", fullmatch=True),
    st.from_regex(r"[a-z]{1,20}@[a-z]{1,15}\.com\.br", fullmatch=True),
)


@given(_keys, _words, _words, _amounts, st.one_of(st.just("***"), _alnum))
def test_static_build_parse_round_trip(
    key: str, name: str, city: str, amount: Money | None, txid: str
) -> None:
    payload = static_brcode(key=key, merchant_name=name, merchant_city=city, amount=amount, txid=txid)
    code = parse_brcode(payload)
    assert (code.key, code.amount, code.txid) == (key, amount, txid)
    assert code.merchant_name == normalize_text(name, 25)
    assert code.merchant_city == normalize_text(city, 15)
    assert code.merchant_name == code.merchant_name.upper() and code.merchant_name.isascii()


@given(st.from_regex(r"[a-z]{3,12}\.example\.com/qr/v2/[0-9a-f]{32}", fullmatch=True), _words, _amounts)
def test_dynamic_build_parse_round_trip(url: str, name: str, amount: Money | None) -> None:
    payload = dynamic_brcode(
        location="https://" + url, merchant_name=name, merchant_city="Recife", amount=amount
    )
    code = parse_brcode(payload)
    assert (code.url, code.amount, code.point_of_initiation_method) == (url, amount, "12")


_printable = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


@given(st.data())
def test_any_single_character_change_is_refused(data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(BACEN_EXAMPLE) - 1))
    char = data.draw(_printable.filter(lambda c: c != BACEN_EXAMPLE[index]))
    changed = BACEN_EXAMPLE[:index] + char + BACEN_EXAMPLE[index + 1 :]
    with pytest.raises(PixError):
        parse_brcode(changed)
