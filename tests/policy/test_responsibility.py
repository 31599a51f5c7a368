"""The trailing responsibility annotation → lead, co, open-endedness, generic actors."""

from __future__ import annotations

import pytest

from fenghuo.policy import fold_width, is_generic_actor, parse_annotation, split_annotation


@pytest.mark.parametrize(
    ("content", "lead", "co", "open_ended"),
    [
        ("国家知识产权局牵头,中央宣传部、农业农村部、国家林草局等按职责分工负责",
         ["国家知识产权局"], ["中央宣传部", "农业农村部", "国家林草局"], True),
        ("中央宣传部、外交部、商务部、国家知识产权局等按职责分工负责",
         [], ["中央宣传部", "外交部", "商务部", "国家知识产权局"], True),
        ("国家知识产权局牵头,有关部门与地方各级人民政府按职责分工负责",
         ["国家知识产权局"], ["有关部门", "地方各级人民政府"], False),
        ("地方各级人民政府与有关部门按职责分工负责", [], ["地方各级人民政府", "有关部门"], False),
        ("市场监管总局、农业农村部、知识产权局负责", [], ["市场监管总局", "农业农村部", "知识产权局"], False),
        ("国家知识产权局负责", [], ["国家知识产权局"], False),
        ("国家知识产权局牵头", ["国家知识产权局"], [], False),
        ("国家知识产权局牵头负责", ["国家知识产权局"], [], False),
        ("国家知识产权局、市场监管总局牵头,各地区按职责分工负责",
         ["国家知识产权局", "市场监管总局"], ["各地区"], False),
        ("中央宣传部(国家版权局)、商务部等按职责分工负责", [], ["中央宣传部(国家版权局)", "商务部"], True),
        ("国家知识产权局牵头,中央宣传部(国家版权局)、文化和旅游部等部门按职责分工负责",
         ["国家知识产权局"], ["中央宣传部(国家版权局)", "文化和旅游部"], True),
        ("国家知识产权局牵头,工业和信息化部、人力资源社会保障部按职责分工负责",
         ["国家知识产权局"], ["工业和信息化部", "人力资源社会保障部"], False),
        ("国家知识产权局牵头,商务部配合", ["国家知识产权局"], ["商务部"], False),
        ("商务部会同海关总署负责", ["商务部"], ["海关总署"], False),
        ("有关部门按职责分工负责", [], ["有关部门"], False),
        ("各有关部门、各地区分别负责", [], ["各有关部门", "各地区"], False),
        ("国家知识产权局牵头,教育部,科技部等按职责分工负责", ["国家知识产权局"], ["教育部", "科技部"], True),
    ],
)
def test_annotations(content: str, lead: list[str], co: list[str], open_ended: bool) -> None:
    result = parse_annotation(content)
    assert result is not None
    assert list(result.lead) == lead
    assert list(result.co) == co
    assert result.open_ended is open_ended
    assert result.annotation == content


def test_full_width_annotation_after_folding() -> None:
    content = fold_width("国家知识产权局牵头，中央宣传部（国家版权局）、农业农村部等按职责分工负责")
    result = parse_annotation(content)
    assert result is not None
    assert result.lead == ("国家知识产权局",)
    assert result.co == ("中央宣传部(国家版权局)", "农业农村部")


@pytest.mark.parametrize("content", ["附全文", "2021-2025年", "以下简称《规划》", "", "负责", "内容、图片等",
                                     "见专栏1"])
def test_not_annotations(content: str) -> None:
    assert parse_annotation(content) is None


def test_generic_actors_marked() -> None:
    result = parse_annotation("国家知识产权局牵头,有关部门与地方各级人民政府按职责分工负责")
    assert result is not None
    assert result.generic == ("有关部门", "地方各级人民政府")
    for name in ("有关部门", "各有关部门", "地方各级人民政府", "各地区", "各地", "部际联席会议各成员单位",
                 "各省级人民政府", "相关部门"):
        assert is_generic_actor(name), name
    for name in ("国家知识产权局", "商务部", "中央宣传部", "北京市人民政府"):
        assert not is_generic_actor(name), name


def test_known_names_with_conjunctions_stay_whole() -> None:
    # Split on 与/和 only when every piece ends like an institution, and not when the whole is known.
    result = parse_annotation("国家发展和改革委员会、文化和旅游部、住房和城乡建设部负责")
    assert result is not None
    assert result.co == ("国家发展和改革委员会", "文化和旅游部", "住房和城乡建设部")
    result = parse_annotation("商务部和海关总署负责")
    assert result is not None and result.co == ("商务部", "海关总署")
    result = parse_annotation("甲局与乙局负责", is_known=lambda name: name == "甲局与乙局")
    assert result is not None and result.co == ("甲局与乙局",)


def test_split_annotation_right_to_left_with_nesting() -> None:
    text = "加强版权保护。推进正版化(含软件)。(中央宣传部(国家版权局)牵头,有关部门按职责分工负责)"
    body, annotation = split_annotation(text)
    assert body == "加强版权保护。推进正版化(含软件)。"
    assert annotation == "中央宣传部(国家版权局)牵头,有关部门按职责分工负责"
    assert split_annotation("没有注释。") == ("没有注释。", None)
    assert split_annotation("注释后有句号。(商务部负责)。")[1] == "商务部负责"
    assert split_annotation("不平衡的括号)")[1] is None
