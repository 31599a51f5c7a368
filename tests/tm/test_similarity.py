"""Explainable mark similarity and the risk score (``fenghuo.tm.similarity``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fenghuo.tm.records import (
    GoodsServices,
    MarkFeature,
    MarkStatus,
    Party,
    PortfolioMark,
    RecordError,
    RegisterRecord,
    VerbalElement,
)
from fenghuo.tm.similarity import (
    DEFAULT_MIN_SCORE,
    Assessment,
    Reason,
    apply_squatter_boost,
    assess,
    is_own_filing,
    level_for,
    prepare,
    quick_mark_score,
)
from fenghuo.tm.sources import euipo


def register(
    text: str | None,
    classes: tuple[int, ...] = (29,),
    *,
    status: MarkStatus = MarkStatus.PENDING,
    applicants: tuple[str, ...] = (),
    transliteration: str | None = None,
    feature: MarkFeature = MarkFeature.WORD,
) -> RegisterRecord:
    verbal = (VerbalElement(text, transliteration=transliteration),) if text is not None else ()
    return RegisterRecord(
        "EM",
        "018000001",
        verbal,
        feature=feature,
        goods_services=tuple(GoodsServices(c) for c in classes),
        applicants=tuple(Party(a) for a in applicants),
        status=status,
    )


def signals(a: Assessment) -> list[str]:
    return [r.signal for r in a.reasons]


YILI = PortfolioMark("yili", "伊利", (29,), owner="Inner Mongolia Yili Industrial Group Co., Ltd.")
HUAWEI = PortfolioMark("huawei", "HUAWEI", (9,), owner="Huawei Technologies Co., Ltd.")


def test_yili_pinyin_in_the_same_class_is_high() -> None:
    a = assess(prepare(YILI), register("YILI", (29,)))
    assert a.level == "high" and a.score >= 75
    assert a.reasons[0].signal == "pinyin" and "YILI" in a.reasons[0].message and "伊利" in a.reasons[0].message
    assert a.matched_variant is not None and a.matched_variant.kind == "pinyin"
    assert "goods" in signals(a) and a.goods_score == 0.7


def test_same_mark_in_unrelated_goods_is_low() -> None:
    same_class = assess(prepare(YILI), register("YILI", (29,)))
    other_class = assess(prepare(YILI), register("YILI", (12,)))
    assert other_class.mark_score == same_class.mark_score
    assert other_class.score < same_class.score and other_class.level == "low"


def test_latin_near_miss_is_scored() -> None:
    a = assess(prepare(HUAWEI), register("HUAWE1", (9,)))
    assert 0 < a.score < 100 and a.level in ("medium", "high")
    assert a.score >= DEFAULT_MIN_SCORE
    assert a.reasons[0].signal == "orthographic" and "HUAWE1" in a.reasons[0].message
    identical = assess(prepare(HUAWEI), register("HUAWEI", (9,)))
    assert identical.reasons[0].signal == "identity" and identical.score > a.score


def test_unrelated_mark_scores_zero() -> None:
    a = assess(prepare(HUAWEI), register("TERRA S NOVA", (9,)))
    assert (a.score, a.level, signals(a)) == (0, "low", ["none"])
    assert "TERRA S NOVA" in a.reasons[0].message and a.matched_variant is None


def test_figurative_mark_without_words_scores_zero_with_a_reason() -> None:
    a = assess(prepare(HUAWEI), register(None, (9,), feature=MarkFeature.FIGURATIVE))
    assert a.score == 0 and a.level == "low"
    assert signals(a) == ["none"] and "figurative" in a.reasons[0].message


def test_own_filing_is_recognised_by_owner_name() -> None:
    profile = prepare(YILI)
    # Legal forms and punctuation do not matter.
    assert is_own_filing(
        profile, register("YILI", applicants=("INNER MONGOLIA YILI INDUSTRIAL GROUP COMPANY LIMITED",))
    )
    assert is_own_filing(
        profile, register("YILI", applicants=("Squatter GmbH", "Inner Mongolia Yili Industrial Group"))
    )
    assert not is_own_filing(profile, register("YILI", applicants=("Yili Trading GmbH",)))
    assert not is_own_filing(profile, register("YILI", applicants=("",)))
    assert not is_own_filing(prepare(PortfolioMark("x", "伊利")), register("YILI", applicants=("Anyone",)))


def test_wong_lo_kat_is_caught_through_cantonese() -> None:
    a = assess(prepare(PortfolioMark("wlj", "王老吉", (32,))), register("WONG LO KAT", (32,)))
    assert a.level == "high"
    assert {"cantonese", "syllables"} <= set(signals(a))
    assert a.matched_variant is not None and a.matched_variant.kind == "cantonese_hk"


def test_translation_hero() -> None:
    profile = prepare(PortfolioMark("hero", "英雄", (16,)))
    exact = assess(profile, register("HERO", (16,)))
    assert exact.reasons[0].signal == "meaning" and exact.matched_variant.kind == "translation"  # type: ignore[union-attr]
    assert exact.score >= DEFAULT_MIN_SCORE
    contained = assess(profile, register("HERO PEN", (16,)))
    assert contained.reasons[0].signal == "meaning" and 0 < contained.score < exact.score


def test_traditional_characters_are_folded() -> None:
    a = assess(prepare(PortfolioMark("hw", "华为", (9,))), register("華為", (9,)))
    assert a.reasons[0].signal == "shape" and "folded" in a.reasons[0].message
    assert a.level == "high"


def test_pinyin_containment() -> None:
    a = assess(prepare(PortfolioMark("hx", "红星二锅头", (33,))), register("HONGXING", (33,)))
    assert a.reasons[0].signal == "containment" and "HONGXING" in a.reasons[0].message
    assert a.score >= DEFAULT_MIN_SCORE
    full = assess(prepare(PortfolioMark("hx", "红星二锅头", (33,))), register("HONGXING ERGUOTOU", (33,)))
    assert full.reasons[0].signal == "pinyin" and full.score > a.score


def test_register_transliteration_is_compared() -> None:
    # A mark written in another script is compared through its Latin transliteration.
    a = assess(prepare(PortfolioMark("e", "ELIMA", (33,))), register("אילמה", (33,), transliteration="Elima"))
    assert a.reasons[0].signal == "identity" and a.score >= 75


def test_ended_register_mark_is_discounted() -> None:
    live = assess(prepare(HUAWEI), register("HUAWEI", (9,), status=MarkStatus.REGISTERED))
    ended = assess(prepare(HUAWEI), register("HUAWEI", (9,), status=MarkStatus.ENDED))
    assert ended.score < live.score and "status" in signals(ended)
    assert "status" not in signals(live)


def test_watched_in_every_class() -> None:
    a = assess(prepare(PortfolioMark("y", "伊利")), register("YILI", (12,)))
    assert a.goods_score == 0.6 and a.score > 0


def test_disabled_variants_are_not_used() -> None:
    from fenghuo.tm.variants import expand

    mark = PortfolioMark("y", "伊利", (29,))
    variants = [v if not v.kind.startswith("pinyin") else type(v)(v.text, v.kind, v.note, enabled=False)
                for v in expand("伊利")]
    a = assess(prepare(mark, variants), register("YILI", (29,)))
    assert "pinyin" not in signals(a)


def test_quick_mark_score() -> None:
    profile = prepare(YILI)
    assert quick_mark_score(profile, "YILI") == 1.0
    assert quick_mark_score(profile, "伊利达") == 1.0  # contains the characters
    assert quick_mark_score(profile, "") == 0.0
    assert quick_mark_score(profile, "TERRA") < 0.5
    assert 0.5 < quick_mark_score(prepare(HUAWEI), "HUAWE1") < 1.0


def test_levels_and_squatter_boost() -> None:
    assert [level_for(s) for s in (0, 59, 60, 74, 75, 100)] == ["low", "low", "medium", "medium", "high", "high"]
    base = assess(prepare(HUAWEI), register("HUAWE1", (9,)))
    boosted = apply_squatter_boost(base, Reason("squatter", "files many Chinese brands", 0.8))
    assert boosted.score == min(100, base.score + 20) and boosted.reasons[-1].signal == "squatter"
    capped = apply_squatter_boost(boosted, Reason("squatter", "again", 1.0))
    assert capped.score <= 100 and capped.level == "high"


def test_reason_to_dict() -> None:
    a = assess(prepare(YILI), register("YILI", (29,)))
    d = a.reasons[0].to_dict()
    assert d["signal"] == "pinyin" and isinstance(d["strength"], float) and d["data"]["variant"] == "YILI"


# --- real EUIPO data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def opposition_pairs(shared_dir: Path) -> list[tuple[str, RegisterRecord]]:
    tm = shared_dir / "data" / "trademarks"
    pairs = []
    with (tm / "euipo-oppositions-dev.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            item = next(iter(euipo.iter_records(str(tm / "euipo-xml" / f"{row['contested_app']}.xml"))))
            if isinstance(item, RecordError):
                continue  # a damaged shared file (reported by test_euipo.py)
            pairs.append((row["earlier_mark"], item))
    if len(pairs) < 50:
        pytest.skip("too few intact opposition pairs in the shared data")
    return pairs


def test_real_oppositions_reach_the_alert_threshold(opposition_pairs: list[tuple[str, RegisterRecord]]) -> None:
    """Pairs EUIPO opponents actually fought over: most must raise an alert at the default threshold."""
    scores = [
        assess(prepare(PortfolioMark("m", earlier, record.nice_classes)), record).score
        for earlier, record in opposition_pairs
    ]
    recall = sum(s >= DEFAULT_MIN_SCORE for s in scores) / len(scores)
    assert recall >= 0.8, sorted(scores)


def test_chinese_brand_is_quiet_on_the_unrelated_euipo_register(shared_dir: Path) -> None:
    folder = shared_dir / "data" / "trademarks" / "euipo-xml"
    profile = prepare(YILI)
    alerts = []
    for path in sorted(folder.glob("*.xml"))[:300]:
        for item in euipo.iter_records(str(path)):
            if isinstance(item, RegisterRecord):
                a = assess(profile, item)
                if a.score >= DEFAULT_MIN_SCORE:
                    alerts.append((item.mark_text, a.score))
    assert alerts == []
