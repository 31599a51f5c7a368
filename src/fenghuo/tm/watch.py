"""Batch watch runs: every watched mark against the register, through the index, in parallel.

Per watched mark: prepare its variants → index candidates → jurisdiction filter → skip the
owner's own filings → cheap pre-filter → full explainable assessment → keep scores at or above
the threshold → attach the remedy deadline of the office. Runs in a local process pool by
default, or on a Dask distributed cluster (``engine="dask"``) — with identical results, since
both call the same module-level function on the same chunks and the output is sorted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from fenghuo.deadlines import RemedyPlan, opposition_deadline
from fenghuo.reference import EU_MEMBER_STATES
from fenghuo.tm.index import RegisterIndex
from fenghuo.tm.records import MarkStatus, PortfolioMark, RegisterRecord
from fenghuo.tm.similarity import DEFAULT_MIN_SCORE, Assessment, assess, is_own_filing, prepare, quick_mark_score
from fenghuo.tm.variants import Variant

CANDIDATES_PER_MARK = 300
QUICK_THRESHOLD = 0.45
CHUNK_SIZE = 50


@dataclass
class Alert:
    portfolio_mark_id: str
    record: RegisterRecord
    assessment: Assessment
    plan: RemedyPlan | None

    @property
    def deadline(self) -> str:
        return self.plan.deadline.isoformat() if self.plan and self.plan.deadline else ""

    @property
    def remedy(self) -> str:
        return self.plan.summary() if self.plan else ""

    def row(self) -> dict[str, Any]:
        """The row of the `fenghuo tm watch` output contract."""
        applicant = "; ".join(p.name or (f"#{p.identifier}" if p.identifier else "") for p in self.record.applicants)
        return {
            "portfolio_mark_id": self.portfolio_mark_id,
            "office": self.record.office,
            "application_number": self.record.application_number,
            "mark": self.record.mark_text,
            "applicant": applicant,
            "score": self.assessment.score,
            "level": self.assessment.level,
            "reasons": [r.message for r in self.assessment.reasons],
            "deadline": self.deadline,
            "remedy": self.remedy,
        }


@dataclass
class WatchStats:
    marks: int = 0
    records: int = 0
    candidates: int = 0
    assessed: int = 0
    alerts: int = 0
    seconds: float = 0.0
    engine: str = "local"


@dataclass
class WatchResult:
    alerts: list[Alert] = field(default_factory=list)
    stats: WatchStats = field(default_factory=WatchStats)


def in_jurisdictions(mark: PortfolioMark, record: RegisterRecord) -> bool:
    """Whether a record's office concerns where the mark is watched (empty = everywhere)."""
    wanted = {j.upper() for j in mark.jurisdictions}
    office = record.office.upper()
    if not wanted or office in wanted or office == "WO":
        return True
    if office == "EM" and (wanted & EU_MEMBER_STATES or "EU" in wanted):
        return True
    return office in EU_MEMBER_STATES and ("EM" in wanted or "EU" in wanted)


def watch_one(
    mark: PortfolioMark,
    records: Sequence[RegisterRecord],
    index: RegisterIndex,
    *,
    min_score: int,
    variants: Sequence[Variant] | None = None,
) -> tuple[list[Alert], int, int]:
    """Alerts for one watched mark, plus the candidate and assessment counts."""
    profile = prepare(mark, variants)
    positions = index.query(profile, CANDIDATES_PER_MARK)
    alerts: list[Alert] = []
    assessed = 0
    for position in positions:
        record = records[position]
        if not in_jurisdictions(mark, record) or is_own_filing(profile, record):
            continue
        texts = [v.text for v in record.verbal_elements] + [v.transliteration for v in record.verbal_elements
                                                            if v.transliteration]
        if max((quick_mark_score(profile, t) for t in texts), default=0.0) < QUICK_THRESHOLD:
            continue
        assessed += 1
        result = assess(profile, record)
        if result.score < min_score:
            continue
        plan = None
        if record.status in (MarkStatus.PENDING, MarkStatus.REGISTERED, MarkStatus.UNKNOWN):
            plan = opposition_deadline(record.office, record.publication_date, record.registration_date)
        alerts.append(Alert(mark.mark_id, record, result, plan))
    return alerts, len(positions), assessed


