"""QR Code images of a BR Code (segno), for slips, e-mails and the web."""

from __future__ import annotations

import io

import segno

from app.adapters.banks.pix.errors import PixError


def _qr(payload: str) -> segno.QRCode:
    if not payload:
        raise PixError("nothing to encode")
    # Byte mode, error correction M: what BACEN's examples and most PSPs use;
    # segno may raise the level when it fits in the same version.
    return segno.make_qr(payload, error="m", mode="byte")


def qr_png(payload: str, *, scale: int = 6, border: int = 4) -> bytes:
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_svg(payload: str, *, scale: int = 6, border: int = 4) -> bytes:
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="svg", scale=scale, border=border, xmldecl=False)
    return buffer.getvalue()
