"""Candidate generation (``fenghuo.tm.index``) over real EUIPO records plus a few synthetic ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from fenghuo.tm.index import RegisterIndex, profile_keys, record_texts, text_keys
from fenghuo.tm.records import GoodsServices, MarkFeature, PortfolioMark, RegisterRecord, VerbalElement
from fenghuo.tm.similarity import prepare
from fenghuo.tm.sources import iter_source


def synthetic(
    number: str, text: str, classes: tuple[int, ...] = (29,), transliteration: str | None = None
) -> RegisterRecord:
    return RegisterRecord(
        "CN",
        number,
        (VerbalElement(text, transliteration=transliteration),),
        feature=MarkFeature.WORD,
        goods_services=tuple(GoodsServices(c) for c in classes),
    )


SYNTHETIC = [
    synthetic("S-YILI-CJK", "伊利"),
    synthetic("S-YILI", "YILI"),
    synthetic("S-YILIDA", "伊利达"),
    synthetic("S-HAIXIN-CJK", "海信", (9,)),
    synthetic("S-HISENSE", "HISENSE", (9,)),
    synthetic("S-WLK", "WONG LO KAT", (32,)),
    synthetic("S-HUAWE1", "HUAWE1", (9,)),
]


@pytest.fixture(scope="module")
def register(shared_dir: Path) -> list[RegisterRecord]:
    folder = shared_dir / "data" / "trademarks" / "euipo-xml"
    real = [r for r in iter_source(folder) if isinstance(r, RegisterRecord)][:400]
    if len(real) < 300:
        pytest.skip(f"too few EUIPO records in {folder}")
    # Synthetic records spread through the real ones, so their positions are not trivially at the end.
    out = list(real)
    for k, record in enumerate(SYNTHETIC):
        out.insert(25 + 57 * k, record)
    assert len(out) == len(real) + len(SYNTHETIC)
    return out


@pytest.fixture(scope="module")
def index(register: list[RegisterRecord]) -> RegisterIndex:
    return RegisterIndex.build(register)


def found(index: RegisterIndex, register: list[RegisterRecord], mark: PortfolioMark, limit: int = 20) -> list[str]:
    return [register[p].application_number for p in index.query(prepare(mark), limit)]


def test_two_character_chinese_mark_and_its_pinyin_are_candidates(
    index: RegisterIndex, register: list[RegisterRecord]
) -> None:
    top = found(index, register, PortfolioMark("y", "伊利", (29,)))
    assert {"S-YILI-CJK", "S-YILI", "S-YILIDA"} <= set(top[:5])
    assert top[0] == "S-YILI-CJK"  # identical characters rank first


def test_haixin_characters_and_alias(index: RegisterIndex, register: list[RegisterRecord]) -> None:
    assert found(index, register, PortfolioMark("h", "海信", (9,)))[0] == "S-HAIXIN-CJK"
    with_alias = found(index, register, PortfolioMark("h", "海信", (9,), aliases=("HISENSE",)))
    assert {"S-HAIXIN-CJK", "S-HISENSE"} <= set(with_alias[:3])


def test_cantonese_and_latin_near_miss(index: RegisterIndex, register: list[RegisterRecord]) -> None:
    assert "S-WLK" in found(index, register, PortfolioMark("w", "王老吉", (32,)))[:3]
    assert "S-HUAWE1" in found(index, register, PortfolioMark("hw", "HUAWEI", (9,)))[:3]
    assert "S-HUAWE1" in found(index, register, PortfolioMark("hw", "华为", (9,)))[:5]


def test_real_register_marks_are_found(index: RegisterIndex, register: list[RegisterRecord]) -> None:
    positions = {r.application_number: i for i, r in enumerate(register)}
    for record in register[:400:40]:
        if not record.mark_text:
            continue
        candidates = index.query(prepare(PortfolioMark("m", record.mark_text)), 10)
        assert positions[record.application_number] in candidates[:3], record.mark_text


def test_query_results_are_positions_best_first_within_limit(
    index: RegisterIndex, register: list[RegisterRecord]
) -> None:
    positions = index.query(prepare(PortfolioMark("y", "伊利")), 7)
    assert len(positions) <= 7 and len(set(positions)) == len(positions)
    assert all(0 <= p < index.size == len(register) for p in positions)
    assert index.candidates([]) == [] and index.candidates(["w:NO-SUCH-KEY"]) == []
    # Larger limits extend, not reorder, the best candidates.
    assert index.query(prepare(PortfolioMark("y", "伊利")), 50)[:3] == positions[:3]


def test_figurative_marks_are_indexed_without_keys(register: list[RegisterRecord]) -> None:
    figurative = next(r for r in register if not r.verbal_elements)
    assert record_texts(figurative) == []
    assert record_texts(synthetic("t", "אילמה", transliteration="Elima")) == ["אילמה", "Elima"]


def test_text_keys() -> None:
    keys = text_keys("伊利")
    assert {"c:伊", "c:利", "b:伊利", "w:YILI", "g:^YI"} <= keys
    assert text_keys("華為") >= {"b:华为", "w:HUAWEI"}  # traditional folded to simplified
    assert {"w:HUAWE1", "t:HUAWE1", "g:^HU", "g:E1$"} <= text_keys("HUAWE1")
    assert text_keys("") == set()
    assert profile_keys(prepare(PortfolioMark("y", "伊利", aliases=("YILI MILK",)))) >= {"t:MILK", "w:YILIMILK"}


def test_save_and_load(index: RegisterIndex, tmp_path: Path) -> None:
    path = tmp_path / "register.idx"
    index.save(path)
    loaded = RegisterIndex.load(path)
    assert loaded.size == index.size and loaded.postings.keys() == index.postings.keys()
    profile = prepare(PortfolioMark("y", "伊利"))
    assert loaded.query(profile, 20) == index.query(profile, 20)