# Worker state for the local pool: set before the pool forks, inherited by the workers.
_STATE: dict[str, Any] = {}


def _chunk_local(chunk: Sequence[PortfolioMark]) -> tuple[list[Alert], int, int]:
    return _run_chunk(chunk, _STATE["records"], _STATE["index"], _STATE["min_score"], _STATE["variants"])


def _run_chunk(
    chunk: Sequence[PortfolioMark],
    records: Sequence[RegisterRecord],
    index: RegisterIndex,
    min_score: int,
    variants: Mapping[str, Sequence[Variant]],
) -> tuple[list[Alert], int, int]:
    alerts: list[Alert] = []
    candidates = assessed = 0
    for mark in chunk:
        found, c, a = watch_one(mark, records, index, min_score=min_score, variants=variants.get(mark.mark_id))
        alerts.extend(found)
        candidates += c
        assessed += a
    return alerts, candidates, assessed


def run_dask_chunk(
    chunk: Sequence[PortfolioMark], state: dict[str, Any]
) -> tuple[list[Alert], int, int]:
    """The Dask task (importable module-level function, as Dask workers require)."""
    return _run_chunk(chunk, state["records"], state["index"], state["min_score"], state["variants"])


def _chunks(items: Sequence[PortfolioMark], size: int) -> list[Sequence[PortfolioMark]]:
    return [items[i: i + size] for i in range(0, len(items), size)]


def run_watch(
    portfolio: Sequence[PortfolioMark],
    records: Sequence[RegisterRecord],
    *,
    min_score: int | None = None,
    engine: Literal["local", "dask"] = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    index: RegisterIndex | None = None,
    variants: Mapping[str, Sequence[Variant]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> WatchResult:
    """Watch ``portfolio`` against ``records``; see the module docstring."""
    start = time.perf_counter()
    threshold = DEFAULT_MIN_SCORE if min_score is None else min_score
    index = index or RegisterIndex.build(records)
    variants = variants or {}
    chunks = _chunks(list(portfolio), CHUNK_SIZE)
    results: list[tuple[list[Alert], int, int]] = []
    if engine == "dask":
        results = _run_on_dask(chunks, records, index, threshold, variants, scheduler, workers, progress)
    else:
        n_workers = workers if workers is not None else min(os.cpu_count() or 1, max(1, len(chunks)))
        if n_workers <= 1 or len(chunks) <= 1:
            for chunk in chunks:
                results.append(_run_chunk(chunk, records, index, threshold, variants))
                if progress:
                    progress(len(chunk))
        else:
            import multiprocessing

            _STATE.update(records=records, index=index, min_score=threshold, variants=variants)
            try:
                ctx = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
                    for chunk, result in zip(chunks, pool.map(_chunk_local, chunks), strict=True):
                        results.append(result)
                        if progress:
                            progress(len(chunk))
            finally:
                _STATE.clear()
    alerts = [a for found, _c, _a in results for a in found]
    order = {m.mark_id: i for i, m in enumerate(portfolio)}
    alerts.sort(key=lambda a: (order.get(a.portfolio_mark_id, 0), -a.assessment.score, a.record.office,
                               a.record.application_number))
    stats = WatchStats(len(portfolio), len(records), sum(c for _f, c, _a in results),
                       sum(a for _f, _c, a in results), len(alerts), time.perf_counter() - start, engine)
    return WatchResult(alerts, stats)


def _run_on_dask(
    chunks: list[Sequence[PortfolioMark]],
    records: Sequence[RegisterRecord],
    index: RegisterIndex,
    threshold: int,
    variants: Mapping[str, Sequence[Variant]],
    scheduler: str | None,
    workers: int | None,
    progress: Callable[[int], None] | None,
) -> list[tuple[list[Alert], int, int]]:
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler in (None, "", "local"):
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        [state] = client.scatter([{"records": list(records), "index": index, "min_score": threshold,
                                   "variants": dict(variants)}], broadcast=True)
        futures = client.map(run_dask_chunk, chunks, state=state, pure=False)
        results = []
        for chunk, future in zip(chunks, futures, strict=True):
            results.append(future.result())
            if progress:
                progress(len(chunk))
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
