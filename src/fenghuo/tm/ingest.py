"""Store register records: idempotent upserts by global id, bad records quarantined, resumable.

Why batches with a content hash: a bulk file can hold hundreds of thousands of records. Each
batch commits on its own, so a crash loses at most the batch in flight; re-running the same
ingest compares each record's SHA-256 with the stored one and writes only what changed, so a
resumed or repeated run creates no duplicates and reports the rest as ``unchanged``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fenghuo.core.db import get_engine, session_scope
from fenghuo.core.limits import limits
from fenghuo.core.models import utcnow
from fenghuo.tm import liveness
from fenghuo.tm.models import IngestRun, QuarantinedRecord, RegisterMark
from fenghuo.tm.records import RecordError, RegisterRecord, record_from_dict
from fenghuo.tm.similarity import owner_key
from fenghuo.tm.sources.detect import iter_source

BATCH_SIZE = 500
log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    run_id: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged


def content_hash(record: RegisterRecord) -> str:
    return _hash_and_size(record)[0]


def _hash_and_size(record: RegisterRecord) -> tuple[str, int]:
    payload = json.dumps(_without_source(record.to_dict()), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(payload).hexdigest(), len(payload)


def _without_source(data: dict[str, object]) -> dict[str, object]:
    # The same record re-read from a renamed file or a zip is the same record.
    return {k: v for k, v in data.items() if k != "source"}


def _columns(record: RegisterRecord) -> dict[str, object]:
    applicant = record.applicants[0] if record.applicants else None
    return {
        "office": record.office,
        "application_number": record.application_number,
        "registration_number": record.registration_number,
        "mark_text": record.mark_text[:500],
        "feature": record.feature.value,
        "status": record.status.value,
        "office_status": record.office_status[:200] if record.office_status else None,
        "nice_classes": list(record.nice_classes),
        "applicant_name": applicant.name[:500] if applicant and applicant.name else None,
        "applicant_country": applicant.country if applicant else None,
        "applicant_key": (owner_key(applicant.name)[:300] or None) if applicant and applicant.name else None,
        "application_date": record.application_date,
        "publication_date": record.publication_date,
        "registration_date": record.registration_date,
        "expiry_date": record.expiry_date,
        "record": record.to_dict(),
        "source": (record.source or "")[:500] or None,
    }


def _store_batch(engine: Engine, run_id: int, batch: Sequence[RegisterRecord | RecordError],
                 summary: IngestSummary) -> None:
    cap = limits().record_bytes
    with session_scope(org_id=None, platform_admin=True, actor_label="ingest", engine=engine) as session:
        records = {item.global_id: item for item in batch if isinstance(item, RegisterRecord)}
        existing = {m.global_id: m for m in session.scalars(
            select(RegisterMark).where(RegisterMark.global_id.in_(list(records))))} if records else {}
        oversized: list[RecordError] = []
        for global_id, record in records.items():
            digest, size = _hash_and_size(record)
            if size > cap:  # the last line of defence, whatever source or caller produced the record
                oversized.append(RecordError(record.application_number, "record", f"stored record would be {size} "
                                             f"bytes, more than the limit of {cap}", record.source))
                continue
            row = existing.get(global_id)
            if row is None:
                session.add(RegisterMark(global_id=global_id, content_hash=digest, **_columns(record)))
                summary.created += 1
            elif row.content_hash == digest:
                summary.unchanged += 1
            else:
                for key, value in _columns(record).items():
                    setattr(row, key, value)
                row.content_hash = digest
                row.updated_at = utcnow()
                summary.updated += 1
        for item in [*(i for i in batch if isinstance(i, RecordError)), *oversized]:
            _quarantine(session, run_id, item)
            summary.quarantined += 1
        run = session.get(IngestRun, run_id)
        assert run is not None
        run.created, run.updated, run.unchanged, run.quarantined = (
            summary.created, summary.updated, summary.unchanged, summary.quarantined)
        run.error = liveness.marker()  # the heartbeat: this run is alive and moving


def _quarantine(session: object, run_id: int, error: RecordError) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    source, record, field = (error.source or "")[:500], error.record[:200], error.field[:100]
    row = session.scalar(select(QuarantinedRecord).where(
        QuarantinedRecord.source == source, QuarantinedRecord.record == record, QuarantinedRecord.field == field))
    if row is None:
        session.add(QuarantinedRecord(ingest_run_id=run_id, source=source, record=record, field=field,
                                      reason=error.reason))
    else:
        row.ingest_run_id, row.reason, row.resolved_at = run_id, error.reason, None


def _resolve_quarantine(engine: Engine, run_id: int, sources: set[str]) -> None:
    """A quarantined record of a re-read source that no longer fails leaves quarantine (it was fixed)."""
    if not sources:
        return
    with session_scope(org_id=None, platform_admin=True, engine=engine) as session:
        for row in session.scalars(select(QuarantinedRecord).where(QuarantinedRecord.resolved_at.is_(None),
                                                                  QuarantinedRecord.source.in_(list(sources)))):
            if row.ingest_run_id != run_id:
                row.resolved_at = utcnow()


def ingest_items(
    items: Iterable[RegisterRecord | RecordError],
    *,
    paths: Sequence[str] = (),
    engine: Engine | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Store records and quarantine errors in committed batches; returns the counts."""
    engine = engine or get_engine()
    mark_stale_runs(engine)
    with session_scope(org_id=None, platform_admin=True, actor_label="ingest", engine=engine) as session:
        run = IngestRun(paths=list(paths), error=liveness.marker())
        session.add(run)
        session.flush()
        run_id = run.id
    summary = IngestSummary(run_id)
    batch: list[RegisterRecord | RecordError] = []
    sources: set[str] = set()
    try:
        for item in items:
            batch.append(item)
            sources.add((item.source or "")[:500])
            if len(batch) >= batch_size:
                _store_batch(engine, run_id, batch, summary)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            _store_batch(engine, run_id, batch, summary)
            if progress:
                progress(len(batch))
        _resolve_quarantine(engine, run_id, sources)
    except BaseException as exc:
        with session_scope(org_id=None, platform_admin=True, engine=engine) as session:
            failed = session.get(IngestRun, run_id)
            if failed is not None:
                failed.status, failed.error, failed.finished_at = "failed", repr(exc)[:2000], utcnow()
        raise
    with session_scope(org_id=None, platform_admin=True, engine=engine) as session:
        done = session.get(IngestRun, run_id)
        assert done is not None
        done.status, done.finished_at, done.error = "done", utcnow(), None
    return summary


