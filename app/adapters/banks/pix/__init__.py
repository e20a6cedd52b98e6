"""PIX BR Code (BACEN, EMV® QRCPS-MPM): build, read and draw.

Pure format code: no web or database imports.  Amounts are ``Money`` in BRL.
"""

from app.adapters.banks.pix.brcode import BRCode, dynamic_brcode, parse_brcode, static_brcode
from app.adapters.banks.pix.emv import crc16_ccitt_false
from app.adapters.banks.pix.errors import PixError
from app.adapters.banks.pix.normalize import normalize_text
from app.adapters.banks.pix.qr import qr_png, qr_svg
from app.adapters.banks.pix.txid import NO_TXID, check_txid, is_valid_txid, new_txid

__all__ = [
    "NO_TXID",
    "BRCode",
    "PixError",
    "check_txid",
    "crc16_ccitt_false",
    "dynamic_brcode",
    "is_valid_txid",
    "new_txid",
    "normalize_text",
    "parse_brcode",
    "qr_png",
    "qr_svg",
    "static_brcode",
]
