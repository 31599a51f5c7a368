"""The central tenancy filter and grants: one organisation never sees another's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text

from fenghuo.core import grants, orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import PermissionDenied
from fenghuo.core.models import Grant, tenant_scoped_tables
from fenghuo.tm.models import WatchedMark


@pytest.fixture
def two_orgs(db_engine: Engine) -> tuple[int, int]:
    with session_scope(org_id=None, platform_admin=True) as s:
        a = orgs.create_organisation(s, "Org A", "enterprise").id
        b = orgs.create_organisation(s, "Org B", "guidance_centre").id
    with session_scope(org_id=a) as s:
        s.add(WatchedMark(mark_id="A1", mark="伊利"))
    with session_scope(org_id=b) as s:
        s.add(WatchedMark(mark_id="B1", mark="HAIER"))
    return a, b


def _marks(org_id: int | None) -> list[str]:
    with session_scope(org_id=org_id) as s:
        return sorted(m.mark_id for m in s.scalars(select(WatchedMark)))


def test_each_org_sees_only_its_rows(two_orgs: tuple[int, int]) -> None:
    a, b = two_orgs
    # Alternate to make sure no cached statement keeps the first organisation's id.
    assert _marks(a) == ["A1"]
    assert _marks(b) == ["B1"]
    assert _marks(a) == ["A1"]
    assert _marks(None) == []


def test_get_by_primary_key_is_filtered(two_orgs: tuple[int, int]) -> None:
    a, b = two_orgs
    with session_scope(org_id=a) as s:
        own = s.scalar(select(WatchedMark))
        assert own is not None
        own_id = own.id
    with session_scope(org_id=b) as s:
        assert s.scalar(select(WatchedMark).where(WatchedMark.id == own_id)) is None
        assert s.get(WatchedMark, own_id) is None


def test_new_rows_are_stamped_and_foreign_rows_refused(two_orgs: tuple[int, int]) -> None:
    a, b = two_orgs
    with session_scope(org_id=a) as s:
        m = WatchedMark(mark_id="A2", mark="海信")
        s.add(m)
        s.flush()
        assert m.organisation_id == a
    with pytest.raises(PermissionDenied), session_scope(org_id=a) as s:
        s.add(WatchedMark(mark_id="X", mark="x", organisation_id=b))


def test_grant_shares_one_row_and_revoke_takes_it_back(two_orgs: tuple[int, int]) -> None:
    a, b = two_orgs
    with session_scope(org_id=a, user_id=None) as s:
        mark = s.scalar(select(WatchedMark))
        assert mark is not None
        g = grants.grant(s, mark, b, "read")
        grant_id = g.id
    assert _marks(b) == ["A1", "B1"]
    # A read grant does not allow changes.
    with pytest.raises(PermissionDenied), session_scope(org_id=b) as s:
        shared = s.scalar(select(WatchedMark).where(WatchedMark.mark_id == "A1"))
        assert shared is not None
        shared.mark = "changed"
    with session_scope(org_id=a) as s:
        grants.revoke_grant(s, grant_id)
    assert _marks(b) == ["B1"]
    with session_scope(org_id=None, platform_admin=True) as s:
        row = s.get(Grant, grant_id)
        assert row is not None and row.revoked_at is not None


def test_write_grant_allows_update(two_orgs: tuple[int, int]) -> None:
    a, b = two_orgs
    with session_scope(org_id=a) as s:
        mark = s.scalar(select(WatchedMark))
        assert mark is not None
        grants.grant(s, mark, b, "write")
    with session_scope(org_id=b) as s:
        shared = s.scalar(select(WatchedMark).where(WatchedMark.mark_id == "A1"))
        assert shared is not None
        shared.owner = "edited by B"
    with session_scope(org_id=a) as s:
        assert s.scalar(select(WatchedMark.owner).where(WatchedMark.mark_id == "A1")) == "edited by B"


def test_only_owner_can_grant(two_orgs: tuple[int, int]) -> None:
    a, b = two_orgs
    with session_scope(org_id=a) as s:
        mark = s.scalar(select(WatchedMark))
        assert mark is not None
        grants.grant(s, mark, b, "read")
    with pytest.raises(PermissionDenied), session_scope(org_id=b) as s:
        shared = s.scalar(select(WatchedMark).where(WatchedMark.mark_id == "A1"))
        grants.grant(s, shared, a, "read")


def test_row_level_security_on_postgres(two_orgs: tuple[int, int], db_engine: Engine) -> None:
    """Raw SQL that forgets the ORM filter still sees only the tenant's rows on PostgreSQL."""
    if db_engine.dialect.name != "postgresql":
        pytest.skip("row-level security is a PostgreSQL feature")
    a, b = two_orgs
    with session_scope(org_id=a) as s:
        rows = s.execute(text("SELECT mark_id FROM tm_watched_marks ORDER BY mark_id")).scalars().all()
        assert rows == ["A1"]
    with db_engine.connect() as conn:  # no tenant set at all: nothing
        assert conn.execute(text("SELECT count(*) FROM tm_watched_marks")).scalar() == 0
        enabled = conn.execute(
            text("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity ORDER BY relname")
        ).scalars().all()
    assert set(tenant_scoped_tables()) <= set(enabled)
