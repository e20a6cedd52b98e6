"""PIX BR Code: build and read static and dynamic codes (BACEN, Manual de Padrões
para Iniciação do Pix, on EMV® QRCPS-MPM).

Field names follow the manual.  Top level, in the order written::

    00 Payload Format Indicator = "01"
    01 Point of Initiation Method = "12" (dynamic / single use; absent = reusable)
    26 Merchant Account Information – PIX
         00 GUI = "br.gov.bcb.pix"
         01 chave (static)   02 infoAdicional (static)   25 url (dynamic, no scheme)
    52 Merchant Category Code = "0000"
    53 Transaction Currency = "986"
    54 Transaction Amount (optional, e.g. "10.50")
    58 Country Code = "BR"
    59 Merchant Name (≤ 25)    60 Merchant City (≤ 15)    61 Postal Code (optional)
    62 Additional Data Field Template: 05 Reference Label = txid or "***"
    63 CRC16
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.adapters.banks.pix.emv import CRC_TAG, crc_hex, parse_tlv, tlv
from app.adapters.banks.pix.errors import PixError
from app.adapters.banks.pix.normalize import normalize_free_text, normalize_text
from app.adapters.banks.pix.txid import NO_TXID, check_txid
from app.domain.shared.money import Money

GUI = "br.gov.bcb.pix"
PAYLOAD_FORMAT_INDICATOR = "01"
POI_SINGLE_USE = "12"
POI_REUSABLE = "11"
MCC_NOT_INFORMED = "0000"
CURRENCY_BRL = "986"
COUNTRY_BR = "BR"
MAX_NAME = 25
MAX_CITY = 15
MAX_KEY = 77
MAX_URL = 77
MAX_MERCHANT_ACCOUNT = 99

_AMOUNT = re.compile(r"\d{1,10}(\.\d{1,2})?")
_POSTAL = re.compile(r"\d{8}")
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)


def _amount_field(amount: Money | None) -> str:
    if amount is None:
        return ""
    if amount.currency != "BRL":
        raise PixError(f"PIX charges are in BRL only, got an amount in {amount.currency}")
    if not amount.is_positive():
        raise PixError("a PIX amount must be positive; leave it out to let the payer type it")
    text = f"{amount.amount:.2f}"
    if len(text) > 13:
        raise PixError(f"{amount} does not fit the 13 characters of field 54")
    return tlv("54", text)


def _names(merchant_name: str, merchant_city: str, uppercase: bool) -> str:
    name = normalize_text(merchant_name, MAX_NAME, uppercase=uppercase)
    city = normalize_text(merchant_city, MAX_CITY, uppercase=uppercase)
    if not name or not city:
        raise PixError("merchant name and city are required (letters or digits)")
    return tlv("59", name) + tlv("60", city)


def _postal(postal_code: str | None) -> str:
    if not postal_code:
        return ""
    digits = postal_code.replace("-", "").replace(".", "")
    if not _POSTAL.fullmatch(digits):
        raise PixError(f"postal code (CEP) has 8 digits, got {postal_code!r}")
    return tlv("61", digits)


def _seal(body: str) -> str:
    payload = body + CRC_TAG
    return payload + crc_hex(payload)


def _merchant_account(inner: str) -> str:
    if len(inner) > MAX_MERCHANT_ACCOUNT:
        raise PixError(
            f"merchant account information (field 26) has {len(inner)} characters, at most 99: "
            "shorten the key or the additional information"
        )
    return tlv("26", inner)


def static_brcode(
    *,
    key: str,
    merchant_name: str,
    merchant_city: str,
    amount: Money | None = None,
    txid: str = NO_TXID,
    additional_info: str = "",
    postal_code: str | None = None,
    single_use: bool = False,
    uppercase_names: bool = True,
) -> str:
    """A static (copy-and-paste / printed) BR Code for a PIX key."""
    key = key.strip()
    if not 1 <= len(key) <= MAX_KEY:
        raise PixError(f"a PIX key has 1 to {MAX_KEY} characters")
    check_txid(txid, "static")
    inner = tlv("00", GUI) + tlv("01", key)
    info = normalize_free_text(additional_info, MAX_MERCHANT_ACCOUNT)
    if info:
        inner += tlv("02", info)
    body = (
        tlv("00", PAYLOAD_FORMAT_INDICATOR)
        + (tlv("01", POI_SINGLE_USE) if single_use else "")
        + _merchant_account(inner)
        + tlv("52", MCC_NOT_INFORMED)
        + tlv("53", CURRENCY_BRL)
        + _amount_field(amount)
        + tlv("58", COUNTRY_BR)
        + _names(merchant_name, merchant_city, uppercase_names)
        + _postal(postal_code)
        + tlv("62", tlv("05", txid))
    )
    return _seal(body)


def dynamic_brcode(
    *,
    location: str,
    merchant_name: str,
    merchant_city: str,
    amount: Money | None = None,
    postal_code: str | None = None,
    uppercase_names: bool = True,
) -> str:
    """A dynamic BR Code pointing at the PSP's payload location (field 26-25).

    The charge's txid travels in the payload at that location; 62-05 is ``***``.
    """
    url = _SCHEME.sub("", location.strip())
    if not 1 <= len(url) <= MAX_URL:
        raise PixError(f"location URL has 1 to {MAX_URL} characters without the scheme")
    body = (
        tlv("00", PAYLOAD_FORMAT_INDICATOR)
        + tlv("01", POI_SINGLE_USE)
        + _merchant_account(tlv("00", GUI) + tlv("25", url))
        + tlv("52", MCC_NOT_INFORMED)
        + tlv("53", CURRENCY_BRL)
        + _amount_field(amount)
        + tlv("58", COUNTRY_BR)
        + _names(merchant_name, merchant_city, uppercase_names)
        + _postal(postal_code)
        + tlv("62", tlv("05", NO_TXID))
    )
    return _seal(body)


@dataclass(frozen=True, slots=True)
class BRCode:
    payload: str
    payload_format_indicator: str
    point_of_initiation_method: str | None
    gui: str
    key: str | None
    additional_info: str | None
    url: str | None
    merchant_category_code: str
    transaction_currency: str
    amount: Money | None
    country_code: str
    merchant_name: str
    merchant_city: str
    postal_code: str | None
    txid: str
    crc: str
    fields: tuple[tuple[str, str], ...]

    @property
    def is_dynamic(self) -> bool:
        return self.url is not None

    @property
    def is_single_use(self) -> bool:
        return self.point_of_initiation_method == POI_SINGLE_USE


def _require(fields: dict[str, str], tag: str, name: str) -> str:
    if tag not in fields:
        raise PixError(f"BR Code lacks field {tag} ({name})")
    return fields[tag]


def _pix_account(top: list[tuple[str, str]]) -> dict[str, str]:
    for tag, value in top:
        if 26 <= int(tag) <= 51:
            inner = dict(parse_tlv(value, f"field {tag}"))
            if inner.get("00", "").lower() == GUI:
                return inner
    raise PixError(f"BR Code has no merchant account template with GUI {GUI}")


def _parse_amount(text: str) -> Money:
    if not _AMOUNT.fullmatch(text):
        raise PixError(f"field 54 (amount) {text!r} is not a decimal with at most 2 places")
    amount = Money(Decimal(text).quantize(Decimal("0.01")), "BRL")
    if not amount.is_positive():
        raise PixError("field 54 (amount) must be positive")
    return amount


def parse_brcode(payload: str) -> BRCode:
    """Validate a BR Code (TLV structure, CRC, mandatory PIX fields) and return its fields."""
    payload = payload.strip()
    if len(payload) < 8 or payload[-8:-4] != CRC_TAG:
        raise PixError("BR Code must end with field 63 (CRC16, 4 characters)")
    given, expected = payload[-4:], crc_hex(payload[:-4])
    if given != expected:
        raise PixError(f"CRC16 is {given}, expected {expected}: the code was altered or mistyped")
    top = parse_tlv(payload, "BR Code")
    tags = [tag for tag, _ in top]
    if tags[0] != "00" or top[0][1] != PAYLOAD_FORMAT_INDICATOR:
        raise PixError("BR Code must start with field 00 = 01 (payload format indicator)")
    if len(set(tags)) != len(tags):
        raise PixError("BR Code repeats a field")
    fields = dict(top)
    poi = fields.get("01")
    if poi is not None and poi not in (POI_REUSABLE, POI_SINGLE_USE):
        raise PixError(f"field 01 (point of initiation method) must be 11 or 12, got {poi!r}")
    account = _pix_account(top)
    key, url = account.get("01"), account.get("25")
    if (key is None) == (url is None):
        raise PixError("PIX template must hold either a key (01) or a location URL (25)")
    currency = _require(fields, "53", "transaction currency")
    if currency != CURRENCY_BRL:
        raise PixError(f"field 53 (currency) must be 986 (BRL), got {currency}")
    country = _require(fields, "58", "country code")
    if country != COUNTRY_BR:
        raise PixError(f"field 58 (country) must be BR, got {country}")
    additional = dict(parse_tlv(_require(fields, "62", "additional data field template"), "field 62"))
    txid = additional.get("05")
    if txid is None:
        raise PixError("field 62 lacks 05 (reference label / txid)")
    name = _require(fields, "59", "merchant name")
    city = _require(fields, "60", "merchant city")
    if len(name) > MAX_NAME or len(city) > MAX_CITY:
        raise PixError("merchant name has at most 25 characters and city at most 15")
    return BRCode(
        payload=payload,
        payload_format_indicator=fields["00"],
        point_of_initiation_method=poi,
        gui=account["00"],
        key=key,
        additional_info=account.get("02"),
        url=url,
        merchant_category_code=_require(fields, "52", "merchant category code"),
        transaction_currency=currency,
        amount=_parse_amount(fields["54"]) if "54" in fields else None,
        country_code=country,
        merchant_name=name,
        merchant_city=city,
        postal_code=fields.get("61"),
        txid=txid,
        crc=given,
        fields=tuple(top),
    )
