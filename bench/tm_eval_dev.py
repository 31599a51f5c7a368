"""Evaluation (a): recall of opposed applications and alerts per watched mark on the EUIPO dev pairs.

Each earlier mark of ``euipo-oppositions-dev.csv`` becomes a portfolio mark (no classes: the
earlier mark's goods are not in the data, and using the contested application's classes would
be cheating); it is watched against all 824 EUIPO records. A pair is found when the contested
application raises an alert at the threshold. Beside it, a plain rapidfuzz WRatio baseline on
the mark texts at several cut-offs, in the same run.

    .venv/bin/python bench/tm_eval_dev.py [--thresholds 40,45,50,55,60]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from fenghuo.tm.records import PortfolioMark, RegisterRecord
from fenghuo.tm.similarity import DEFAULT_MIN_SCORE, assess, prepare
from fenghuo.tm.sources import iter_source


def shared() -> Path:
    return Path(os.environ.get("FENGHUO_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def load_pairs() -> dict[str, set[str]]:
    """earlier mark text → contested application numbers."""
    out: dict[str, set[str]] = {}
    with (shared() / "data/trademarks/euipo-oppositions-dev.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["earlier_mark"].strip(), set()).add(row["contested_app"].strip())
    return out


def load_register() -> list[RegisterRecord]:
    return [r for r in iter_source(shared() / "data/trademarks/euipo-xml") if isinstance(r, RegisterRecord)]


def evaluate(thresholds: list[int]) -> dict[str, tuple[float, float]]:
    pairs = load_pairs()
    register = load_register()
    start = time.perf_counter()
    scores: dict[str, dict[str, int]] = {}
    for i, (earlier, _apps) in enumerate(sorted(pairs.items())):
        profile = prepare(PortfolioMark(f"dev-{i}", earlier))
        scores[earlier] = {r.application_number: assess(profile, r).score for r in register}
    elapsed = time.perf_counter() - start
    results: dict[str, tuple[float, float]] = {}
    total = sum(len(a) for a in pairs.values())
    for t in thresholds:
        found = sum(1 for e, apps in pairs.items() for a in apps if scores[e].get(a, 0) >= t)
        alerts = sum(1 for e in pairs for s in scores[e].values() if s >= t)
        results[f"fenghuo score >= {t}" + (" (default)" if t == DEFAULT_MIN_SCORE else "")] = (
            found / total, alerts / len(pairs))
    texts = {r.application_number: r.mark_text for r in register if r.mark_text}
    for cutoff in (70, 80, 90):
        found = alerts = 0
        for earlier, apps in pairs.items():
            hits = {k for _t, _s, k in process.extract(earlier, texts, scorer=fuzz.WRatio, score_cutoff=cutoff,
                                                      limit=None)}
            found += len(hits & apps)
            alerts += len(hits)
        results[f"baseline rapidfuzz WRatio >= {cutoff}"] = (found / total, alerts / len(pairs))
    print(f"watched marks: {len(pairs)}, opposed pairs: {total}, register: {len(register)} records, "
          f"exhaustive assess: {elapsed:.1f} s ({len(pairs) * len(register) / elapsed:,.0f} pairs/s)")
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--thresholds", default="40,45,50,55,60,65")
    args = parser.parse_args()
    results = evaluate([int(x) for x in args.thresholds.split(",")])
    print(f"{'method':40} {'recall':>7} {'alerts/mark':>12}")
    for name, (recall, per_mark) in results.items():
        print(f"{name:40} {recall:7.3f} {per_mark:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
