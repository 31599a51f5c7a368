"""Evaluate cross-language company-name matching on the labelled pairs in bench/data.

Prints precision and recall of automatic matches ("match") and how many pairs went to the human
review queue ("review"), in two settings: (a) the enterprise registered only its Chinese legal
name; (b) it also recorded its English brand in the alias table. Beside them, a plain
rapidfuzz baseline (token_set_ratio of the pinyin of the Chinese name against the English name).

    .venv/bin/python bench/entity_matching.py
    .venv/bin/python bench/entity_matching.py --batch

``--batch``: every English name as a party of one feed against every registered enterprise
(Chinese name + alias), once pairwise (``best_matches`` per party, all pairs) and once with
``entities.batch.link`` (splink blocking on DuckDB, then ``match_party`` on the candidates);
precision/recall of the labelled pairs' decisions, comparisons and time of each path.
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


def batch_mode(pairs: list[dict[str, str]]) -> int:
    from fenghuo.disputes.entities.batch import link
    from fenghuo.disputes.entities.matching import best_matches

    registry = [EnterpriseIdentity(i, (p["chinese_name"],), tuple(a for a in [p["alias"]] if a))
                for i, p in enumerate(pairs)]
    parties = [p["english_name"] for p in pairs]
    start = time.perf_counter()
    pairwise = {(i, m.enterprise_id): m.decision for i, party in enumerate(parties)
                for m in best_matches(party, registry)}
    t_pair = time.perf_counter() - start
    link(parties[:2], registry[:2])  # load splink and DuckDB once, outside the timing
    start = time.perf_counter()
    result = link(parties, registry)
    t_batch = time.perf_counter() - start
    batch = {(b.party_index, b.enterprise_id): b.decision for b in result.matches}
    print(f"{'path':10} {'precision':>9} {'recall':>7} {'review':>7} {'scored pairs':>13} {'time':>8}")
    for name, found, scored, elapsed in (("pairwise", pairwise, len(parties) * len(registry), t_pair),
                                         ("batch", batch, result.candidates, t_batch)):
        rows = [(int(p["label"]), found.get((i, i), "none")) for i, p in enumerate(pairs)]
        precision, recall, review = prf(rows)
        print(f"{name:10} {precision:9.3f} {recall:7.3f} {review:7d} {scored:13d} {elapsed * 1000:6.0f} ms")
    print(f"batch: {result.all_pairs} name pairs, {result.compared} compared by splink after blocking, "
          f"{result.candidates} candidates scored by match_party")
    diffs = [k for k in set(pairwise) | set(batch) if pairwise.get(k, "none") != batch.get(k, "none")]
    differ = len(diffs)
    for i, j in sorted(diffs, key=str):
        print(f"  {parties[i]} | {pairs[int(j)]['chinese_name']}: pairwise {pairwise.get((i, j), 'none')}, "
              f"batch {batch.get((i, j), 'none')}")
    print(f"(party, enterprise) decisions that differ between the paths: {differ}")
    return 0


def main() -> int:
    pairs = load()
    if "--batch" in sys.argv[1:]:
        return batch_mode(pairs)
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
