"""Goods/services relatedness (``fenghuo.tm.goods``): class < China's similar group < EUIPO-graded terms."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from fenghuo.tm import goods
from fenghuo.tm.goods import relatedness


def test_every_class_and_no_goods() -> None:
    m = relatedness([], [], [(29, [("en", "Milk")])])
    assert (m.level, m.score) == ("every_class", goods.SCORE_EVERY_CLASS)
    m = relatedness([29], [], [])
    assert m.level == "unknown" and "no goods" in m.message


def test_same_class() -> None:
    m = relatedness([29, 30], [], [(29, [("en", "Sausages")]), (31, [])])
    assert (m.level, m.score, m.data) == ("class", goods.SCORE_SAME_CLASS, {"classes": [29]})
    assert "29" in m.message


def test_related_and_unrelated_classes() -> None:
    related = relatedness([29], [], [(30, [])])  # food classes
    assert related.level == "related_class" and related.score == goods.SCORE_RELATED_CLASS
    assert relatedness([30], [], [(29, [])]).level == "related_class"  # symmetric
    unrelated = relatedness([29], [], [(12, [("en", "Bicycles")])])
    assert unrelated.level == "unrelated" and unrelated.score == goods.SCORE_UNRELATED
    assert "29" in unrelated.message and "12" in unrelated.message


def test_same_chinese_similar_group() -> None:
    # 奶酪 (cheese) and 黄油 (butter) are both in group 2907 奶及乳制品.
    assert goods.cn_group_of("奶酪") == goods.cn_group_of("黄油") == "2907"
    m = relatedness([29], ["奶酪"], [(29, [("zh", "黄油；食用油")])])
    assert (m.level, m.score, m.data) == ("group", goods.SCORE_SAME_GROUP, {"group": "2907"})
    assert "2907" in m.message and "奶及乳制品" in m.message


def test_euipo_graded_terms() -> None:
    m = relatedness([29], ["Cheese"], [(29, [("en", "Butter; sausages")])])
    assert m.level == "euipo" and m.data["degree"] == 2 and m.score == goods.SCORE_EUIPO[2]
    assert m.data["terms"] == ["Cheese", "Butter"]
    # The best degree wins: milk substitutes are degree 3 to milk, cheese degree 2.
    m = relatedness([29], ["Milk"], [(29, [("en", "Cheese")]), (29, [("", "Milk substitutes")])])
    assert m.data["degree"] == 3 and m.score == 1.0
    # Across classes too: wearing apparel (25) and sports equipment (28), degree 1.
    assert relatedness([25], ["Wearing apparel"], [(28, [("en", "Sports equipment")])]).level == "euipo"
    # Term matching ignores case, punctuation and bracketed qualifiers.
    assert relatedness([29], ["cheese (dairy)"], [(29, [("en", "BUTTER.")])]).level == "euipo"


def test_levels_are_ordered() -> None:
    record = [(29, [("en", "Butter"), ("zh", "黄油")])]
    same_class = relatedness([29], [], record).score
    same_group = relatedness([29], ["奶酪"], record).score
    euipo = relatedness([29], ["Cheese"], record).score
    assert goods.SCORE_UNRELATED < goods.SCORE_RELATED_CLASS < same_class < same_group < euipo


def test_every_euipo_degree_ranks_above_the_same_group() -> None:
    low = relatedness([29], ["Cheese"], [(29, [("en", "Meat")])])
    assert low.level == "euipo" and low.data["degree"] == 1
    assert low.score > relatedness([29], ["奶酪"], [(29, [("zh", "黄油")])]).score


def test_unknown_terms_fall_back_to_classes() -> None:
    m = relatedness([29], ["frobnicated quux", "未知商品"], [(29, [("en", "Blorb"), ("zh", "某某")])])
    assert m.level == "class"
    m = relatedness([9], ["frobnicated quux"], [(29, [("en", "Blorb")])])
    assert m.level == "unrelated"


def test_split_terms() -> None:
    assert goods.split_terms("Milk; cheese；黄油 ;  ") == ["Milk", "cheese", "黄油"]


# --- the package data agrees with the shared sources it is derived from --------------------------


def test_euipo_pairs_agree_with_the_shared_similarity_table(shared_dir: Path) -> None:
    path = shared_dir / "data" / "trademarks" / "euipo-goods-similarity.csv"
    checked = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Similarity"] not in ("1", "2", "3") or not row["Class 1"].isdigit():
                continue
            m = relatedness([int(row["Class 1"])], [row["Term 1"]], [(int(row["Class 2"]), [("en", row["Term 2"])])])
            assert m.level == "euipo", row
            # Several written pairs may normalize to one; the best degree is kept.
            assert m.data["degree"] >= int(row["Similarity"]), row
            checked += 1
            if checked >= 300:
                break
    assert checked == 300


def test_cn_groups_agree_with_the_shared_ncl_table(shared_dir: Path) -> None:
    path = shared_dir / "data" / "trademarks" / "cn-similar-groups-ncl13-2026.jsonl"
    items: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["type"] == "item" and row.get("parentCode") == "2907":
                items.append(row)
    assert len(items) >= 5
    for row in items:
        group = goods.cn_group_of(row["name"])
        assert group is not None
        # An item name listed in several groups keeps its first group; 2907 items are listed once.
        assert group == "2907", row
    assert goods.cn_groups()[1]["2907"] == "奶及乳制品"
