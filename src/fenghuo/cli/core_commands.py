"""Platform commands: ``db``, ``org``, ``user``, ``token``, ``serve`` and ``demo``.

The CLI is the operator's (platform administration): ``user create --org`` adds a member
directly; ``org invite`` sends an invitation the user must accept, as an organisation admin would.
"""

from __future__ import annotations

import errno
import socket
from datetime import datetime
from enum import StrEnum

import typer
from rich.table import Table

from fenghuo.cli.common import fail, handle_errors, out_console, print_json
from fenghuo.cli.common import progress_bar as _progress
from fenghuo.core import invitations, orgs, tokens
from fenghuo.core.db import get_engine, init_db, session_scope
from fenghuo.core.i18n import N_, _
from fenghuo.core.models import OrgKind, Role
from fenghuo.core.settings import get_settings

db_app = typer.Typer(help=N_("Database schema."), no_args_is_help=True)
org_app = typer.Typer(help=N_("Organisations (tenants)."), no_args_is_help=True)
user_app = typer.Typer(help=N_("Users and memberships."), no_args_is_help=True)
token_app = typer.Typer(help=N_("API tokens."), no_args_is_help=True)

KindOption = StrEnum("KindOption", {k.value: k.value for k in OrgKind})  # type: ignore[misc]
RoleOption = StrEnum("RoleOption", {r.value: r.value for r in Role})  # type: ignore[misc]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


@db_app.command("upgrade", help=N_("Create or upgrade the schema to the newest migration."))
@handle_errors
def db_upgrade() -> None:
    init_db()  # as the owner role (FENGHUO_MIGRATION_DATABASE_URL) when one is configured
    engine = get_engine(get_settings().owner_database_url)
    typer.echo(_("Database is up to date: %(url)s", url=engine.url.render_as_string(hide_password=True)))


@org_app.command("create", help=N_("Create an organisation."))
@handle_errors
def org_create(
    name: str = typer.Argument(..., help=N_("Organisation name (unique).")),
    kind: KindOption = typer.Option(OrgKind.ENTERPRISE.value, "--kind", help=N_("Organisation kind.")),
    parent: str | None = typer.Option(None, "--parent", help=N_("Parent organisation (id or name) of a branch.")),
    region: str | None = typer.Option(None, "--region", help=N_("Region (province or city) it serves or sits in.")),
    industry: str | None = typer.Option(None, "--industry", help=N_("Industry.")),
) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        parent_id = orgs.get_organisation_by_ref(session, parent).id if parent else None
        org = orgs.create_organisation(
            session, name, kind.value, parent_id=parent_id, region=region, industry=industry
        )
        typer.echo(_("Created organisation %(id)s: %(name)s (%(kind)s)", id=org.id, name=org.name, kind=org.kind))


@org_app.command("list", help=N_("List organisations."))
@handle_errors
def org_list(fmt: OutputFormat = typer.Option(OutputFormat.table, "--format")) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        rows = [
            {"id": o.id, "name": o.name, "kind": o.kind, "parent_id": o.parent_id, "region": o.region}
            for o in orgs.list_organisations(session)
        ]
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    table = Table(_("ID"), _("Name"), _("Kind"), _("Parent"), _("Region"))
    for r in rows:
        table.add_row(str(r["id"]), str(r["name"]), str(r["kind"]), str(r["parent_id"] or ""), str(r["region"] or ""))
    out_console.print(table)


@org_app.command("invite", help=N_("Invite an e-mail address; the user joins on accepting (account page or API)."))
@handle_errors
def org_invite(
    org: str = typer.Argument(..., help=N_("Organisation (id or name).")),
    email: str = typer.Argument(..., help=N_("E-mail address to invite (an account may not exist yet).")),
    role: RoleOption = typer.Option(Role.MEMBER.value, "--role", help=N_("Role on accepting.")),
) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        organisation = orgs.get_organisation_by_ref(session, org)
        inv = invitations.invite(session, organisation.id, email, role.value)
        typer.echo(_("Invitation %(id)s: %(email)s to %(org)s as %(role)s, expires %(date)s", id=inv.id,
                     email=inv.email, org=organisation.name, role=inv.role, date=inv.expires_at.date().isoformat()))


