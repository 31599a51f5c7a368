"""Relatedness of two sets of goods/services: class < China's similar group < EUIPO-similar terms.

Nice classes are too coarse (class 9 holds both computers and sunglasses). Chinese examiners
compare by 类似群 (similar groups, e.g. 2907 milk products); EUIPO's Similarity tool grades term
pairs. Both are used where the data allows, with the class (and classes that EUIPO finds related
across) as the fallback when terms are unknown — every answer says which level it came from.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fenghuo.core.i18n import _

DATA = Path(__file__).parent / "data"

#: Scores per level (0..1). Order matters: class < group < EUIPO-similar terms.
SCORE_EVERY_CLASS = 0.6
SCORE_UNRELATED = 0.1
SCORE_RELATED_CLASS = 0.45
SCORE_SAME_CLASS = 0.7
SCORE_SAME_GROUP = 0.85
SCORE_EUIPO = {1: 0.88, 2: 0.94, 3: 1.0}  # any EUIPO grade of similarity ranks above the same group

#: Commonly related classes where EUIPO's data has no cross-class pair (food and drink, clothing
#: and accessories, software and services, cosmetics and pharmaceuticals).
_EXTRA_RELATED = {(29, 30), (30, 32), (32, 33), (29, 31), (30, 31), (25, 18), (25, 14), (18, 14), (25, 26),
                  (9, 42), (9, 38), (9, 28), (3, 5), (3, 21), (5, 10), (11, 21), (20, 21), (16, 41), (35, 9)}


@dataclass(frozen=True)
class GoodsMatch:
    score: float
    level: str  # every_class | euipo | group | class | related_class | unrelated | unknown
    message: str
    data: dict[str, object] = field(default_factory=dict)


def _norm_term(term: str) -> str:
    term = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", term.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", term).split())


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@lru_cache(maxsize=1)
def euipo_pairs() -> dict[str, dict[str, tuple[int, str]]]:
    """normalized term → {other normalized term: (degree, other term as written)}."""
    out: dict[str, dict[str, tuple[int, str]]] = {}
    for r in _rows("euipo_similar_terms.csv"):
        a, b, degree = _norm_term(r["term1"]), _norm_term(r["term2"]), int(r["degree"])
        out.setdefault(a, {})[b] = (degree, r["term2"])
        out.setdefault(b, {})[a] = (degree, r["term1"])
    return out


@lru_cache(maxsize=1)
def related_classes() -> frozenset[tuple[int, int]]:
    """Class pairs EUIPO grades some terms similar across (plus a few common ones)."""
    pairs = set(_EXTRA_RELATED)
    for r in _rows("euipo_similar_terms.csv"):
        a, b = int(r["class1"]), int(r["class2"])
        if a != b:
            pairs.add((a, b))
    return frozenset(pairs | {(b, a) for a, b in pairs})


@lru_cache(maxsize=1)
def cn_groups() -> tuple[dict[str, str], dict[str, str]]:
    """(item name → group code, group code → group name) from China's similar-goods table."""
    items: dict[str, str] = {}
    groups: dict[str, str] = {}
    for r in _rows("cn_similar_groups.csv"):
        if r["type"] == "group":
            groups[r["code"]] = r["name"]
        else:
            items.setdefault(_norm_cn(r["name"]), r["parent"])
    return items, groups


def _norm_cn(term: str) -> str:
    return re.sub(r"[\s（）()，,。；;、\[\]【】]", "", term)


def cn_group_of(term: str) -> str | None:
    items, _groups = cn_groups()
    return items.get(_norm_cn(term))


def split_terms(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;；]", text) if t.strip()]


def relatedness(
    watched_classes: Sequence[int],
    watched_terms: Sequence[str],
    record_goods: Iterable[tuple[int, Sequence[tuple[str, str]]]],
) -> GoodsMatch:
    """How related the goods of a watched mark are to a register record's goods.

    ``record_goods`` is (class, [(language, term text), …]) per class of the record.
    """
    record = [(c, terms) for c, terms in record_goods]
    record_classes = sorted({c for c, _ in record})
    if not watched_classes and not watched_terms:
        return GoodsMatch(SCORE_EVERY_CLASS, "every_class", _("watched in every class"))
    if not record_classes:
        return GoodsMatch(0.4, "unknown", _("the register record names no goods or services"))
    # 1. EUIPO-graded term pairs (English terms).
    pairs = euipo_pairs()
    best: tuple[int, str, str] | None = None
    if watched_terms:
        english = [t for _c, terms in record for lang, text in terms if lang in ("en", "") for t in split_terms(text)]
        for wt in watched_terms:
            graded = pairs.get(_norm_term(wt))
            if not graded:
                continue
            for rt in english:
                hit = graded.get(_norm_term(rt))
                if hit and (best is None or hit[0] > best[0]):
                    best = (hit[0], wt, rt)
    if best is not None:
        degree, wt, rt = best
        return GoodsMatch(SCORE_EUIPO[degree], "euipo",
                          _("EUIPO grades %(a)s and %(b)s as similar (degree %(d)s)", a=wt, b=rt, d=degree),
                          {"degree": degree, "terms": [wt, rt]})
    # 2. China's similar groups (Chinese terms on both sides).
    watched_groups = {g for g in (cn_group_of(t) for t in watched_terms) if g}
    if watched_groups:
        record_groups = {g for _c, terms in record for lang, text in terms if lang in ("zh", "zh-cn", "")
                         for t in split_terms(text) for g in [cn_group_of(t)] if g}
        common = sorted(watched_groups & record_groups)
        if common:
            names = cn_groups()[1]
            return GoodsMatch(SCORE_SAME_GROUP, "group",
                              _("same similar group %(group)s (%(name)s)", group=common[0],
                                name=names.get(common[0], "")), {"group": common[0]})
    # 3. Same class, then classes EUIPO relates.
    same = sorted(set(watched_classes) & set(record_classes))
    if same:
        return GoodsMatch(SCORE_SAME_CLASS, "class", _("same class %(classes)s", classes=", ".join(map(str, same))),
                          {"classes": same})
    related = related_classes()
    for w in watched_classes:
        for r in record_classes:
            if (w, r) in related:
                return GoodsMatch(SCORE_RELATED_CLASS, "related_class",
                                  _("classes %(a)s and %(b)s hold related goods", a=w, b=r), {"classes": [w, r]})
    return GoodsMatch(SCORE_UNRELATED, "unrelated",
                      _("different goods: classes %(a)s vs %(b)s", a=", ".join(map(str, sorted(watched_classes))),
                        b=", ".join(map(str, record_classes))))
