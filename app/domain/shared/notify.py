"""Outgoing e-mail as the domain sees it: a message and the port that sends it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class InvalidMessage(ValueError):
    """A message that cannot be sent as it is (no recipient, a bad address)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class EmailMessage:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    kind: str = "notification"
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.to:
            raise InvalidMessage("a message needs at least one recipient")
        bad = [a for a in self.to if not _ADDRESS.match(a)]
        if bad:
            raise InvalidMessage(f"invalid recipient address: {', '.join(bad)}")
        if not self.subject.strip():
            raise InvalidMessage("a message needs a subject")
        if "\n" in self.subject or "\r" in self.subject:
            raise InvalidMessage("a subject must be one line")


class Mailer(Protocol):
    """Sends one message; returns the transport's message id."""

    async def send(self, message: EmailMessage) -> str: ...
