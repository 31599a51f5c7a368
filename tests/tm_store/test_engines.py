"""The local process pool and a Dask LocalCluster give identical alerts (CI runs the Dask path)."""

from __future__ import annotations

from pathlib import Path

from fenghuo.tm.records import PortfolioMark, RegisterRecord
from fenghuo.tm.sources.detect import iter_source
from fenghuo.tm.watch import run_watch

PORTFOLIO = [
    PortfolioMark("P1", "伊利", (29, 30), "Inner Mongolia Yili"),
    PortfolioMark("P2", "HUAWEI", (9,), "Huawei Technologies"),
    PortfolioMark("P3", "王老吉", (32,)),
    PortfolioMark("P4", "LUNA", ()),
    PortfolioMark("P5", "SMART", (9, 42)),
]


def _rows(result):  # type: ignore[no-untyped-def]
    return [(a.portfolio_mark_id, a.record.global_id, a.assessment.score, a.deadline) for a in result.alerts]


def test_local_pool_and_dask_cluster_give_identical_results(shared_dir: Path, register_csv: Path) -> None:
    records = [r for p in (shared_dir / "data/trademarks/euipo-xml", register_csv) for r in iter_source(p)
               if isinstance(r, RegisterRecord)]
    serial = run_watch(PORTFOLIO, records, workers=1)
    pooled = run_watch(PORTFOLIO, records, workers=2)
    dask = run_watch(PORTFOLIO, records, engine="dask", workers=2)
    assert serial.alerts, "the comparison would be vacuous without alerts"
    assert _rows(serial) == _rows(pooled) == _rows(dask)
    assert dask.stats.engine == "dask" and dask.stats.candidates == serial.stats.candidates
    # The index keeps the work far below all pairs.
    assert serial.stats.assessed < len(PORTFOLIO) * len(records) / 10
