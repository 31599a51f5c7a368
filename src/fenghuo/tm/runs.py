"""A stored watch run for one organisation: its active marks against the stored register.

Alerts are upserted per (watched mark, register mark): a new conflict is ``new``; a conflict
seen again keeps the state the user gave it (a dismissed alert stays dismissed) while its score,
reasons and deadline are refreshed. Squatting evidence on the applicant raises the score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fenghuo.core.db import get_engine, session_scope
from fenghuo.core.models import utcnow
from fenghuo.tm import liveness
from fenghuo.tm.ingest import load_register, register_ids
from fenghuo.tm.models import Alert as AlertRow
from fenghuo.tm.models import AlertState, WatchedMark, WatchRun
from fenghuo.tm.portfolio import to_portfolio_mark, variants_of
from fenghuo.tm.records import RegisterRecord
from fenghuo.tm.similarity import DEFAULT_MIN_SCORE, Reason, apply_squatter_boost, owner_key
from fenghuo.tm.squatters import evidence_for
from fenghuo.tm.watch import Alert, run_watch


def mark_stale_runs(session: Session) -> int:
    """Mark the session organisation's watch runs whose process died ``interrupted``
    (see :mod:`fenghuo.tm.liveness`); called before a run and when runs are listed."""
    return liveness.mark_interrupted(session.scalars(select(WatchRun).where(WatchRun.status == "running")))


def _applicant_key(alert: Alert) -> str:
    party = alert.record.applicants[0] if alert.record.applicants else None
    return owner_key(party.name) if party and party.name else ""


def run_for_org(
    org_id: int,
    *,
    engine: Engine | None = None,
    min_score: int | None = None,
    watch_engine: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    records: Sequence[RegisterRecord] | None = None,
    progress: Callable[[int], None] | None = None,
    user_id: int | None = None,
) -> WatchRun:
    """Run the watch for ``org_id`` and store its alerts; returns the finished run."""
    engine = engine or get_engine()
    with session_scope(org_id=org_id, user_id=user_id, engine=engine) as session:
        mark_stale_runs(session)
        marks = [m for m in session.scalars(select(WatchedMark).where(WatchedMark.active.is_(True)))]
        portfolio = [to_portfolio_mark(m) for m in marks]
        variants = {m.mark_id: variants_of(m) for m in marks}
        mark_pk = {m.mark_id: m.id for m in marks}
        run = WatchRun(organisation_id=org_id, engine=watch_engine, marks_watched=len(marks),
                       error=liveness.marker())
        session.add(run)
        session.flush()
        run_id = run.id
    try:
        register = list(records) if records is not None else load_register(engine)
        result = run_watch(portfolio, register, min_score=min_score, engine=watch_engine, scheduler=scheduler,
                           workers=workers, variants=variants, progress=progress)
        ids = register_ids(engine)
        boosts: dict[str, Reason | None] = {}
        with session_scope(org_id=None, platform_admin=True, engine=engine) as platform:
            for alert in result.alerts:
                key = _applicant_key(alert)
                if key and key not in boosts:
                    boosts[key] = evidence_for(platform, key, org_id).reason()
        new = updated = 0
        with session_scope(org_id=org_id, user_id=user_id, actor_label="watch run", engine=engine) as session:
            existing = {(a.watched_mark_id, a.register_mark_id): a for a in session.scalars(select(AlertRow))}
            for alert in result.alerts:
                register_pk = ids.get(alert.record.global_id)
                if register_pk is None:  # watched against records not in the store
                    continue
                assessment = alert.assessment
                boost = boosts.get(_applicant_key(alert))
                if boost is not None:
                    assessment = apply_squatter_boost(assessment, boost)
                values = {
                    "score": assessment.score, "level": assessment.level,
                    "reasons": [r.to_dict() for r in assessment.reasons],
                    "deadline": alert.plan.deadline if alert.plan else None,
                    "deadline_detail": alert.plan.to_dict() if alert.plan else None,
                    "remedy": alert.remedy or None,
                    "squatter_score": round(boost.strength * 100) if boost else 0,
                }
                pair = (mark_pk[alert.portfolio_mark_id], register_pk)
                row = existing.get(pair)
                if row is None:
                    session.add(AlertRow(organisation_id=org_id, watched_mark_id=pair[0], register_mark_id=pair[1],
                                         state=AlertState.NEW.value, first_run_id=run_id, last_run_id=run_id,
                                         **values))
                    new += 1
                else:
                    changed = any(getattr(row, k) != v for k, v in values.items())
                    for key, value in values.items():
                        setattr(row, key, value)
                    row.last_run_id = run_id
                    updated += changed
            done = session.get(WatchRun, run_id)
            assert done is not None
            stats = result.stats
            done.records_scanned, done.candidates, done.pairs_assessed = stats.records, stats.candidates, stats.assessed
            done.min_score = min_score if min_score is not None else DEFAULT_MIN_SCORE
            done.alerts_new, done.alerts_updated = new, updated
            done.status, done.finished_at, done.error = "done", utcnow(), None
    except BaseException as exc:
        with session_scope(org_id=org_id, engine=engine) as session:
            failed = session.get(WatchRun, run_id)
            if failed is not None:
                failed.status, failed.error, failed.finished_at = "failed", repr(exc)[:2000], utcnow()
        raise
    with session_scope(org_id=org_id, engine=engine) as session:
        finished = session.get(WatchRun, run_id)
        assert finished is not None
        return finished
