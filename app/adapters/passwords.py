"""Password and secret hashing and opaque token helpers.

People's passwords are low-entropy: they get argon2id, deliberately slow. Machine
secrets (OAuth client secrets, tokens) are 256-bit random values: a SHA-256 digest
compared in constant time is as safe and keeps the token endpoint fast.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


def _make_hasher() -> PasswordHasher:
    # The test suite creates hundreds of users: it asks for the cheapest argon2
    # parameters. Verification reads the parameters from each hash, so hashes made
    # either way verify everywhere.
    if os.environ.get("COBALTO_FAST_PASSWORD_HASHING") == "1":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


_hasher = _make_hasher()
# A hash to verify against when the e-mail is unknown, so timing does not tell.
_DUMMY = _hasher.hash("cobalto-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    # argon2 is deliberately slow: keep it off the event loop.
    return await asyncio.to_thread(_verify, password_hash, password)


SECRET_PREFIX = "sha256$"


def secret_digest(secret: str) -> str:
    """Stored form of a high-entropy machine secret."""
    return SECRET_PREFIX + hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(stored: str, secret: str) -> bool:
    return stored.startswith(SECRET_PREFIX) and hmac.compare_digest(stored, secret_digest(secret))


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """Opaque tokens are stored as SHA-256: they are random, so no slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def password_problem(password: str) -> str | None:
    if len(password) < 12:
        return "must be at least 12 characters"
    if password.lower() == password or password.upper() == password or not any(c.isdigit() for c in password):
        return "must mix upper and lower case letters and digits"
    return None
