"""Webhook secrets at rest: the server must read them back to sign, so they are
encrypted (Fernet: AES-128-CBC + HMAC) with a key derived from the app secret key."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"cobalto/webhook-secrets/v1"


class SecretBox:
    def __init__(self, app_secret_key: str) -> None:
        # HKDF separates this key from every other use of the app secret key.
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            app_secret_key.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("webhook secret cannot be decrypted with the current secret key") from exc
