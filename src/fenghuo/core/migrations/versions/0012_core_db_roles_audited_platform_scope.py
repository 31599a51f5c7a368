"""core db roles: row-level security is lifted only through an audited function (PostgreSQL)

Revision ID: 0012_core_db_roles
Revises: 0011_core_security
Create Date: 2026-12-02 10:45:00

Why: the policies let any session that ran ``set_config('app.bypass_rls', 'on')`` read every
organisation's rows — and any role may set any ``app.*`` setting, so the application could lift
row-level security for itself, silently. Now the policies ask ``fenghuo_rls_bypass()``, which is
true only while this transaction holds a platform scope opened by
``fenghuo_open_platform_scope(reason, …)``: a ``SECURITY DEFINER`` function owned by the owner
role that writes an audit row (who, which database role, why) and sets ``app.platform_scope``
to a value bound to this backend and this transaction and keyed by a secret only the owner role
can read (``fenghuo_rls_key``). Setting ``app.platform_scope`` by hand does not work without the
key, and a value seen in one transaction is worthless in the next.

The application's role (``FENGHUO_DATABASE_URL``) is granted data rights only, by
``fenghuo.core.db.grant_application_role`` after every upgrade; it owns nothing, so it can alter
no table, trigger or policy. Nothing changes on SQLite.
"""

from __future__ import annotations

import re

from alembic import op
from sqlalchemy import text

revision = '0012_core_db_roles'
down_revision = '0011_core_security'
branch_labels = None
depends_on = None

# The old bypass condition as PostgreSQL prints it back (pg_policies), and as helpers.py wrote it.
_OLD = re.compile(
    r"\(COALESCE\(current_setting\('app\.bypass_rls'(?:::text)?, true\), 'off'(?:::text)?\) = 'on'(?:::text)?\)",
    re.IGNORECASE,
)
_OLD_SQL = "(coalesce(current_setting('app.bypass_rls', true), 'off') = 'on')"
_NEW_SQL = "(SELECT fenghuo_rls_bypass())"

# One audit row per (database role, organisation, user, label, reason) and minute: a platform
# session reading tenant tables in a loop (a worker, a public page) leaves a trail, not a flood.
_OPEN = """
CREATE OR REPLACE FUNCTION fenghuo_open_platform_scope(reason text, org_id integer, user_id integer, label text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    k text;
    why text := left(coalesce(reason, ''), 1000);
    who text := left(coalesce(label, ''), 254);
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM audit_log a
        WHERE a.at > now() - interval '1 minute' AND a.action = 'platform_scope'
          AND a.object_type = 'rls' AND a.object_id = session_user::text
          AND a.organisation_id IS NOT DISTINCT FROM org_id
          AND a.actor_user_id IS NOT DISTINCT FROM user_id
          AND a.actor_label = who AND a.note IS NOT DISTINCT FROM why
    ) THEN
        INSERT INTO audit_log (at, organisation_id, actor_user_id, actor_label, action, object_type,
                               object_id, before, after, note)
        VALUES (now(), org_id, user_id, who, 'platform_scope', 'rls', session_user::text, NULL,
                json_build_object('db_role', session_user::text, 'backend_pid', pg_backend_pid()), why);
    END IF;
    SELECT key INTO STRICT k FROM fenghuo_rls_key;
    PERFORM set_config(
        'app.platform_scope',
        encode(sha256(convert_to(k || ':' || pg_backend_pid() || ':' || pg_current_xact_id()::text, 'UTF8')), 'hex'),
        true);
END $$
"""

_CHECK = """
CREATE OR REPLACE FUNCTION fenghuo_rls_bypass() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT coalesce(
        nullif(current_setting('app.platform_scope', true), '') = encode(sha256(convert_to(
            k.key || ':' || pg_backend_pid() || ':' || pg_current_xact_id_if_assigned()::text, 'UTF8')), 'hex'),
        false)
    FROM fenghuo_rls_key k
$$
"""


def _rewrite_policies(pattern: re.Pattern[str] | str, replacement: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(text(
        "SELECT tablename, qual, with_check FROM pg_policies "
        "WHERE schemaname = current_schema() AND policyname = 'tenant_isolation'"
    )).all()
    for table, qual, check in rows:
        if isinstance(pattern, str):
            new_qual, new_check = qual.replace(pattern, replacement), check.replace(pattern, replacement)
        else:
            new_qual, new_check = pattern.sub(lambda _m: replacement, qual), pattern.sub(lambda _m: replacement, check)
        if "app.bypass_rls" in new_qual + new_check and replacement == _NEW_SQL:
            raise RuntimeError(f"could not rewrite the tenant_isolation policy of {table}: {qual}")
        op.execute(f'ALTER POLICY tenant_isolation ON "{table}" USING ({new_qual}) WITH CHECK ({new_check})')


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE fenghuo_rls_key (key text NOT NULL)")
    op.execute("INSERT INTO fenghuo_rls_key (key) VALUES (gen_random_uuid()::text || gen_random_uuid()::text)")
    op.execute("REVOKE ALL ON fenghuo_rls_key FROM PUBLIC")
    op.execute(_OPEN)
    op.execute(_CHECK)
    op.execute("REVOKE ALL ON FUNCTION fenghuo_open_platform_scope(text, integer, integer, text) FROM PUBLIC")
    _rewrite_policies(_OLD, _NEW_SQL)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # PostgreSQL prints the subquery back in its own form; match it loosely.
    _rewrite_policies(re.compile(r"\(\s*SELECT fenghuo_rls_bypass\(\)(?: AS fenghuo_rls_bypass)?\s*\)"), _OLD_SQL)
    op.execute("DROP FUNCTION fenghuo_rls_bypass()")
    op.execute("DROP FUNCTION fenghuo_open_platform_scope(text, integer, integer, text)")
    op.execute("DROP TABLE fenghuo_rls_key")
