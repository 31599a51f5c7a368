"""Noise: alerts raised on the real EUIPO (and ST.66) records by a portfolio of well-known
Chinese brands (``bench/data/chinese_brands.csv``, written by us from the companies' public
names and core classes).

None of these brands is known to be squatted in the 824-record EUIPO sample, so nearly every
alert is noise a user must read: the figure to keep low. Every alert is printed with its
reasons so a reader can judge it. Beside it the baseline: rapidfuzz WRatio >= 80 of each
brand's Latin names (the English mark and the pinyin) against every register text, case-folded,
with the same class filter (any shared class) and without.

    .venv/bin/python bench/tm_brands_noise.py [--min-score 55]
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

from rapidfuzz import fuzz, utils

from fenghuo.tm.index import record_texts
from fenghuo.tm.records import PortfolioMark, RegisterRecord
from fenghuo.tm.similarity import DEFAULT_MIN_SCORE
from fenghuo.tm.sources import iter_source
from fenghuo.tm.variants import pinyin_syllables
from fenghuo.tm.watch import run_watch

BRANDS = Path(__file__).resolve().parent / "data" / "chinese_brands.csv"


def shared() -> Path:
    return Path(os.environ.get("FENGHUO_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def load_portfolio() -> list[PortfolioMark]:
    with BRANDS.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    return [PortfolioMark(r["mark_id"], r["mark"], tuple(int(c) for c in r["classes"].split(";") if c),
                          r["owner"], (), tuple(a for a in r["aliases"].split(";") if a)) for r in rows]


def baseline(portfolio: list[PortfolioMark], records: list[RegisterRecord], class_filter: bool) -> int:
    alerts = 0
    for mark in portfolio:
        names = {utils.default_process(a) for a in mark.aliases}
        syllables = pinyin_syllables(mark.mark)
        if syllables:
            names.add("".join(syllables).lower())
        names.discard("")
        for record in records:
            if class_filter and mark.classes and not set(mark.classes) & set(record.nice_classes):
                continue
            texts = [utils.default_process(t) for t in record_texts(record)]
            if any(fuzz.WRatio(n, t) >= 80 for n in names for t in texts if t):
                alerts += 1
    return alerts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-score", type=int, default=DEFAULT_MIN_SCORE)
    args = parser.parse_args()
    base = shared() / "data/trademarks"
    records = [r for p in (base / "euipo-xml", base / "st66-samples") for r in iter_source(p)
               if isinstance(r, RegisterRecord)]
    portfolio = load_portfolio()
    start = time.perf_counter()
    result = run_watch(portfolio, records, min_score=args.min_score, workers=1)
    seconds = time.perf_counter() - start
    levels = {lv: sum(1 for a in result.alerts if a.assessment.level == lv) for lv in ("high", "medium", "low")}
    print(f"portfolio: {len(portfolio)} well-known Chinese brands; register: {len(records)} records "
          f"(EUIPO + ST.66); threshold {args.min_score}; {seconds:.2f} s")
    print(f"{'method':<44}{'alerts':>8}{'alerts/mark':>13}")
    print(f"{'fenghuo run_watch (classes as registered)':<44}{len(result.alerts):>8}"
          f"{len(result.alerts) / len(portfolio):>13.2f}   levels {levels}")
    for class_filter in (True, False):
        n = baseline(portfolio, records, class_filter)
        label = "baseline WRatio >= 80, " + ("shared class" if class_filter else "no class filter")
        print(f"{label:<44}{n:>8}{n / len(portfolio):>13.2f}")
    print("\nevery fenghuo alert (judge the noise yourself):")
    for alert in result.alerts:
        reasons = "; ".join(r.message for r in alert.assessment.reasons)
        print(f"  {alert.portfolio_mark_id:<12} {alert.assessment.score:>3} {alert.assessment.level:<6} "
              f"{alert.record.office} {alert.record.application_number} {alert.record.mark_text!r}: {reasons}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