def mark_stale_runs(engine: Engine | None = None) -> int:
    """Mark ingest runs whose process died ``interrupted`` (see :mod:`fenghuo.tm.liveness`).

    Called before each ingest and each listing. Re-running the same paths resumes such a run
    without duplicates: stored records compare equal by content hash and count as unchanged.
    """
    engine = engine or get_engine()
    with session_scope(org_id=None, platform_admin=True, engine=engine) as session:
        return liveness.mark_interrupted(session.scalars(select(IngestRun).where(IngestRun.status == "running")))


def list_runs(engine: Engine | None = None, *, limit: int = 50) -> list[dict[str, object]]:
    """The latest ingest runs, newest first, stale ones marked first (for ``fenghuo tm runs``)."""
    engine = engine or get_engine()
    mark_stale_runs(engine)
    with session_scope(org_id=None, platform_admin=True, engine=engine) as session:
        rows = session.scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(limit))
        return [{"id": r.id, "started_at": r.started_at, "finished_at": r.finished_at, "status": r.status,
                 "created": r.created, "updated": r.updated, "unchanged": r.unchanged,
                 "quarantined": r.quarantined, "paths": list(r.paths or []),
                 "error": r.error if r.status != "running" else None} for r in rows]


def ingest_paths(paths: Sequence[Path], **kwargs: object) -> IngestSummary:
    """Ingest files, folders and zips (any supported format, sniffed)."""

    def items() -> Iterable[RegisterRecord | RecordError]:
        for path in paths:
            yield from iter_source(Path(path))

    return ingest_items(items(), paths=[str(p) for p in paths], **kwargs)  # type: ignore[arg-type]


def load_register(engine: Engine | None = None, *, offices: Sequence[str] = ()) -> list[RegisterRecord]:
    """The stored register as records (for watch runs)."""
    engine = engine or get_engine()
    with session_scope(org_id=None, platform_admin=True, engine=engine) as session:
        query = select(RegisterMark.record).order_by(RegisterMark.id)
        if offices:
            query = query.where(RegisterMark.office.in_([o.upper() for o in offices]))
        records: list[RegisterRecord] = []
        for data in session.scalars(query):
            try:
                records.append(record_from_dict(data))
            except (KeyError, TypeError, ValueError) as exc:  # a row not written by ingest
                log.warning("skipping unreadable register row %s: %r", (data or {}).get("application_number"), exc)
        return records


def register_ids(engine: Engine | None = None) -> dict[str, int]:
    """Global id → row id, to link alerts to stored register marks."""
    engine = engine or get_engine()
    with session_scope(org_id=None, platform_admin=True, engine=engine) as session:
        return dict(session.execute(select(RegisterMark.global_id, RegisterMark.id)).all())


def recent_ingest_runs(session: Session, limit: int = 10) -> list[IngestRun]:
    """The newest ingest runs first (platform dashboard: job status)."""
    return list(session.scalars(select(IngestRun).order_by(IngestRun.started_at.desc(), IngestRun.id.desc())
                                .limit(limit)))


def open_quarantine_count(session: Session) -> int:
    """Register records still in quarantine (not fixed by a later ingest)."""
    return int(session.scalar(select(func.count()).select_from(QuarantinedRecord)
                              .where(QuarantinedRecord.resolved_at.is_(None))) or 0)
