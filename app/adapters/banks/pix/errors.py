"""Errors raised by the PIX BR Code adapter."""

from __future__ import annotations

from app.domain.shared.errors import DomainError


class PixError(DomainError, ValueError):
    """A BR Code, txid or PIX field that breaks BACEN's rules."""

    title = "Invalid PIX code"
