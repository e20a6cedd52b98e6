"""Tax-id validation per country: CNPJ (numeric and the 2026 alphanumeric form), CPF,
Mexican RFC, US EIN. Other countries are free text."""

from __future__ import annotations

import re

_CNPJ_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_2 = (6, *_CNPJ_WEIGHTS_1)


def _strip(value: str) -> str:
    return re.sub(r"[.\-/\s]", "", value).upper()


def _cnpj_dv(base: str, weights: tuple[int, ...]) -> int:
    # Alphanumeric CNPJ (IN RFB 2.229/2024): each char counts as its ASCII code minus 48.
    total = sum((ord(c) - 48) * w for c, w in zip(base, weights, strict=True))
    rest = total % 11
    return 0 if rest < 2 else 11 - rest


def is_valid_cnpj(value: str) -> bool:
    v = _strip(value)
    if not re.fullmatch(r"[0-9A-Z]{12}[0-9]{2}", v) or len(set(v)) == 1:
        return False
    d1 = _cnpj_dv(v[:12], _CNPJ_WEIGHTS_1)
    d2 = _cnpj_dv(v[:12] + str(d1), _CNPJ_WEIGHTS_2)
    return v[12:] == f"{d1}{d2}"


def is_valid_cpf(value: str) -> bool:
    v = _strip(value)
    if not re.fullmatch(r"\d{11}", v) or len(set(v)) == 1:
        return False
    for n in (9, 10):
        total = sum(int(v[i]) * (n + 1 - i) for i in range(n))
        dv = (total * 10) % 11 % 10
        if dv != int(v[n]):
            return False
    return True


_RFC = re.compile(r"^([A-ZÑ&]{3,4})(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([A-Z\d]{2}[A\d])$")


def is_valid_rfc(value: str) -> bool:
    return bool(_RFC.match(_strip(value)))


_EIN_PREFIXES = frozenset(
    [
        "01",
        "02",
        "03",
        "04",
        "05",
        "06",
        "10",
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "20",
        "21",
        "22",
        "23",
        "24",
        "25",
        "26",
        "27",
        "30",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "38",
        "39",
        "40",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "47",
        "48",
        "50",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "59",
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "67",
        "68",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "77",
        "80",
        "81",
        "82",
        "83",
        "84",
        "85",
        "86",
        "87",
        "88",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
        "99",
    ]
)


def is_valid_ein(value: str) -> bool:
    v = value.strip()
    m = re.fullmatch(r"(\d{2})-?(\d{7})", v)
    return bool(m) and m is not None and m.group(1) in _EIN_PREFIXES


def normalize_tax_id(country: str, value: str) -> str:
    """Canonical storage form: BR/MX without punctuation, US as NN-NNNNNNN."""
    if country in {"BR", "MX"}:
        return _strip(value)
    if country == "US":
        digits = re.sub(r"\D", "", value)
        return f"{digits[:2]}-{digits[2:]}" if len(digits) == 9 else value.strip()
    return value.strip()


def tax_id_error(country: str, value: str) -> str | None:
    """None when valid, else a message a person can act on."""
    if not value.strip():
        return None
    if country == "BR":
        v = _strip(value)
        if len(v) == 11:
            return None if is_valid_cpf(v) else "CPF check digits do not match"
        if len(v) == 14:
            return None if is_valid_cnpj(v) else "CNPJ check digits do not match"
        return "a Brazilian tax id is a CPF (11 digits) or a CNPJ (14 characters)"
    if country == "MX":
        return None if is_valid_rfc(value) else "not a valid RFC (e.g. ABC800101AB1)"
    if country == "US":
        return None if is_valid_ein(value) else "not a valid EIN (NN-NNNNNNN)"
    return None


def is_consumer(country: str, tax_id: str) -> bool:
    """A Brazilian person (CPF) is a consumer for the CDC late-fine cap."""
    return country == "BR" and len(_strip(tax_id)) == 11


def display_tax_id(value: str | None, country: str | None = None) -> str:
    """The tax id as people write it: CNPJ ``12.345.678/0001-90`` (also alphanumeric),
    CPF ``123.456.789-09``, EIN ``12-3456789``, RFC in capitals without separators.

    Without a country the shape decides (14 characters CNPJ, 11 digits CPF); anything
    that does not fit its country's shape is shown as stored, never half-formatted.
    """
    if not value:
        return ""
    raw = value.strip()
    v = _strip(raw)
    if country in (None, "", "BR"):
        if re.fullmatch(r"[0-9A-Z]{12}[0-9]{2}", v):
            return f"{v[:2]}.{v[2:5]}.{v[5:8]}/{v[8:12]}-{v[12:]}"
        if re.fullmatch(r"\d{11}", v):
            return f"{v[:3]}.{v[3:6]}.{v[6:9]}-{v[9:]}"
        return raw
    if country == "MX":
        return v if _RFC.match(v) else raw
    if country == "US":
        digits = re.sub(r"\D", "", raw)
        return f"{digits[:2]}-{digits[2:]}" if re.fullmatch(r"\d{2}-?\d{7}", raw) else raw
    return raw