@org_app.command("invitations", help=N_("List an organisation's invitations that were not accepted."))
@handle_errors
def org_invitations(
    org: str = typer.Argument(..., help=N_("Organisation (id or name).")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        organisation = orgs.get_organisation_by_ref(session, org)
        rows = [{"id": i.id, "email": i.email, "role": i.role, "status": i.status(),
                 "expires_at": i.expires_at.isoformat()} for i in invitations.org_invitations(session, organisation.id)]
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    table = Table(_("ID"), _("Email"), _("Role"), _("Status"), _("Expires"))
    for r in rows:
        table.add_row(str(r["id"]), str(r["email"]), str(r["role"]), invitations.status_label(str(r["status"])),
                      str(r["expires_at"])[:16])
    out_console.print(table)


@org_app.command("revoke-invitation", help=N_("Revoke an invitation that was not accepted."))
@handle_errors
def org_revoke_invitation(
    org: str = typer.Argument(..., help=N_("Organisation (id or name).")),
    invitation_id: int = typer.Argument(..., help=N_("Invitation id (see `org invitations`).")),
) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        organisation = orgs.get_organisation_by_ref(session, org)
        invitations.revoke(session, organisation.id, invitation_id)
        typer.echo(_("Revoked invitation %(id)s", id=invitation_id))


@user_app.command("create", help=N_("Create a user, optionally as a member of an organisation."))
@handle_errors
def user_create(
    email: str = typer.Argument(..., help=N_("Email address (the login).")),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True,
                                 help=N_("12 to 128 characters, not a common password.")),
    org: str | None = typer.Option(None, "--org", help=N_("Organisation (id or name) to join.")),
    role: RoleOption = typer.Option(Role.MEMBER.value, "--role", help=N_("Role in that organisation.")),
    name: str = typer.Option("", "--name", help=N_("Display name.")),
    locale: str = typer.Option("en", "--locale", help=N_("en or zh_CN.")),
    platform_admin: bool = typer.Option(False, "--platform-admin", help=N_("May manage every organisation.")),
) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        user = orgs.create_user(
            session, email, password, display_name=name, locale=locale, platform_admin=platform_admin
        )
        if org:
            organisation = orgs.get_organisation_by_ref(session, org)
            orgs.add_member(session, organisation.id, user.id, role.value)
        typer.echo(_("Created user %(id)s: %(email)s", id=user.id, email=user.email))


@user_app.command("list", help=N_("List users with their organisations and roles."))
@handle_errors
def user_list(
    org: str | None = typer.Option(None, "--org", help=N_("Only members of this organisation.")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    init_db()
    from sqlalchemy import select

    from fenghuo.core.models import User

    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        org_filter = orgs.get_organisation_by_ref(session, org).id if org else None
        rows = []
        for user in session.scalars(select(User).order_by(User.id)):
            ms = orgs.memberships_of(session, user.id)
            if org_filter is not None and all(m.organisation_id != org_filter for m in ms):
                continue
            rows.append(
                {
                    "id": user.id,
                    "email": user.email,
                    "name": user.display_name,
                    "platform_admin": user.is_platform_admin,
                    "memberships": [{"organisation": m.organisation.name, "role": m.role} for m in ms],
                }
            )
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    table = Table(_("ID"), _("Email"), _("Name"), _("Organisations"))
    for r in rows:
        members = ", ".join(f"{m['organisation']} ({m['role']})" for m in r["memberships"])  # type: ignore[attr-defined]
        table.add_row(str(r["id"]), str(r["email"]), str(r["name"]), members)
    out_console.print(table)


@token_app.command("create", help=N_("Create an API token; it is shown once. Without an expiry it never expires."))
@handle_errors
def token_create(
    email: str = typer.Argument(..., help=N_("Owner of the token.")),
    org: str = typer.Option(..., "--org", help=N_("Organisation (id or name) the token acts for.")),
    name: str = typer.Option("cli", "--name", help=N_("A name to recognise the token by.")),
    scopes: str = typer.Option("read", "--scopes", help=N_("read, or 'read write'.")),
    expires_in_days: int | None = typer.Option(None, "--expires-in-days", help=N_("Expire after this many days.")),
    expires_on: datetime | None = typer.Option(None, "--expires-on", formats=["%Y-%m-%d"],
                                               help=N_("Expire at the end of this day (UTC).")),
) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        user = orgs.get_user_by_email(session, email)
        organisation = orgs.get_organisation_by_ref(session, org)
        expires_at = tokens.expiry_from(expires_in_days, expires_on.date() if expires_on else None)
        row, plaintext = tokens.create_token(session, user, organisation.id, name, scopes, expires_at=expires_at)
        typer.echo(_("Token %(id)s (%(scopes)s) — shown once, store it now:", id=row.id, scopes=row.scopes))
        typer.echo(plaintext)
        if row.expires_at is not None:
            typer.echo(_("It expires %(when)s (UTC).", when=row.expires_at.strftime("%Y-%m-%d %H:%M")))


@token_app.command("revoke", help=N_("Revoke an API token."))
@handle_errors
def token_revoke(
    token_id: int = typer.Argument(..., help=N_("Token id (see the account page or `token list`).")),
) -> None:
    init_db()
    from fenghuo.core.errors import NotFound
    from fenghuo.core.models import ApiToken

    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFound(_("token %(id)s not found", id=token_id))
        tokens.revoke_token(session, token_id, row.user)
        typer.echo(_("Revoked token %(id)s", id=token_id))


@token_app.command("list", help=N_("List a user's tokens (never the secrets)."))
@handle_errors
def token_list(email: str = typer.Argument(..., help=N_("Owner of the tokens."))) -> None:
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        user = orgs.get_user_by_email(session, email)
        table = Table(_("ID"), _("Name"), _("Prefix"), _("Scopes"), _("Last used"), _("Expires"), _("Revoked"))
        for t in tokens.tokens_of(session, user.id):
            expires = str(t.expires_at or _("never")) + (f" ({_('expired')})" if t.is_expired() else "")
            table.add_row(
                str(t.id), t.name, t.prefix, t.scopes, str(t.last_used_at or ""), expires, str(t.revoked_at or "")
            )
    out_console.print(table)


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind and listen on ``host:port`` now, so the address is printed only once it is really ours.

    A taken port (or a host that is not an address of this machine) ends the command with one
    translated line and exit code 1 instead of a traceback after the address was announced.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        fail(_("cannot listen on %(host)s: no such host", host=host))
    family, kind, proto, _canon, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            fail(_("port %(port)s on %(host)s is already in use; stop the program using it or choose another "
                   "port (--port, or make demo PORT=…)", port=port, host=host))
        fail(_("cannot listen on %(host)s:%(port)s: %(error)s", host=host, port=port, error=exc.strerror or exc))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _serve_on(sock: socket.socket, host: str, port: int) -> None:
    import uvicorn

    from fenghuo.web.app import create_app

    typer.echo(_("Fenghuo is running at http://%(host)s:%(port)s/ (Ctrl+C stops it)", host=host, port=port))
    server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level="info"))
    server.run(sockets=[sock])


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help=N_("Interface to listen on.")),
    port: int = typer.Option(8000, "--port", help=N_("Port to listen on.")),
) -> None:
    sock = bind_socket(host, port)
    init_db()
    _serve_on(sock, host, port)


