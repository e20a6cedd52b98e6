"""Users of one tenant, their login pointers and web sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, update

from app.adapters.db.base import utcnow
from app.adapters.db.models import UserLoginRow, UserRow, WebSessionRow
from app.adapters.db.repositories.base import TenantRepository


class SqlUserRepository(TenantRepository):
    async def get(self, user_id: uuid.UUID) -> UserRow | None:
        row: UserRow | None = (
            await self.session.execute(self.scoped(UserRow).where(UserRow.id == user_id))
        ).scalar()
        return row

    async def by_email(self, email: str) -> UserRow | None:
        stmt = self.scoped(UserRow).where(UserRow.email == email.strip().lower())
        row: UserRow | None = (await self.session.execute(stmt)).scalar()
        return row

    async def list_all(self) -> list[UserRow]:
        return list((await self.session.execute(self.scoped(UserRow).order_by(UserRow.email))).scalars())

    async def add(
        self, *, email: str, name: str, roles: list[str], password_hash: str | None, user_id: uuid.UUID
    ) -> UserRow:
        email = email.strip().lower()
        row = UserRow(
            tenant_id=self.tenant_uuid, id=user_id, email=email, name=name, roles=roles, is_active=True
        )
        self.session.add(row)
        self.session.add(
            UserLoginRow(
                email=email,
                tenant_id=self.tenant_uuid,
                user_id=user_id,
                password_hash=password_hash,
                is_active=True,
            )
        )
        return row

    async def set_password(self, user_id: uuid.UUID, password_hash: str) -> None:
        await self.session.execute(
            update(UserLoginRow)
            .where(UserLoginRow.tenant_id == self.tenant_uuid, UserLoginRow.user_id == user_id)
            .values(password_hash=password_hash)
        )

    async def set_active(self, user_id: uuid.UUID, active: bool) -> None:
        await self.session.execute(
            update(UserRow)
            .where(UserRow.tenant_id == self.tenant_uuid, UserRow.id == user_id)
            .values(is_active=active, updated_at=utcnow())
        )
        await self.session.execute(
            update(UserLoginRow)
            .where(UserLoginRow.tenant_id == self.tenant_uuid, UserLoginRow.user_id == user_id)
            .values(is_active=active)
        )
        if not active:
            await self.session.execute(
                delete(WebSessionRow).where(
                    WebSessionRow.tenant_id == self.tenant_uuid, WebSessionRow.user_id == user_id
                )
            )

    async def set_roles(self, user_id: uuid.UUID, roles: list[str]) -> None:
        await self.session.execute(
            update(UserRow)
            .where(UserRow.tenant_id == self.tenant_uuid, UserRow.id == user_id)
            .values(roles=roles, updated_at=utcnow())
        )

    async def open_session(
        self, user_id: uuid.UUID, token_hash: str, csrf_token: str, expires_at: datetime
    ) -> None:
        self.session.add(
            WebSessionRow(
                token_hash=token_hash,
                tenant_id=self.tenant_uuid,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=utcnow(),
                expires_at=expires_at,
            )
        )
        await self.session.execute(
            update(UserRow)
            .where(UserRow.tenant_id == self.tenant_uuid, UserRow.id == user_id)
            .values(last_login_at=utcnow())
        )

    async def close_session(self, token_hash: str) -> None:
        await self.session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))

    async def ids(self) -> list[uuid.UUID]:
        return list((await self.session.execute(self.scoped(UserRow, UserRow.id))).scalars())
