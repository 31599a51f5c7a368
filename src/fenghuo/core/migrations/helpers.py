"""Migration helpers shared by every domain's migrations.

``enable_tenant_rls(table)`` puts PostgreSQL row-level security on an organisation-owned
table: rows are visible to the organisation in ``app.tenant_id`` and to organisations holding
an active grant; the policy is lifted only inside an audited platform scope
(``fenghuo_rls_bypass()``, migration 0012; before it, the ``app.bypass_rls`` setting). FORCE
makes the policy apply to the table owner too (the application connects as the owner). On
SQLite it does nothing: there the ORM filter is the only guard.
"""

from __future__ import annotations

from alembic import op

_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::integer"
_BYPASS_BEFORE_0012 = "coalesce(current_setting('app.bypass_rls', true), 'off') = 'on'"
_BYPASS = "(SELECT fenghuo_rls_bypass())"


def _bypass() -> str:
    """The platform-scope condition: the audited function once migration 0012 has created it."""
    exists = op.get_bind().exec_driver_sql("SELECT to_regprocedure('fenghuo_rls_bypass()') IS NOT NULL").scalar()
    return _BYPASS if exists else _BYPASS_BEFORE_0012


def enable_tenant_rls(table: str, *, via: tuple[str, str] | None = None) -> None:
    """``via=(parent_table, fk_column)``: a grant on the parent row also opens this row for reading
    (the parts of a shared case are read through the case, so one grant shares the whole file)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    granted = (
        "EXISTS (SELECT 1 FROM grants g WHERE g.object_type = '{t}' AND g.object_id = {t}.id "
        "AND g.grantee_organisation_id = {tenant} AND g.revoked_at IS NULL{perm})"
    )
    read_grant = granted.format(t=table, tenant=_TENANT, perm="")
    if via is not None:
        parent, column = via
        read_grant += (
            f" OR EXISTS (SELECT 1 FROM grants g WHERE g.object_type = '{parent}' AND g.object_id = {table}.{column} "
            f"AND g.grantee_organisation_id = {_TENANT} AND g.revoked_at IS NULL)"
        )
    write_grant = granted.format(t=table, tenant=_TENANT, perm=" AND g.permission = 'write'")
    bypass = _bypass()
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({bypass} OR organisation_id = {_TENANT} OR {read_grant}) "
        f"WITH CHECK ({bypass} OR organisation_id = {_TENANT} OR {write_grant})"
    )


def make_append_only(table: str) -> None:
    """Refuse UPDATE and DELETE on ``table`` in the database itself (both dialects)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION fenghuo_refuse_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION fenghuo_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION fenghuo_refuse_change()"
        )
    elif bind.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