def worker(
    workers: int = typer.Option(2, "--workers", min=1, help=N_("Worker threads.")),
) -> None:
    from huey.consumer import Consumer

    from fenghuo.tasks import huey

    init_db()
    typer.echo(_("Background worker started (queue %(path)s)", path=huey.storage.filename))
    Consumer(huey, workers=workers, worker_type="thread").run()


def demo(
    serve_after: bool = typer.Option(False, "--serve", help=N_("Start the web server afterwards.")),
    host: str = typer.Option("127.0.0.1", "--host", help=N_("Interface to listen on.")),
    port: int = typer.Option(8000, "--port", help=N_("Port to listen on.")),
    shared_sample: bool = typer.Option(True, "--shared-sample/--no-shared-sample",
                                       help=N_("Load the shared EUIPO and ST.66 register samples "
                                               "($FENGHUO_SHARED/data/trademarks/) when present.")),
) -> None:
    from fenghuo.demo import load_demo

    sock = bind_socket(host, port) if serve_after else None  # a taken port fails before minutes of loading
    init_db()
    with _progress() as progress:
        task = progress.add_task(_("Loading the demo data"), total=None)
        summary = load_demo(shared_sample=shared_sample, progress=lambda n: progress.advance(task, n))
    typer.echo(_("Demo data is ready (all of it is invented for the demo)."))
    shared = summary.shared
    if shared is not None and shared.loaded:
        typer.echo(_("Shared register sample loaded: %(stored)s records, %(quarantined)s quarantined, from %(paths)s",
                     stored=shared.stored, quarantined=shared.quarantined,
                     paths=", ".join(str(p) for p in shared.loaded)))
    if shared is not None and shared.missing:
        typer.echo(_("Shared register sample not found at %(paths)s: the demo register holds only its invented "
                     "marks. Set FENGHUO_SHARED to the shared folder to load the real EUIPO and ST.66 records.",
                     paths=", ".join(str(p) for p in shared.missing)))
    for login in summary.logins:
        typer.echo(f"  {login.email} / {login.password}   ({login.organisation}, {login.role})")
    if sock is None:
        typer.echo(_("Start the server with `fenghuo serve`, then open http://%(host)s:%(port)s/ and log in with "
                     "one of the accounts above.", host=host, port=port))
        return
    typer.echo(_("Open http://%(host)s:%(port)s/ and log in with one of the accounts above.", host=host, port=port))
    _serve_on(sock, host, port)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(org_app, name="org")
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.command("serve", help=N_("Run the web application and API."))(serve)
    app.command("demo", help=N_(
        "Create demo organisations, users and data (labelled demo), print the logins."))(demo)
    app.command("worker", help=N_(
        "Run the background worker: nightly watch runs and daily alert digests (Huey consumer)."))(worker)
