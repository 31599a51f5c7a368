"""The forms a mark takes abroad (``fenghuo.tm.variants``), on the cases of NOTES.md §1."""

from __future__ import annotations

from fenghuo.tm.variants import (
    Variant,
    brand_words,
    cantonese_hk,
    compact,
    expand,
    has_cjk,
    jyutping,
    latin_keys,
    normalize,
    pinyin_syllables,
    to_simplified,
    to_traditional,
    translations,
    wade_giles_syllable,
)


def _by_kind(mark: str, aliases: tuple[str, ...] = ()) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in expand(mark, aliases):
        out.setdefault(v.kind, []).append(v.text)
    return out


def test_wang_lao_ji_pinyin_and_cantonese() -> None:
    kinds = _by_kind("王老吉")
    assert kinds["original"] == ["王老吉"]
    assert kinds["pinyin"] == ["WANGLAOJI"]  # 王 read wang, not the spurious yù
    assert "WONG LO GAT" in kinds["cantonese_hk"]  # Hong Kong romanisation; WONG LO KAT is a G/K voicing away
    assert kinds["jyutping"] == ["WONG LOU GAT"]
    assert kinds["wade_giles"] == ["WANG LAO CHIH"]
    assert "translation" not in kinds
    assert cantonese_hk("王老吉")[0] == ("wong", "lo", "kat")
    assert jyutping("王老吉") == ("wong", "lou", "gat")
    assert pinyin_syllables("王老吉") == ("wang", "lao", "ji")


def test_every_variant_has_a_note_and_no_duplicates() -> None:
    variants = expand("王老吉")
    assert all(v.note and v.enabled for v in variants)
    assert all("王老吉" in v.note for v in variants if v.kind not in ("original",))
    # No duplicates, except that the spaced pinyin (compared syllable by syllable) shares the joined form.
    forms = [compact(v.text) or v.text for v in variants if v.kind != "pinyin_spaced"]
    assert len(forms) == len(set(forms))
    assert [v.text for v in variants if v.kind == "pinyin_spaced"] == ["WANG LAO JI"]


def test_translation_hero() -> None:
    kinds = _by_kind("英雄")
    assert kinds["translation"] == ["HERO"]
    assert kinds["pinyin"] == ["YINGXIONG"]
    assert _by_kind("大白兔")["translation"] == ["WHITE RABBIT"]
    assert translations("红星") == ("RED STAR",)
    # Word-by-word only when every segment is known: 二锅头 is not in the table.
    assert translations("红星二锅头") == ()
    assert brand_words()["英雄"] == ("HERO",)


def test_traditional_to_simplified() -> None:
    kinds = _by_kind("華為")
    assert kinds["simplified"] == ["华为"]
    assert kinds["pinyin"] == ["HUAWEI"]
    assert "traditional" not in kinds  # already traditional
    assert to_simplified("華為") == to_simplified("華爲") == "华为"


def test_simplified_to_traditional() -> None:
    kinds = _by_kind("华为")
    assert "traditional" in kinds and "simplified" not in kinds
    assert to_simplified(kinds["traditional"][0]) == "华为"
    assert _by_kind("长城")["traditional"] == ["長城"]
    assert _by_kind("长城")["translation"] == ["GREAT WALL"]


def test_traditional_variant_of_huawei_is_the_register_form() -> None:
    assert _by_kind("华为")["traditional"] == ["華為"]


def test_aliases_are_included_and_deduplicated() -> None:
    variants = expand("海信", ("HISENSE", "Hisense", "  ", "HAIXIN"))
    aliases = [v.text for v in variants if v.kind == "alias"]
    assert aliases == ["HISENSE"]  # same compact form and the pinyin HAIXIN are not repeated
    assert [v.kind for v in variants if v.text == "HAIXIN"] == ["pinyin"]
    assert variants[-1].note == "alias recorded by the owner"


def test_latin_mark_variants() -> None:
    # Only the original: the normalized form has the same compact form, so expand drops it as a duplicate.
    assert _by_kind("Café Noir®") == {"original": ["Café Noir®"]}
    assert _by_kind("HUAWEI") == {"original": ["HUAWEI"]}
    assert _by_kind("HUAWEI", ("Huawei Technologies",)) == {"original": ["HUAWEI"], "alias": ["Huawei Technologies"]}


def test_polyphonic_characters_give_alternative_readings() -> None:
    assert _by_kind("重庆")["pinyin"] == ["CHONGQING", "ZHONGQING"]
    assert set(_by_kind("长城")["pinyin"]) == {"CHANGCHENG", "ZHANGCHENG"}


def test_spaced_pinyin_variant() -> None:
    assert _by_kind("王老吉").get("pinyin_spaced") == ["WANG LAO JI"]


def test_normalize_and_compact() -> None:
    assert normalize("Café-Noir® © No.1") == "CAFE NOIR NO 1"
    assert normalize("王老吉 tea") == "王 老 吉 TEA"
    assert compact("King´s Wheel") == "KINGSWHEEL"
    assert normalize("ＡＢＣ") == "ABC"  # full-width folded
    assert has_cjk("a伊") and not has_cjk("YILI")


def test_trade_mark_sign_is_dropped_like_the_registered_sign() -> None:
    assert normalize("HUAWEI™") == normalize("HUAWEI®") == "HUAWEI"
    assert compact("HUAWEI℠") == "HUAWEI"


def test_latin_keys() -> None:
    assert latin_keys("HUAWE1") == ("HUAWE1",)
    keys = latin_keys("王老吉")
    assert keys[0] == "WANGLAOJI"
    assert {"WONGLOGAT", "WONGLOUGAT"} <= set(keys)
    assert "YILI" in latin_keys("伊利")
    assert latin_keys("伊利 milk")[0] == "MILK"  # Latin part first, then the readings of the characters
    assert latin_keys("") == ()


def test_wade_giles_syllables() -> None:
    assert wade_giles_syllable("zhang") == "chang"
    assert wade_giles_syllable("qing") == "ch'ing"
    assert wade_giles_syllable("xi") == "hsi"
    assert wade_giles_syllable("rong") == "jung"
    assert wade_giles_syllable("lian") == "lien"
    assert wade_giles_syllable("jie") == "chieh"
    assert wade_giles_syllable("guo") == "kuo"


def test_wade_giles_apical_vowels_and_e() -> None:
    assert [wade_giles_syllable(s) for s in ("zi", "si", "de")] == ["tzu", "ssu", "te"]


def test_variant_round_trip() -> None:
    v = Variant("WONG LO GAT", "cantonese_hk", "note", enabled=False)
    assert Variant.from_dict(v.to_dict()) == v
    assert Variant.from_dict({"text": "X"}) == Variant("X", "user", "", True)
    assert to_traditional("伊利") == "伊利"
