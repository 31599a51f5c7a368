"""Alert noise against recall of a real watch run (``run_watch``) on the EUIPO dev pairs.

Portfolio: each distinct earlier mark of ``euipo-oppositions-dev.csv`` (no classes, no owner,
watched everywhere — as in ``tm_eval_dev.py``). Register: the 824 real EUIPO records, the 28
ST.66 records of 20 other offices, and the dev set's contested (later) marks as records where
they are not already among the EUIPO records. ``run_watch`` runs at the default threshold
through the index, the pre-filter and the full assessment. Printed per method:

* alerts per watched mark (the noise a user reads),
* recall: share of the distinct dev (earlier mark, contested application) pairs alerted,
* share of alerts that are dev pairs. A lower bound of precision: the other half of the EUIPO
  oppositions is held out, and an alert on an unopposed mark may still be a fair warning.

Beside it the baseline: rapidfuzz WRatio >= 80 over every (watched mark, register text) pair,
no class filter (tm_eval_dev uses none: the earlier marks' goods are not in the data); once
case-folded and once on the raw texts as ``tm_eval_dev.py`` does.

    .venv/bin/python bench/tm_noise.py [--min-score 55] [--workers N]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from fenghuo.tm.index import RegisterIndex, record_texts
from fenghuo.tm.records import PortfolioMark, RecordError, RegisterRecord, VerbalElement
from fenghuo.tm.similarity import DEFAULT_MIN_SCORE, assess, prepare, quick_mark_score
from fenghuo.tm.sources import iter_source
from fenghuo.tm.watch import CANDIDATES_PER_MARK, QUICK_THRESHOLD, run_watch

BASELINE_CUTOFF = 80


def shared() -> Path:
    return Path(os.environ.get("FENGHUO_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def load_dev() -> list[dict[str, str]]:
    with (shared() / "data/trademarks/euipo-oppositions-dev.csv").open(encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def load_register(dev: list[dict[str, str]]) -> tuple[list[RegisterRecord], dict[str, int], list[RecordError]]:
    base = shared() / "data/trademarks"
    euipo_items = list(iter_source(base / "euipo-xml"))
    st66_items = list(iter_source(base / "st66-samples"))
    errors = [r for r in euipo_items + st66_items if isinstance(r, RecordError)]
    euipo = [r for r in euipo_items if isinstance(r, RegisterRecord)]
    st66 = [r for r in st66_items if isinstance(r, RegisterRecord)]
    present = {(r.office, r.application_number) for r in euipo + st66}
    added: list[RegisterRecord] = []
    for row in dev:
        key = ("EM", row["contested_app"])
        if key not in present:
            present.add(key)
            added.append(
                RegisterRecord(
                    "EM",
                    row["contested_app"],
                    (VerbalElement(row["contested_mark"]),),
                    source="euipo-oppositions-dev.csv",
                )
            )
    counts = {"EUIPO": len(euipo), "ST.66": len(st66), "dev later marks added": len(added)}
    return euipo + st66 + added, counts, errors


def lost_where(mark: PortfolioMark, record: RegisterRecord, index: RegisterIndex, position: int) -> str:
    """Which stage of the watch pipeline drops a pair, and the exhaustive assess score."""
    profile = prepare(mark)
    score = assess(profile, record).score
    if position not in index.query(profile, CANDIDATES_PER_MARK):
        stage = f"not among the index's {CANDIDATES_PER_MARK} candidates"
    elif max((quick_mark_score(profile, t) for t in record_texts(record)), default=0.0) < QUICK_THRESHOLD:
        stage = f"pre-filter (quick score < {QUICK_THRESHOLD})"
    else:
        stage = "score below threshold"
    return f"assess score {score}; lost at: {stage}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-score", type=int, default=DEFAULT_MIN_SCORE)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    dev = load_dev()
    register, counts, errors = load_register(dev)
    earlier_marks = sorted({row["earlier_mark"] for row in dev})
    portfolio = [PortfolioMark(f"dev-{i}", text) for i, text in enumerate(earlier_marks)]
    text_of = {m.mark_id: m.mark for m in portfolio}
    positives = {(row["earlier_mark"], "EM", row["contested_app"]) for row in dev}
    n_marks, n_pairs = len(portfolio), len(positives)

    result = run_watch(portfolio, register, min_score=args.min_score, workers=args.workers)
    hits = {(text_of[a.portfolio_mark_id], a.record.office, a.record.application_number) for a in result.alerts}
    rows: list[tuple[str, int, int, float]] = [
        (f"fenghuo run_watch, score >= {args.min_score}", len(hits), len(hits & positives), result.stats.seconds)
    ]

    texts = [(r.office, r.application_number, t) for r in register for t in record_texts(r) if t.strip()]
    choices = [t for _o, _n, t in texts]
    for label, processor in (("case-folded", utils.default_process), ("raw, as tm_eval_dev", None)):
        start = time.perf_counter()
        found: set[tuple[str, str, str]] = set()
        matrix = process.cdist(
            earlier_marks, choices, scorer=fuzz.WRatio, processor=processor, score_cutoff=BASELINE_CUTOFF, workers=1
        )
        for i, earlier in enumerate(earlier_marks):
            for j in matrix[i].nonzero()[0]:
                office, number, _t = texts[j]
                found.add((earlier, office, number))
        rows.append(
            (
                f"baseline WRatio >= {BASELINE_CUTOFF} ({label})",
                len(found),
                len(found & positives),
                time.perf_counter() - start,
            )
        )

    print(
        f"portfolio: {n_marks} earlier marks; dev pairs: {n_pairs}; register: {len(register)} records ("
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + "); no class filter"
    )
    for error in errors:
        print(f"warning: unreadable shared record skipped: {error}"[:200])
    print(
        f"run_watch: {result.stats.candidates} candidates, {result.stats.assessed} assessed, "
        f"{result.stats.alerts} alerts, {result.stats.seconds:.2f} s, engine {result.stats.engine}"
    )
    print(f"{'method':44} {'alerts':>6} {'alerts/mark':>11} {'recall':>7} {'alerts=dev pair':>15} {'time s':>7}")
    for name, alerts, true, seconds in rows:
        share = true / alerts if alerts else 0.0
        print(f"{name:44} {alerts:6d} {alerts / n_marks:11.2f} {true / n_pairs:7.3f} {share:15.3f} {seconds:7.2f}")
    missed = sorted(p for p in positives if p not in hits)
    print(f"dev pairs not alerted by run_watch ({len(missed)}), with the stage that drops them:")
    index = RegisterIndex.build(register)
    position_of = {(r.office, r.application_number): i for i, r in enumerate(register)}
    mark_of = {m.mark: m for m in portfolio}
    for earlier, office, number in missed:
        position = position_of[(office, number)]
        why = lost_where(mark_of[earlier], register[position], index, position)
        print(f"  {earlier!r} vs {register[position].mark_text!r} ({number}): {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
