"""Database URLs as the README writes them, and PostgreSQL's split roles.

The application connects as a role that owns nothing (``FENGHUO_DATABASE_URL``); migrations run
as the owner (``FENGHUO_MIGRATION_DATABASE_URL``). The application role must not be able to lift
row-level security with a session setting, touch the audit trigger, or change audit rows; its
wide reads go through the audited platform scope.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from fenghuo.core import orgs
from fenghuo.core.db import alembic_config, make_engine, session_scope
from fenghuo.core.models import AuditEntry
from fenghuo.core.settings import get_settings, normalise_database_url
from fenghuo.core.tenancy import platform_scope
from fenghuo.tm.models import WatchedMark

runner = CliRunner()


def _postgres(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (FENGHUO_TEST_DATABASE_URL)")


def _split_roles(engine: Engine) -> None:
    _postgres(engine)
    if not os.environ.get("FENGHUO_TEST_APP_DATABASE_URL"):
        pytest.skip("needs the application role (FENGHUO_TEST_APP_DATABASE_URL, see .ci/start-postgres.sh)")


def test_plain_postgresql_url_gets_the_driver_and_keeps_the_password() -> None:
    url = normalise_database_url("postgresql://user:p%40ss%25w@db.example:5433/fh")
    assert url == "postgresql+psycopg://user:p%40ss%25w@db.example:5433/fh"
    assert make_url(url).password == "p@ss%w"
    assert normalise_database_url("postgres://u:pw@h/db").startswith("postgresql+psycopg://u:pw@")
    assert normalise_database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_engine_and_alembic_get_the_real_password() -> None:
    """No engine is made from a masked URL (``str(url)`` renders the password as ``***``)."""
    engine = make_engine("postgresql://user:p%40ss%25w@db.example:5433/fh")
    assert engine.url.password == "p@ss%w"
    assert engine.url.drivername == "postgresql+psycopg"
    # Alembic's config interpolates "%": the URL must come back unchanged, password included.
    assert alembic_config(engine).get_main_option("sqlalchemy.url") == (
        "postgresql+psycopg://user:p%40ss%25w@db.example:5433/fh"
    )


def test_settings_normalise_the_configured_urls(monkeypatch: pytest.MonkeyPatch, fenghuo_home: object) -> None:
    monkeypatch.setenv("FENGHUO_DATABASE_URL", "postgresql://app:secret@h/fh")
    monkeypatch.setenv("FENGHUO_MIGRATION_DATABASE_URL", "postgresql://owner:s3cret@h/fh")
    settings = get_settings()
    assert settings.database_url == "postgresql+psycopg://app:secret@h/fh"
    assert settings.owner_database_url == "postgresql+psycopg://owner:s3cret@h/fh"
    monkeypatch.delenv("FENGHUO_MIGRATION_DATABASE_URL")
    assert get_settings().owner_database_url == "postgresql+psycopg://app:secret@h/fh"


def test_cli_commands_work_with_the_readme_url_form(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """``FENGHUO_DATABASE_URL=postgresql://user:pw@host/db`` — as the README writes it — works."""
    _postgres(db_engine)
    from fenghuo.cli.main import app
    from fenghuo.core.db import dispose_engines

    def plain(url: str) -> str:
        return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    app_url = plain(os.environ["FENGHUO_DATABASE_URL"])
    assert app_url.startswith("postgresql://") and make_url(app_url).password
    monkeypatch.setenv("FENGHUO_DATABASE_URL", app_url)
    monkeypatch.setenv("FENGHUO_MIGRATION_DATABASE_URL", plain(os.environ["FENGHUO_MIGRATION_DATABASE_URL"]))
    dispose_engines()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "***" in result.output  # the URL shown to the user still hides the password
    result = runner.invoke(app, ["org", "create", "README Org", "--kind", "enterprise"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["org", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "README Org" in result.output


@pytest.fixture
def two_orgs(db_engine: Engine) -> Iterator[tuple[int, int]]:
    with session_scope(org_id=None, platform_admin=True) as s:
        a = orgs.create_organisation(s, "Roles A", "enterprise").id
        b = orgs.create_organisation(s, "Roles B", "enterprise").id
    with session_scope(org_id=a) as s:
        s.add(WatchedMark(mark_id="A1", mark="alpha"))
    with session_scope(org_id=b) as s:
        s.add(WatchedMark(mark_id="B1", mark="beta"))
    yield a, b


def test_the_app_role_owns_nothing(db_engine: Engine) -> None:
    _split_roles(db_engine)
    with db_engine.connect() as conn:
        me = conn.execute(text("SELECT current_user")).scalar_one()
        owned = conn.execute(
            text("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = :me"),
            {"me": me},
        ).scalar_one()
        super_or_bypass = conn.execute(
            text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :me"), {"me": me}
        ).scalar_one()
    assert me == make_url(os.environ["FENGHUO_TEST_APP_DATABASE_URL"]).username
    assert owned == 0
    assert super_or_bypass is False


def test_the_app_role_cannot_lift_row_level_security_by_a_setting(
    two_orgs: tuple[int, int], db_engine: Engine
) -> None:
    _split_roles(db_engine)
    a, _b = two_orgs
    with db_engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :a, true)"), {"a": str(a)})
        conn.execute(text("SELECT set_config('app.bypass_rls', 'on', true)"))
        conn.execute(text("SELECT set_config('app.platform_scope', 'on', true)"))
        rows = conn.execute(text("SELECT mark_id FROM tm_watched_marks ORDER BY mark_id")).scalars().all()
    assert rows == ["A1"]  # B1 belongs to the other organisation
    with db_engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.bypass_rls', 'on', false)"))  # for the whole connection
        assert conn.execute(text("SELECT count(*) FROM tm_watched_marks")).scalar_one() == 0
    # Nor by reading the key that makes a platform scope valid.
    with pytest.raises(DBAPIError, match="permission denied"), db_engine.begin() as conn:
        conn.execute(text("SELECT key FROM fenghuo_rls_key"))


def test_a_platform_scope_value_is_worthless_in_the_next_transaction(
    two_orgs: tuple[int, int], db_engine: Engine
) -> None:
    _split_roles(db_engine)
    with db_engine.begin() as conn:
        conn.execute(text("SELECT fenghuo_open_platform_scope('test', NULL, NULL, 'test')"))
        token = conn.execute(text("SELECT current_setting('app.platform_scope')")).scalar_one()
        assert conn.execute(text("SELECT count(*) FROM tm_watched_marks")).scalar_one() == 2
    with db_engine.begin() as conn:
        conn.execute(text("SELECT pg_current_xact_id()"))  # a transaction id, as a writer has
        conn.execute(text("SELECT set_config('app.platform_scope', :t, true)"), {"t": token})
        assert conn.execute(text("SELECT count(*) FROM tm_watched_marks")).scalar_one() == 0


def test_the_app_role_cannot_touch_the_audit_trigger_or_rows(db_engine: Engine) -> None:
    _split_roles(db_engine)
    with session_scope(org_id=None, platform_admin=True) as s:
        orgs.create_organisation(s, "Audited", "enterprise")
    for statement in (
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "ALTER TABLE tm_watched_marks NO FORCE ROW LEVEL SECURITY",
        "ALTER TABLE tm_watched_marks DISABLE ROW LEVEL SECURITY",
        "DROP POLICY tenant_isolation ON tm_watched_marks",
    ):
        with pytest.raises(DBAPIError, match="must be owner"), db_engine.begin() as conn:
            conn.execute(text(statement))
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(DBAPIError, match="permission denied"), db_engine.begin() as conn:
            conn.execute(text(statement))
    with db_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'create'")).scalar_one() >= 1


def test_wide_reads_are_audited(two_orgs: tuple[int, int], db_engine: Engine) -> None:
    """``platform_scope`` sees every organisation's rows on PostgreSQL too, and leaves a trail."""
    _postgres(db_engine)
    a, _b = two_orgs
    with session_scope(org_id=a, user_id=None, actor_label="statistics") as s:
        assert s.scalars(select(WatchedMark.mark_id)).all() == ["A1"]
        with platform_scope(s, "anonymous statistics"):
            assert sorted(s.scalars(select(WatchedMark.mark_id)).all()) == ["A1", "B1"]
            raw = s.execute(text("SELECT count(*) FROM tm_watched_marks")).scalar_one()
            assert raw == 2
        # Closed again: the ORM filter and row-level security are back.
        assert s.execute(text("SELECT count(*) FROM tm_watched_marks")).scalar_one() == 1
    with session_scope(org_id=None, platform_admin=True) as s:
        trail = s.scalars(select(AuditEntry).where(AuditEntry.action == "platform_scope")).all()
    assert [(e.organisation_id, e.actor_label, e.note) for e in trail] == [(a, "statistics", "anonymous statistics")]
    assert trail[0].object_id == db_engine.url.username  # the database role, which the app cannot forge


def test_platform_sessions_open_the_scope_only_for_organisation_tables(
    two_orgs: tuple[int, int], db_engine: Engine
) -> None:
    """Resolving a caller (users, tokens, memberships) writes no audit row; reading marks does."""
    _postgres(db_engine)

    def scopes() -> int:
        with db_engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'platform_scope'"))
            return int(count.scalar_one())

    before = scopes()
    with session_scope(org_id=None, platform_admin=True, actor_label="auth") as s:
        assert len(orgs.list_organisations(s)) >= 2
    assert scopes() == before
    with session_scope(org_id=None, platform_admin=True, actor_label="worker") as s:
        assert sorted(s.scalars(select(WatchedMark.mark_id)).all()) == ["A1", "B1"]
        s.add(WatchedMark(mark_id="A2", mark="alpha two", organisation_id=two_orgs[0]))
    assert scopes() == before + 1


def test_owner_url_runs_migrations_and_grants(db_engine: Engine) -> None:
    """Migrations ran as the owner; the application role may only add to the audit log."""
    _split_roles(db_engine)
    app_role = db_engine.url.username
    owner = create_engine(normalise_database_url(os.environ["FENGHUO_MIGRATION_DATABASE_URL"]))
    try:
        with owner.connect() as conn:
            rights = conn.execute(
                text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE grantee = :r AND table_name = 'audit_log' ORDER BY privilege_type"
                ),
                {"r": app_role},
            ).scalars().all()
            table_owner = conn.execute(
                text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'")
            ).scalar_one()
    finally:
        owner.dispose()
    assert rights == ["INSERT", "SELECT"]
    assert table_owner == make_url(os.environ["FENGHUO_TEST_DATABASE_URL"]).username
