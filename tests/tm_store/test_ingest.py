"""Ingest: every real record stored, idempotent re-runs, quarantine with reasons, crash resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from fenghuo.core.db import session_scope
from fenghuo.tm.ingest import ingest_items, ingest_paths, load_register
from fenghuo.tm.models import IngestRun, QuarantinedRecord, RegisterMark
from fenghuo.tm.records import RecordError, RegisterRecord, record_from_dict
from fenghuo.tm.sources.detect import iter_source


def _count(model: type) -> int:
    with session_scope(org_id=None, platform_admin=True) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_real_registers_ingest_with_nothing_lost(db_engine: Engine, shared_dir: Path) -> None:
    paths = [shared_dir / "data/trademarks/euipo-xml", shared_dir / "data/trademarks/st66-samples"]
    items = [i for p in paths for i in iter_source(p)]
    records = {i.global_id for i in items if isinstance(i, RegisterRecord)}
    errors = [i for i in items if isinstance(i, RecordError)]
    summary = ingest_paths(paths, batch_size=100)
    assert summary.created == len(records) > 800
    assert summary.quarantined == len(errors)
    assert _count(RegisterMark) == len(records)
    # Every record and every error is accounted for: none lost.
    assert summary.created + summary.quarantined + (len(items) - len(errors) - len(records)) == len(items)
    again = ingest_paths(paths, batch_size=100)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(records))
    assert _count(RegisterMark) == len(records)
    with session_scope(org_id=None, platform_admin=True) as s:
        runs = list(s.scalars(select(IngestRun).order_by(IngestRun.id)))
    assert [r.status for r in runs] == ["done", "done"]


def test_stored_records_round_trip(db_engine: Engine, shared_dir: Path) -> None:
    path = shared_dir / "data/trademarks/st66-samples"
    originals = {i.global_id: i for i in iter_source(path) if isinstance(i, RegisterRecord)}
    ingest_paths([path])
    stored = {r.global_id: r for r in load_register()}
    assert set(stored) == set(originals)
    for gid, record in originals.items():
        assert stored[gid] == record_from_dict(record.to_dict())
        assert stored[gid].verbal_elements == record.verbal_elements


def test_bad_records_are_quarantined_and_leave_when_fixed(db_engine: Engine, register_csv: Path) -> None:
    text = register_csv.read_text(encoding="utf-8")
    bad = text + "EM,019999099,BROKEN,77,Someone,DE,2026-09-03,2026-10-03,pending\n"
    register_csv.write_text(bad, encoding="utf-8")
    summary = ingest_paths([register_csv])
    assert summary.created == 6 and summary.quarantined == 1
    with session_scope(org_id=None, platform_admin=True) as s:
        row = s.scalar(select(QuarantinedRecord))
        assert row is not None
        assert row.field == "classes" and "019999099" in row.record and "77" in row.reason
    # The user fixes the file and re-ingests: the record goes in and leaves quarantine.
    register_csv.write_text(bad.replace(",77,", ",9,"), encoding="utf-8")
    fixed = ingest_paths([register_csv])
    assert (fixed.created, fixed.quarantined) == (1, 0)
    with session_scope(org_id=None, platform_admin=True) as s:
        assert s.scalar(select(QuarantinedRecord.resolved_at)) is not None


def test_changed_record_is_updated_not_duplicated(db_engine: Engine, register_csv: Path) -> None:
    ingest_paths([register_csv])
    register_csv.write_text(register_csv.read_text(encoding="utf-8").replace("HERO,16", "HERO,16;9"),
                            encoding="utf-8")
    again = ingest_paths([register_csv])
    assert (again.created, again.updated, again.unchanged) == (0, 1, 5)
    with session_scope(org_id=None, platform_admin=True) as s:
        hero = s.scalar(select(RegisterMark).where(RegisterMark.mark_text == "HERO"))
        assert hero is not None and hero.nice_classes == [9, 16]


def test_crash_mid_way_resumes_without_duplicates_or_loss(db_engine: Engine, shared_dir: Path) -> None:
    path = shared_dir / "data/trademarks/euipo-xml"
    items = list(iter_source(path))
    good = {i.global_id for i in items if isinstance(i, RegisterRecord)}

    def crashing():  # type: ignore[no-untyped-def]
        for n, item in enumerate(items):
            if n == 250:
                raise KeyboardInterrupt("machine shut down")
            yield item

    with pytest.raises(KeyboardInterrupt):
        ingest_items(crashing(), batch_size=100)
    committed = {i.global_id for i in items[:200] if isinstance(i, RegisterRecord)}
    assert _count(RegisterMark) == len(committed)  # two committed batches survive, the third is lost
    with session_scope(org_id=None, platform_admin=True) as s:
        assert s.scalar(select(IngestRun.status)) == "failed"
    resumed = ingest_items(iter(items), batch_size=100)
    assert resumed.unchanged == len(committed) and resumed.created == len(good) - len(committed)
    assert _count(RegisterMark) == len(good)
