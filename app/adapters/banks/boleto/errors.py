"""Errors raised by the boleto adapter.

They are ``DomainError`` so drivers show the message to the person who typed a
line by hand, and ``ValueError`` so callers that only validate can catch them
generically.
"""

from __future__ import annotations

from app.domain.shared.errors import DomainError


class BoletoError(DomainError, ValueError):
    """A boleto, barcode, typeable line or nosso número that is not valid."""

    title = "Invalid boleto"
