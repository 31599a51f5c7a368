"""Scale of the watch engine on a synthetic register: index build, watch throughput, planted recall.

The register has N synthetic records: Latin brand-like marks (random syllables, sometimes with
a generic second word), Chinese-character marks (2-4 random characters from 2,000 common ones,
drawn from GB2312 level 1, the 3,755 most common characters), and near-variants of portfolio
marks planted at a known rate (``--plant-rate``, share of the register) in one of the watched
mark's classes. Latin variants: one-letter substitution, insertion, deletion or transposition,
an extra word. Chinese variants: the pinyin or Hong Kong Cantonese spelling (cross-script), the
traditional characters, one character added, one replaced. Every record has 1-3 random Nice
classes, a random office and an applicant from a pool; no applicant is a portfolio owner.

The portfolio has M watched marks (70 % Latin, 30 % Chinese), 1-3 classes each. Measured:

* index build time, resident memory growth and the size of the postings;
* watch time (``run_watch``, prebuilt index) per 1,000 marks, engine ``local`` with one worker
  per CPU and, with ``--dask``, engine ``dask`` on a LocalCluster of as many workers;
* planted-variant recall (a planted pair counts when its mark raises an alert on that record),
  per variant kind; total alerts and alerts per watched mark;
* baseline: brute-force rapidfuzz WRatio (case-folded, cut-off 80) of a sample of 20 marks
  against every register text, its pairs per second extrapolated to M marks, and its planted
  recall on the same 20 marks beside fenghuo's.

    .venv/bin/python bench/tm_scale.py                              # 1,000,000 x 10,000
    .venv/bin/python bench/tm_scale.py --records 20000 --marks 200  # quick (< 1 min)
    .venv/bin/python bench/tm_scale.py --dask
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import resource
import string
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process, utils

from fenghuo.tm.index import RegisterIndex, text_keys
from fenghuo.tm.records import (
    GoodsServices,
    MarkFeature,
    MarkStatus,
    Party,
    PortfolioMark,
    RegisterRecord,
    VerbalElement,
)
from fenghuo.tm.similarity import DEFAULT_MIN_SCORE, assess, prepare
from fenghuo.tm.variants import cantonese_hk, pinyin_syllables, to_traditional
from fenghuo.tm.watch import CANDIDATES_PER_MARK, WatchResult, run_watch

ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "cr",
    "dr",
    "fl",
    "gr",
    "kl",
    "pr",
    "st",
    "tr",
    "ch",
    "sh",
    "th",
    "qu",
    "",
]
NUCLEI = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "io", "ou", "y"]
CODAS = ["", "", "", "", "n", "r", "s", "x", "l", "m", "t", "ck"]
GENERIC = [
    "PRO",
    "PLUS",
    "HOME",
    "TECH",
    "FOOD",
    "BEAUTY",
    "SPORT",
    "LAB",
    "GROUP",
    "WORLD",
    "STYLE",
    "CARE",
    "MAX",
    "ONE",
    "GO",
    "LIFE",
    "KIDS",
    "NATURE",
    "SMART",
    "FASHION",
]
OFFICES = ["EM", "CN", "US", "WO", "GB", "JP", "KR", "MY", "DE", "FR", "ES", "IT", "BR", "IN", "AU"]
LATIN_KINDS = ["substitute", "insert", "delete", "transpose", "extra word"]
CJK_KINDS = ["pinyin", "cantonese", "traditional", "char added", "char replaced"]
BASELINE_SAMPLE = 20
TOP_K = 10
BASELINE_CUTOFF = 80


def common_cjk(count: int = 2000) -> list[str]:
    """``count`` characters of GB2312 level 1 (the 3,755 most common characters), fixed sample."""
    level1 = [
        bytes([hi, lo]).decode("gb2312")
        for hi in range(0xB0, 0xD8)
        for lo in range(0xA1, 0xFF)
        if not (hi == 0xD7 and lo > 0xF9)
    ]
    return sorted(random.Random(0).sample(level1, count))


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.chars = common_cjk()
        self.start = date(2025, 1, 1)

    def latin(self) -> str:
        rng = self.rng
        word = "".join(rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS) for _ in range(rng.randint(2, 4)))
        word = word.upper()
        if rng.random() < 0.2:
            word = f"{word} {rng.choice(GENERIC)}" if rng.random() < 0.7 else f"{rng.choice(GENERIC)} {word}"
        return word if rng.random() < 0.7 else word.title()

    def cjk(self) -> str:
        return "".join(self.rng.choice(self.chars) for _ in range(self.rng.choices((2, 3, 4), (5, 4, 1))[0]))

    def classes(self) -> tuple[int, ...]:
        return tuple(sorted(self.rng.sample(range(1, 46), self.rng.choice((1, 1, 2, 3)))))

    def latin_variant(self, mark: str) -> tuple[str, str]:
        rng = self.rng
        kind = rng.choice(LATIN_KINDS)
        word = mark.upper()
        letters = [i for i, c in enumerate(word) if c.isalpha()]
        i = rng.choice(letters[1:] or letters)
        if kind == "substitute":
            out = word[:i] + rng.choice([c for c in string.ascii_uppercase if c != word[i]]) + word[i + 1 :]
        elif kind == "insert":
            out = word[:i] + rng.choice(string.ascii_uppercase) + word[i:]
        elif kind == "delete" and len(letters) > 4:
            out = word[:i] + word[i + 1 :]
        elif kind == "transpose" and i + 1 < len(word) and word[i + 1].isalpha() and word[i] != word[i + 1]:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            kind = "extra word"
            out = f"{word} {rng.choice(GENERIC)}" if " " not in word else f"{rng.choice(GENERIC)} {word}"
        return out, kind

    def cjk_variant(self, mark: str) -> tuple[str, str]:
        rng = self.rng
        kind = rng.choice(CJK_KINDS)
        if kind == "traditional" and to_traditional(mark) == mark:
            kind = "char added"
        if kind == "pinyin":
            out = " ".join(pinyin_syllables(mark)).upper()
        elif kind == "cantonese" and cantonese_hk(mark):
            out = " ".join(cantonese_hk(mark)[0]).upper()
        elif kind == "traditional":
            out = to_traditional(mark)
        elif kind == "char replaced" and len(mark) >= 3:
            i = rng.randrange(len(mark))
            out = mark[:i] + rng.choice(self.chars) + mark[i + 1 :]
        else:
            kind = "char added"
            extra = rng.choice(self.chars)
            out = mark + extra if rng.random() < 0.5 else extra + mark
        return out, kind

    def date(self) -> date:
        return self.start + timedelta(days=self.rng.randrange(700))


def build_portfolio(gen: Generator, marks: int) -> list[PortfolioMark]:
    out = []
    for i in range(marks):
        text = gen.latin() if gen.rng.random() < 0.7 else gen.cjk()
        out.append(PortfolioMark(f"pm-{i}", text, gen.classes(), owner=f"Owner {i} Holding"))
    return out


def build_register(
    gen: Generator, n: int, portfolio: list[PortfolioMark], plant_rate: float
) -> tuple[list[RegisterRecord], list[tuple[int, int, str]]]:
    """The register and the planted pairs (portfolio index, record position, variant kind)."""
    rng = gen.rng
    applicants = [
        Party(f"{gen.latin()} {rng.choice(['Ltd', 'GmbH', 'SA', 'Co', 'Inc', 'SRL'])}", rng.choice(OFFICES))
        for _ in range(max(100, n // 50))
    ]
    statuses = [MarkStatus.REGISTERED, MarkStatus.PENDING, MarkStatus.PENDING, MarkStatus.ENDED]
    planted: list[tuple[int, int, str]] = []
    records: list[RegisterRecord] = []
    for position in range(n):
        classes = gen.classes()
        if portfolio and rng.random() < plant_rate:
            p = rng.randrange(len(portfolio))
            mark = portfolio[p]
            text, kind = (
                gen.cjk_variant(mark.mark)
                if any("\u4e00" <= c <= "\u9fff" for c in mark.mark)
                else gen.latin_variant(mark.mark)
            )
            classes = (rng.choice(mark.classes),)
            status = rng.choice(statuses[:3])
            planted.append((p, position, kind))
        else:
            text = gen.latin() if rng.random() < 0.7 else gen.cjk()
            status = rng.choice(statuses)
        office = rng.choice(OFFICES)
        records.append(
            RegisterRecord(
                office,
                f"{office}{position:09d}",
                (VerbalElement(text),),
                feature=MarkFeature.WORD,
                goods_services=tuple(GoodsServices(c) for c in classes),
                applicants=(rng.choice(applicants),),
                application_date=gen.date(),
                publication_date=gen.date(),
                status=status,
            )
        )
    return records, planted


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def index_bytes(index: RegisterIndex) -> tuple[int, int]:
    """(bytes of the posting arrays, rough bytes of keys + array headers + dict)."""
    arrays = index.data.nbytes + index.offsets.nbytes
    overhead = sum(sys.getsizeof(k) + 28 for k in index.slots) + sys.getsizeof(index.slots)
    return arrays, overhead


def progress_printer(total: int, label: str) -> Callable[[int], None]:
    state = {"done": 0, "next": 0.1, "start": time.perf_counter()}

    def report(n: int) -> None:
        state["done"] += n
        if total >= 2000 and state["done"] >= state["next"] * total:
            state["next"] += 0.1
            print(
                f"  [{label}] {state['done']}/{total} marks, {time.perf_counter() - state['start']:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    return report


def planted_recall(
    result: WatchResult,
    portfolio: list[PortfolioMark],
    records: list[RegisterRecord],
    planted: list[tuple[int, int, str]],
    only: set[int] | None = None,
) -> dict[str, tuple[int, int]]:
    alerted = {(a.portfolio_mark_id, a.record.application_number) for a in result.alerts}
    out: dict[str, list[int]] = {}
    for p, position, kind in planted:
        if only is not None and p not in only:
            continue
        hit = (portfolio[p].mark_id, records[position].application_number) in alerted
        for key in ("all", kind):
            row = out.setdefault(key, [0, 0])
            row[0] += hit
            row[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def baseline(
    portfolio: list[PortfolioMark],
    records: list[RegisterRecord],
    planted: list[tuple[int, int, str]],
    sample: list[int],
    workers: int,
) -> dict[str, float]:
    texts = [r.mark_text for r in records]
    queries = [portfolio[p].mark for p in sample]
    start = time.perf_counter()
    matrix = process.cdist(
        queries,
        texts,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        dtype=np.uint8,
        workers=workers,
    )
    seconds = time.perf_counter() - start
    wanted = {p: i for i, p in enumerate(sample)}
    hits = found = 0
    for p, position, _kind in planted:
        if p in wanted:
            hits += 1
            found += bool(matrix[wanted[p], position] >= BASELINE_CUTOFF)
    # The exhaustive scan's own top candidates per mark (best WRatio first), to check how many of
    # them the engine's index also returns as candidates.
    top = [list(np.argsort(-matrix[i].astype(np.int16), kind="stable")[:TOP_K]) for i in range(len(queries))]
    return {
        "seconds": seconds,
        "pairs_per_s": len(queries) * len(texts) / seconds,
        "alerts_per_mark": float(np.count_nonzero(matrix >= BASELINE_CUTOFF)) / len(queries),
        "planted": hits,
        "found": found,
        "top": top,  # type: ignore[dict-item]
        "top_scores": [[int(matrix[i][j]) for j in t] for i, t in enumerate(top)],  # type: ignore[dict-item]
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--marks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--plant-rate", type=float, default=0.01, help="share of the register that is planted")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dask", action="store_true", help="also run engine=dask on a LocalCluster")
    args = parser.parse_args()
    if args.dask and args.records > 300_000:
        print(
            "warning: engine=dask scatters the whole register and index from this process (peak 4.4 GB at "
            "200,000 records; past 18 GB at 1,000,000 before any worker got it): see bench/README.md",
            file=sys.stderr,
        )

    print(
        f"tm_scale: {args.records:,} records x {args.marks:,} marks, seed {args.seed}, plant rate "
        f"{args.plant_rate:.2%}, workers {args.workers}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    # Load the lazily imported dictionaries (pypinyin, OpenCC, Cantonese, goods tables) before
    # measuring, so the memory figures are the register's and the index's own.
    warm = RegisterRecord("CN", "0", (VerbalElement("王老吉 WONG LO KAT"),), goods_services=(GoodsServices(30),))
    text_keys(warm.mark_text)
    assess(prepare(PortfolioMark("w", "王老吉", (30,))), warm)
    gc.collect()
    base_rss = rss_mb()
    start = time.perf_counter()
    gen = Generator(args.seed)
    portfolio = build_portfolio(gen, args.marks)
    records, planted = build_register(gen, args.records, portfolio, args.plant_rate)
    gc.collect()
    gen_seconds, register_rss = time.perf_counter() - start, rss_mb()
    cjk = sum(1 for r in records if any("\u4e00" <= c <= "\u9fff" for c in r.mark_text))
    print(
        f"generate: {gen_seconds:.1f} s, register RSS +{register_rss - base_rss:,.0f} MB "
        f"({cjk:,} Chinese-character marks, {len(planted):,} planted variants)"
    )

    gc.collect()
    gc.freeze()  # keep the cyclic GC from walking a million records (and from touching forked pages)
    start = time.perf_counter()
    index = RegisterIndex.build(records)
    build_seconds = time.perf_counter() - start
    after = rss_mb()
    arrays, overhead = index_bytes(index)
    print(
        f"index build: {build_seconds:.1f} s ({len(records) / build_seconds:,.0f} records/s), "
        f"{len(index.postings):,} keys, postings {arrays / 2**20:,.0f} MB + keys/headers ~{overhead / 2**20:,.0f} MB, "
        f"RSS +{after - register_rss:,.0f} MB, peak RSS so far {peak_mb():,.0f} MB"
    )

    print(
        f"{'engine':24} {'seconds':>8} {'s/1000 marks':>12} {'candidates':>11} {'assessed':>9} {'alerts':>8} "
        f"{'alerts/mark':>11} {'planted recall':>14}",
        flush=True,
    )
    runs: list[tuple[str, WatchResult]] = []
    engines: list[tuple[str, Literal["local", "dask"]]] = [(f"local x{args.workers}", "local")]
    if args.dask:
        engines.append((f"dask LocalCluster x{args.workers}", "dask"))
    for name, engine in engines:
        res = run_watch(
            portfolio,
            records,
            min_score=DEFAULT_MIN_SCORE,
            engine=engine,
            workers=args.workers,
            index=index,
            progress=progress_printer(len(portfolio), engine),
        )
        runs.append((name, res))
        s = res.stats
        found, total = planted_recall(res, portfolio, records, planted).get("all", (0, 0))
        print(
            f"{name:24} {s.seconds:8.1f} {s.seconds / len(portfolio) * 1000:12.1f} {s.candidates:11,} "
            f"{s.assessed:9,} {s.alerts:8,} {s.alerts / len(portfolio):11.2f} "
            f"{found / max(total, 1):8.3f} ({found}/{total})",
            flush=True,
        )
    result = runs[0][1]
    if len(runs) > 1:
        same = [(a.portfolio_mark_id, a.record.application_number, a.assessment.score) for a in runs[0][1].alerts] == [
            (a.portfolio_mark_id, a.record.application_number, a.assessment.score) for a in runs[1][1].alerts
        ]
        print(f"local and dask alerts identical: {same}")
    by_kind = planted_recall(result, portfolio, records, planted)
    print(
        "planted recall by variant kind (local): "
        + ", ".join(f"{k} {f / t:.2f} ({f}/{t})" for k, (f, t) in sorted(by_kind.items()) if k != "all")
    )
    levels = Counter(a.assessment.level for a in result.alerts)
    print("alert levels: " + ", ".join(f"{k} {v:,}" for k, v in sorted(levels.items())))

    sample = sorted(random.Random(args.seed).sample(range(len(portfolio)), min(BASELINE_SAMPLE, len(portfolio))))
    b = baseline(portfolio, records, planted, sample, args.workers)
    ours_found, ours_total = planted_recall(result, portfolio, records, planted, set(sample)).get("all", (0, 0))
    ours_alerts = sum(1 for a in result.alerts if a.portfolio_mark_id in {portfolio[p].mark_id for p in sample})
    extrapolated = args.marks * len(records) / b["pairs_per_s"]
    print(
        f"baseline brute-force rapidfuzz WRatio >= {BASELINE_CUTOFF} (case-folded, no class filter), "
        f"{len(sample)} marks x {len(records):,} records, {args.workers} threads: {b['seconds']:.1f} s, "
        f"{b['pairs_per_s']:,.0f} pairs/s -> {extrapolated:,.0f} s for {args.marks:,} marks "
        f"({extrapolated / len(portfolio) * 1000:.1f} s/1000 marks)"
    )
    print(
        f"  on the same {len(sample)} marks: baseline planted recall {b['found'] / max(b['planted'], 1):.3f} "
        f"({b['found']}/{b['planted']}), {b['alerts_per_mark']:.1f} alerts/mark; fenghuo planted recall "
        f"{ours_found / max(ours_total, 1):.3f} ({ours_found}/{ours_total}), "
        f"{ours_alerts / len(sample):.1f} alerts/mark"
    )
    covered = total = strong_covered = strong_total = 0
    for i, p in enumerate(sample):
        candidates = set(index.query(prepare(portfolio[p]), CANDIDATES_PER_MARK))
        for position, score in zip(b["top"][i], b["top_scores"][i], strict=True):  # type: ignore[call-overload]
            hit = int(position) in candidates
            total += 1
            covered += hit
            if score >= BASELINE_CUTOFF:
                strong_total += 1
                strong_covered += hit
    print(f"  exhaustive scan's top {TOP_K} per sampled mark also among the engine's candidates: "
          f"{covered}/{total} ({covered / max(total, 1):.3f}); of those scoring >= {BASELINE_CUTOFF}: "
          f"{strong_covered}/{strong_total} ({strong_covered / max(strong_total, 1):.3f})")
    print(f"peak RSS: main {peak_mb():,.0f} MB, largest child {peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
