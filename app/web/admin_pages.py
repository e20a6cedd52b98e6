"""Administration: users (invite, roles, deactivate) and OAuth clients (create, revoke)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.base import utcnow
from app.adapters.db.provisioning import create_client
from app.adapters.passwords import token_hash
from app.domain.shared.errors import Conflict, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.tenancy.model import OAUTH_SCOPES, Permission, Role
from app.server.guards import requires
from app.web.auth_pages import invite_token
from app.web.pages import (
    Shell,
    field_errors,
    form_data,
    form_list,
    parse_uuid,
    queries,
    render,
    services_of,
    shell,
    uow_of,
)

ROLES = [r.value for r in Role]
INVITE_DAYS = 7
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NO_STORE = {"Cache-Control": "no-store"}


@get("/admin", guards=[], include_in_schema=False)
async def admin_index(request: Request[Any, Any, Any]) -> Redirect:
    sh = await shell(request)
    for permission, target in (
        (Permission.USERS_MANAGE, "/admin/users"),
        (Permission.CLIENTS_MANAGE, "/admin/clients"),
        (Permission.AUDIT_READ, "/admin/audit"),
        (Permission.SETTINGS_MANAGE, "/admin/report-emails"),
    ):
        if sh.principal.can(permission):
            return Redirect(target)
    raise PermissionDeniedException("You do not have permission for this.")


class UserAdminPages(Controller):
    path = "/admin/users"
    guards = [requires(Permission.USERS_MANAGE)]
    include_in_schema = False

    @get("/")
    async def list_users(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        return await _users_page(request, sh, {}, {})

    @post("/invite")
    async def invite(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        values = await form_data(request)
        roles = [r for r in await form_list(request, "roles") if r in ROLES]
        email = values.get("email", "").strip().lower()
        name = values.get("name", "").strip()
        errors: dict[str, str] = {}
        if not _EMAIL.match(email) or len(email) > 254:
            errors["email"] = "Enter a valid e-mail address."
        if not name or len(name) > 200:
            errors["name"] = "Enter the person's name (up to 200 characters)."
        if not roles:
            errors["roles"] = "Choose at least one role."
        token = invite_token(sh.principal.tenant.value)
        if not errors:
            try:
                async with uow_of(request, sh) as uow:
                    if await uow.users.by_email(email) is not None:
                        errors["email"] = "This person is already a user here."
                    else:
                        user_id = new_id()
                        await uow.users.add(
                            email=email, name=name, roles=roles, password_hash=None, user_id=user_id
                        )
                        await uow.session.flush()
                        expires = utcnow() + timedelta(days=INVITE_DAYS)
                        await queries(uow).set_invite(user_id, token_hash(token), expires)
                        uow.audit("invite", "user", str(user_id), None, {"email": email, "roles": roles})
                        await uow.commit()
            except Conflict:
                errors["email"] = "This person is already a user here."
        if errors:
            return await _users_page(request, sh, {**values, "roles": roles}, errors, status=422)
        link = f"{str(request.base_url).rstrip('/')}/invite/{token}"
        return render(
            sh, "admin/invite_result.html", headers=NO_STORE, link=link, email=email, days=INVITE_DAYS
        )

    @post("/{user_id:str}/roles")
    async def set_roles(self, request: Request[Any, Any, Any], user_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        uid = parse_uuid(user_id)
        roles = sorted({r for r in await form_list(request, "roles") if r in ROLES})
        async with uow_of(request, sh) as uow:
            user = await uow.users.get(uid)
            if user is None:
                raise NotFoundException("This user does not exist.")
            errors: dict[str, str] = {}
            if not roles:
                errors[f"roles-{uid}"] = "Keep at least one role."
            elif uid == sh.user.user_id and Role.TENANT_ADMIN.value not in roles:
                errors[f"roles-{uid}"] = "You cannot remove your own administrator role."
            if errors:
                return await _users_page(request, sh, {}, errors, status=422)
            before = sorted(user.roles)
            if before != roles:
                await uow.users.set_roles(uid, roles)
                uow.audit("set_roles", "user", str(uid), {"roles": before}, {"roles": roles})
                await uow.commit()
        return Redirect("/admin/users", status_code=303)

    @post("/{user_id:str}/active")
    async def set_active(self, request: Request[Any, Any, Any], user_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        uid = parse_uuid(user_id)
        active = (await form_data(request)).get("active") == "yes"
        async with uow_of(request, sh) as uow:
            user = await uow.users.get(uid)
            if user is None:
                raise NotFoundException("This user does not exist.")
            if uid == sh.user.user_id and not active:
                return await _users_page(
                    request, sh, {}, {f"active-{uid}": "You cannot deactivate yourself."}, status=422
                )
            if user.is_active != active:
                await uow.users.set_active(uid, active)
                action = "reactivate" if active else "deactivate"
                uow.audit(action, "user", str(uid), {"is_active": user.is_active}, {"is_active": active})
                await uow.commit()
        return Redirect("/admin/users", status_code=303)


async def _users_page(
    request: Request[Any, Any, Any],
    sh: Shell,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    async with uow_of(request, sh) as uow:
        users = await uow.users.list_all()
    return render(
        sh, "admin/users.html", status=status, users=users, roles=ROLES, values=values, errors=errors
    )


class ClientAdminPages(Controller):
    path = "/admin/clients"
    guards = [requires(Permission.CLIENTS_MANAGE)]
    include_in_schema = False

    @get("/")
    async def list_clients(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        return await _clients_page(request, sh, {}, {})

    @post("/")
    async def create(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        values = await form_data(request)
        scopes = [s for s in await form_list(request, "scopes") if s in OAUTH_SCOPES]
        name = values.get("name", "").strip()
        errors: dict[str, str] = {}
        if not name or len(name) > 200:
            errors["name"] = "Name the system that will use this client (up to 200 characters)."
        if not scopes:
            errors["scopes"] = "Choose at least one scope."
        if errors:
            return await _clients_page(request, sh, {**values, "scopes": scopes}, errors, status=422)
        try:
            created = await create_client(
                services_of(request).sessions,
                sh.principal.tenant.value,
                name=name,
                scopes=" ".join(scopes),
                created_by=sh.principal.actor,
            )
        except ValidationFailed as exc:
            return await _clients_page(request, sh, values, field_errors(exc.errors), status=422)
        async with uow_of(request, sh) as uow:
            uow.audit(
                "create", "oauth_client", created.client_id, None, {"name": name, "scopes": created.scopes}
            )
            await uow.commit()
        # The secret is shown on this page only; it is stored as a hash.
        return render(sh, "admin/client_created.html", headers=NO_STORE, client=created, name=name)

    @post("/{client_id:str}/revoke")
    async def revoke(self, request: Request[Any, Any, Any], client_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        async with uow_of(request, sh) as uow:
            if not await queries(uow).revoke_client(client_id[:64]):
                raise NotFoundException("This client does not exist or is already revoked.")
            uow.audit("revoke", "oauth_client", client_id[:64], None, None)
            await uow.commit()
        return Redirect("/admin/clients", status_code=303)


async def _clients_page(
    request: Request[Any, Any, Any],
    sh: Shell,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    async with uow_of(request, sh) as uow:
        clients = await queries(uow).oauth_clients()
    return render(
        sh,
        "admin/clients.html",
        status=status,
        clients=clients,
        scopes=OAUTH_SCOPES,
        values=values,
        errors=errors,
    )


ROUTES = [admin_index, UserAdminPages, ClientAdminPages]
