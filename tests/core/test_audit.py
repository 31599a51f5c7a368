"""The audit log records every create, update, delete and grant, and cannot be changed."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from fenghuo.core import audit, grants, orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import PermissionDenied
from fenghuo.core.models import AuditEntry
from fenghuo.tm.models import WatchedMark


def test_create_update_delete_and_grant_are_logged(db_engine: Engine) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        a = orgs.create_organisation(s, "A", "enterprise").id
        b = orgs.create_organisation(s, "B", "insurer").id
        user = orgs.create_user(s, "ann@example.com", "long-password-1")
        uid = user.id
    with session_scope(org_id=a, user_id=uid, actor_label="ann@example.com") as s:
        m = WatchedMark(mark_id="M1", mark="伊利", classes=[29])
        s.add(m)
    with session_scope(org_id=a, user_id=uid) as s:
        m2 = s.scalar(select(WatchedMark))
        assert m2 is not None
        m2.classes = [29, 30]
        grants.grant(s, m2, b)
    with session_scope(org_id=a, user_id=uid) as s:
        m3 = s.scalar(select(WatchedMark))
        s.delete(m3)
    with session_scope(org_id=a) as s:
        log = audit.query_log(s, a, object_type="tm_watched_marks")
        actions = [e.action for e in reversed(log)]
        assert actions == ["create", "update", "delete"]
        update = [e for e in log if e.action == "update"][0]
        assert update.before is not None and update.before["classes"] == [29]
        assert update.after is not None and update.after["classes"] == [29, 30]
        assert update.actor_user_id == uid
        grant_rows = audit.query_log(s, a, action="grant")
        assert len(grant_rows) == 1 and grant_rows[0].after is not None
        assert grant_rows[0].after["grantee_organisation_id"] == b
        # Another organisation's filter returns none of A's entries.
        assert audit.query_log(s, b, object_type="tm_watched_marks") == []


def test_passwords_never_reach_the_log(db_engine: Engine) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        orgs.create_user(s, "bob@example.com", "long-password-1")
    with session_scope(org_id=None, platform_admin=True) as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.object_type == "users"))
        assert entry is not None and entry.after is not None
        assert entry.after["password_hash"] == "***"


def test_orm_refuses_to_change_or_delete_entries(db_engine: Engine) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        orgs.create_organisation(s, "A", "enterprise")
    with pytest.raises(PermissionDenied), session_scope(org_id=None, platform_admin=True) as s:
        entry = s.scalar(select(AuditEntry))
        assert entry is not None
        entry.action = "tampered"
    with pytest.raises(PermissionDenied), session_scope(org_id=None, platform_admin=True) as s:
        s.delete(s.scalar(select(AuditEntry)))


def test_database_refuses_update_and_delete(db_engine: Engine) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        orgs.create_organisation(s, "A", "enterprise")
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises((DBAPIError, IntegrityError)), db_engine.begin() as conn:
            conn.execute(text(statement))
    with db_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'x'")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() >= 1


def test_migrations_match_the_models(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every table a model declares has its migration (autogenerate finds nothing to add)."""
    from alembic import command

    from fenghuo.core.db import alembic_config, init_db, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'check.db'}")
    init_db(engine)
    command.check(alembic_config(engine))  # raises when models and migrations disagree
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as conn:
        heads = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    # Domains may branch while they work (init_db upgrades "heads"), but what lands is merged back:
    # one head, and the database stands at it.
    assert len(scripts.get_heads()) == 1, f"merge the migration heads: {scripts.get_heads()}"
    assert heads == scripts.get_heads()
