"""E-mail over real SMTP (aiosmtpd) and the local mailbox of the embedded default."""

from __future__ import annotations

import asyncio
import email
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.adapters.db.repositories.mailbox import SqlMailboxRepository
from app.adapters.notify.outbox_mailer import TenantMailer
from app.adapters.notify.smtp import SmtpMailer
from app.domain.shared.notify import Attachment, EmailMessage, InvalidMessage
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import new_tenant
from tests.support.live_server import free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _message(**kw: Any) -> EmailMessage:
    return EmailMessage(
        to=kw.pop("to", ("rep@example.com",)),
        subject=kw.pop("subject", "Vencidos por vendedor"),
        text=kw.pop("text", "Olá, seguem os títulos vencidos."),
        **kw,
    )


async def test_smtp_delivers_text_html_and_attachment(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer(f"smtp://127.0.0.1:{port}", "Cobalto <no-reply@cobalto.local>")
    message_id = await mailer.send(
        _message(
            html="<p>Olá</p>",
            attachments=(Attachment("vencidos.csv", "text/csv", b"a;b\n1;2\n"),),
        )
    )
    for _ in range(50):
        if inbox.messages:
            break
        await asyncio.sleep(0.05)
    received = inbox.messages[0]
    assert received["Subject"] == "Vencidos por vendedor"
    assert received["Message-ID"] == message_id
    parts = {p.get_content_type(): p for p in received.walk()}
    assert "text/html" in parts
    assert parts["text/csv"].get_filename() == "vencidos.csv"


async def test_tenant_mailer_records_and_dedupes(services: Services, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    tenant = await new_tenant(services)
    principal = system_principal(tenant.id, "test")
    mailer = TenantMailer(
        services.sessions, principal.tenant, SmtpMailer(f"smtp://127.0.0.1:{port}", "x@y.io")
    )
    first = await mailer.send(_message(), dedupe_key="overdue-by-rep:2026-11-23:rep@example.com")
    again = await mailer.send(_message(), dedupe_key="overdue-by-rep:2026-11-23:rep@example.com")
    assert first.status == "sent"
    assert again.id == first.id
    await asyncio.sleep(0.2)
    assert len(inbox.messages) == 1
    async with services.uow(principal) as uow:
        rows = await SqlMailboxRepository(uow.session, uow.tenant).recent()
    assert [r.status for r in rows] == ["sent"]


async def test_embedded_default_keeps_messages_in_the_mailbox(services: Services) -> None:
    tenant = await new_tenant(services)
    mailer = TenantMailer(services.sessions, system_principal(tenant.id, "t").tenant, None)
    row = await mailer.send(_message(to=("a@b.co", "c@d.co")))
    assert row.status == "delivered_locally"
    async with services.uow(system_principal(tenant.id, "t")) as uow:
        mine = await SqlMailboxRepository(uow.session, uow.tenant).recent()
    assert [m.id for m in mine] == [row.id]
    assert mine[0].to_addresses == ["a@b.co", "c@d.co"]
    other = await new_tenant(services)
    async with services.uow(system_principal(other.id, "t")) as uow:
        assert await SqlMailboxRepository(uow.session, uow.tenant).recent() == []
        assert await SqlMailboxRepository(uow.session, uow.tenant).get(row.id) is None


async def test_unreachable_smtp_is_recorded_as_failed(services: Services) -> None:
    tenant = await new_tenant(services)
    mailer = TenantMailer(
        services.sessions,
        system_principal(tenant.id, "t").tenant,
        SmtpMailer(f"smtp://127.0.0.1:{free_port()}", "x@y.io", timeout=2),
    )
    row = await mailer.send(_message())
    assert row.status == "failed"
    assert row.error


@pytest.mark.parametrize(
    "kw",
    [{"to": ()}, {"to": ("not-an-address",)}, {"subject": " "}, {"subject": "a\r\nBcc: x@y.z"}],
)
def test_invalid_messages_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(InvalidMessage):
        _message(**kw)
