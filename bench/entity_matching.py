"""Evaluate cross-language company-name matching on the labelled pairs in bench/data.

Prints precision and recall of automatic matches ("match") and how many pairs went to the human
review queue ("review"), in two settings: (a) the enterprise registered only its Chinese legal
name; (b) it also recorded its English brand in the alias table. Beside them, a plain
rapidfuzz baseline (token_set_ratio of the pinyin of the Chinese name against the English name).

    .venv/bin/python bench/entity_matching.py
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

from fenghuo.disputes.entities.matching import EnterpriseIdentity, match_party

DATA = Path(__file__).parent / "data" / "company_name_pairs.csv"


def load() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


def prf(rows: list[tuple[int, str]]) -> tuple[float, float, int]:
    tp = sum(1 for label, d in rows if label == 1 and d == "match")
    fp = sum(1 for label, d in rows if label == 0 and d == "match")
    fn = sum(1 for label, d in rows if label == 1 and d != "match")
    review = sum(1 for _, d in rows if d == "review")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, review


def main() -> int:
    pairs = load()
    positives = sum(1 for p in pairs if p["label"] == "1")
    print(f"pairs: {len(pairs)} ({positives} same company, {len(pairs) - positives} different)")
    start = time.perf_counter()
    results: dict[str, list[tuple[int, str]]] = {"chinese name only": [], "with alias table": []}
    misses: list[str] = []
    for p in pairs:
        label = int(p["label"])
        only = EnterpriseIdentity(1, (p["chinese_name"],))
        with_alias = EnterpriseIdentity(1, (p["chinese_name"],), tuple(a for a in [p["alias"]] if a))
        results["chinese name only"].append((label, match_party(p["english_name"], only).decision))
        m = match_party(p["english_name"], with_alias)
        results["with alias table"].append((label, m.decision))
        if (label == 1) != (m.decision == "match"):
            misses.append(f"  {p['chinese_name']} | {p['english_name']} | label {label} -> {m.decision} {m.score}")
    elapsed = time.perf_counter() - start
    from pypinyin import lazy_pinyin

    for cutoff in (30, 40, 50):
        rows = []
        for p in pairs:
            pin = " ".join(lazy_pinyin(p["chinese_name"]))
            score = fuzz.token_set_ratio(pin, p["english_name"].lower())
            rows.append((int(p["label"]), "match" if score >= cutoff else "none"))
        results[f"baseline rapidfuzz pinyin token_set >= {cutoff}"] = rows
    print(f"{'setting':48} {'precision':>9} {'recall':>7} {'review':>7}")
    for name, rows in results.items():
        precision, recall, review = prf(rows)
        print(f"{name:48} {precision:9.3f} {recall:7.3f} {review:7d}")
    print(f"time: {elapsed * 1000:.0f} ms for {2 * len(pairs)} matches")
    print("errors with alias table (review counts as not matched):")
    print("\n".join(misses) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
