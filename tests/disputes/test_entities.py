"""Cross-language entity matching: parts of names, romanized brands, aliases, hard negatives."""

from __future__ import annotations

import pytest

from fenghuo.disputes.entities.matching import EnterpriseIdentity, best_matches, identifiers_in, match_party
from fenghuo.disputes.entities.names import initials, split_name


@pytest.mark.parametrize(
    ("name", "brand", "places", "legal"),
    [
        ("宁波乐歌人体工学科技股份有限公司", "乐歌", ("宁波",), "股份有限公司"),
        ("華為技術有限公司", "华为", (), "有限公司"),  # traditional characters
        ("华为技术（深圳）有限公司", "华为", ("深圳",), "有限公司"),
        ("福耀玻璃工业集团股份有限公司", "福耀", (), "集团股份有限公司"),
        ("SZ DJI Technology Co., Ltd.", "dji", ("深圳",), "co ltd"),
        ("XYZ Trading Co., Ltd. of Ningbo, China", "xyz", ("宁波",), "co ltd"),
        ("Tsingtao Brewery Co., Ltd.", "tsingtao", ("青岛",), "co ltd"),
    ],
)
def test_split_name(name: str, brand: str, places: tuple[str, ...], legal: str) -> None:
    parts = split_name(name)
    assert parts.brand == brand
    assert parts.places == places
    assert parts.legal_form == legal


def test_initials() -> None:
    assert initials("Contemporary Amperex Technology Co., Limited") == "CATL"
    assert initials("Xuzhou Construction Machinery Group Co., Ltd.") == "XCMG"


def test_pinyin_bridges_a_brand_and_says_so() -> None:
    m = match_party("Huawei Technologies Co., Ltd.", EnterpriseIdentity(1, ("华为技术有限公司",)))
    assert m.decision == "match"
    assert any("HUAWEI" in r.message for r in m.reasons)


def test_polyphone_reading_is_tried() -> None:
    # 乐 reads le or yue; the Ningbo company's pinyin name uses le.
    identity = EnterpriseIdentity(1, ("宁波乐歌人体工学科技股份有限公司",))
    m = match_party("Ningbo Lege Ergonomic Technology Co.", identity)
    assert m.decision == "match"
    assert {r.signal for r in m.reasons} >= {"brand", "place", "industry"}


def test_brand_not_in_pinyin_needs_the_alias_table() -> None:
    only_chinese = EnterpriseIdentity(1, ("宁波乐歌人体工学科技股份有限公司",))
    with_alias = EnterpriseIdentity(1, ("宁波乐歌人体工学科技股份有限公司",), ("Loctek",))
    assert match_party("Loctek Ergonomic Technology Corp.", only_chinese).decision == "none"
    assert match_party("Loctek Ergonomic Technology Corp.", with_alias).decision == "match"


def test_store_name_alias_and_identifier() -> None:
    identity = EnterpriseIdentity(7, ("深圳市示例电子有限公司",), ("BeaconGear Official Store",),
                                  uscc="91440300MA5EXAMPL0")
    assert match_party("beacongear official store", identity).reasons[0].signal == "alias"
    m = match_party("Unknown Seller 123", identity, context="USCC 91440300MA5EXAMPL0 named in schedule A")
    assert m.decision == "match" and m.reasons[0].signal == "identifier"
    assert "91440300MA5EXAMPL0" in identifiers_in("code: 91440300ma5exampl0")


@pytest.mark.parametrize(
    ("registered", "alias", "party"),
    [
        ("华为技术有限公司", "Huawei", "Huaxia Technologies Co., Ltd."),
        ("珠海格力电器股份有限公司", "Gree", "Green Electric Appliances Inc."),
        ("中兴通讯股份有限公司", "ZTE", "Jiangsu Zhongtian Technology Co., Ltd."),
        ("比亚迪股份有限公司", "BYD", "BYK Chemie GmbH"),
        ("内蒙古伊利实业集团股份有限公司", "Yili", "Yili Trading Co., Ltd. of Yiwu"),
    ],
)
def test_hard_negatives_do_not_match(registered: str, alias: str, party: str) -> None:
    assert match_party(party, EnterpriseIdentity(1, (registered,), (alias,))).decision != "match"


def test_best_matches_ranks_and_drops_non_matches() -> None:
    identities = [
        EnterpriseIdentity("huawei", ("华为技术有限公司",)),
        EnterpriseIdentity("haier", ("海尔智家股份有限公司",), ("Haier",)),
        EnterpriseIdentity("hisense", ("海信集团控股股份有限公司",), ("Hisense",)),
    ]
    found = best_matches("Haier Smart Home Co., Ltd.", identities)
    assert [m.enterprise_id for m in found] == ["haier"]


def test_labelled_set_precision_and_recall_do_not_regress() -> None:
    """The evaluation in bench/entity_matching.py, as a floor (figures in bench/README.md)."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "data" / "company_name_pairs.csv"
    rows = list(csv.DictReader(line for line in path.open(encoding="utf-8") if not line.startswith("#")))
    assert len(rows) >= 100 and sum(r["label"] == "0" for r in rows) >= 30
    tp = fp = fn = 0
    for r in rows:
        identity = EnterpriseIdentity(1, (r["chinese_name"],), tuple(a for a in [r["alias"]] if a))
        decided = match_party(r["english_name"], identity).decision == "match"
        tp += decided and r["label"] == "1"
        fp += decided and r["label"] == "0"
        fn += (not decided) and r["label"] == "1"
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.95
