"""Structure rules on small self-written plans: numbered measures (annual plans), chapters,
paragraphs directly under a part, annotations on their own line, headings with text, errors."""

from __future__ import annotations

import pytest

from fenghuo.policy import (
    PlanParseError,
    dewrap,
    first_sentence,
    fold_width,
    normalize_text,
    parse_text,
    plan_title,
    to_simplified,
)
from fenghuo.policy.normalize import Line, is_debris, visual_width

ANNUAL = """\
2022年知识产权强国建设纲要和规划实施推进计划

一、完善知识产权制度
(一)完善法律法规。
1.推进专利法实施细则修改。做好配套制度衔接。(知识产权局、司法部负责)
2.推进商标法修改。(市场监管总局、知识产权局负责)
(二)健全政策体系。
1.完善地理标志保护政策。(知识产权局牵头,农业农村部、林草局等按职责分工负责)
二、组织实施
各地区、各有关部门要加强组织领导。(各地区、各有关部门负责)
"""


def test_numbered_measures_of_an_annual_plan() -> None:
    plan = parse_text(ANNUAL, resolve=False)
    assert plan.title == "2022年知识产权强国建设纲要和规划实施推进计划"
    first = plan.parts[0].sections[0]
    assert [(m.number, m.title, m.co) for m in first.measures] == [
        ("1", "推进专利法实施细则修改", ["知识产权局", "司法部"]),
        ("2", "推进商标法修改", ["市场监管总局", "知识产权局"]),
    ]
    second = plan.parts[0].sections[1].measures[0]
    assert (second.number, second.lead, second.co, second.open_ended) == (
        "1", ["知识产权局"], ["农业农村部", "林草局"], True)
    # a part with no sections keeps its paragraphs as part-level measures
    implementation = plan.parts[1]
    assert implementation.sections == []
    assert implementation.measures[0].co == ["各地区", "各有关部门"]
    assert [a.kind for a in implementation.measures[0].agencies] == ["generic", "generic"]
    # without a registry names stay unresolved (id None), never guessed
    assert {a.kind for a in first.measures[0].agencies} == {"unresolved"}
    data = plan.to_dict()
    assert data["parts"][1]["measures"][0]["co"] == ["各地区", "各有关部门"]


def test_annual_plan_short_names_resolve(registry: object) -> None:
    from fenghuo.policy import AgencyRegistry

    assert isinstance(registry, AgencyRegistry)
    plan = parse_text(ANNUAL, registry=registry)
    refs = {a.name: a for m in plan.measures() for a in m.agencies}
    assert refs["知识产权局"].id == "cnipa"
    assert refs["知识产权局"].current_name == "国家知识产权局"
    assert refs["林草局"].id == "nfga"
    assert plan.unknown_agencies() == []


def test_chapters_headings_with_text_and_lone_annotations() -> None:
    text = """\
某某规划纲要
第一章 总体要求
第一节 指导思想
坚持创新引领。全面加强保护。(国家知识产权局负责)
(一)加强保护。健全保护体系,完善执法机制。
(国家知识产权局牵头,公安部按职责分工负责)
(二)强化运用。推动成果转化。
"""
    plan = parse_text(text, resolve=False)
    assert [(p.number, p.title) for p in plan.parts] == [("一", "总体要求")]
    assert [(s.number, s.title) for s in plan.parts[0].sections] == [("一", "指导思想"), ("一", "加强保护"),
                                                                     ("二", "强化运用")]
    guide, protect, use = plan.parts[0].sections
    assert guide.measures[0].co == ["国家知识产权局"]
    # the heading's own line carries the first measure; the annotation on the next line closes it
    assert protect.measures[0].title == "健全保护体系,完善执法机制"
    assert protect.measures[0].lead == ["国家知识产权局"]
    assert protect.measures[0].text.endswith("(国家知识产权局牵头,公安部按职责分工负责)")
    assert use.measures[0].title == "推动成果转化"
    assert use.measures[0].responsibility is None
    assert use.measures[0].to_dict()["lead"] == [] and use.measures[0].to_dict()["open_ended"] is False


def test_sections_without_parts_get_an_unnumbered_part() -> None:
    plan = parse_text("(一)加强保护。\n完善制度。(商务部负责)\n", resolve=False)
    assert plan.parts[0].number is None
    assert plan.parts[0].sections[0].measures[0].co == ["商务部"]
    assert plan.title is None


@pytest.mark.parametrize("text", ["", "\n\n  \n", "首页\n联系我们\n返回顶部\n"])
def test_empty_input(text: str) -> None:
    with pytest.raises(PlanParseError, match="empty"):
        parse_text(text, resolve=False)


@pytest.mark.parametrize("text", ["hello world\njust text\n", "一段没有结构的文字。(商务部负责)\n",
                                  "一、只有标题\n二、也只有标题\n"])
def test_no_plan_structure(text: str) -> None:
    with pytest.raises(PlanParseError, match="no plan structure"):
        parse_text(text, resolve=False)


def test_document_number_and_preamble() -> None:
    text = """\
国务院关于印发《“十四五”国家知识产权保护和运用规划》的通知
国发〔2021〕20号
各省、自治区、直辖市人民政府,国务院各部委、各直属机构:
现将《“十四五”国家知识产权保护和运用规划》印发给你们,请认真贯彻执行。
一、总体要求
(一)指导思想。
坚持创新引领。(国家知识产权局负责)
"""
    plan = parse_text(text, resolve=False)
    assert plan.title == "“十四五”国家知识产权保护和运用规划"
    assert plan.document_number == "国发〔2021〕20号"
    assert plan.preamble[0] == "国发〔2021〕20号"


def test_helpers() -> None:
    assert first_sentence("加强保护(含“一带一路。”)。其他") == "加强保护(含“一带一路。”)"
    assert first_sentence("没有句号") == "没有句号"
    assert plan_title("《某某规划》") == "某某规划"
    assert plan_title("某某规划(附全文)") == "某某规划"
    assert fold_width("（十三），：；！") == "(十三),:;!"
    assert fold_width("\u3000a\u00a0b\u200b") == " a b"
    assert to_simplified("國家知識產權局") == "国家知识产权局"
    assert visual_width("国a") == 3
    for debris in ("首页 > 政策", "上一篇", "邮箱: a@b.cn", "010-12345678", "Copyright 2021", "https://x.cn/a"):
        assert is_debris(debris), debris
    for content in ("(十三)主动参与知识产权全球治理。", "加强版权保护。", "六、推进知识产权国际合作"):
        assert not is_debris(content), content


def test_dewrap_keeps_unwrapped_text() -> None:
    lines = [Line(t, t) for t in ["甲" * 50, "乙" * 60, "丙" * 70, "丁" * 45, "戊" * 80, "己" * 33]]
    assert [line.text for line in dewrap(lines)] == [line.text for line in lines]


def test_dewrap_joins_full_lines_and_keeps_headings() -> None:
    paragraph = "积极参与完善知识产权国际规则体系。" * 8
    wrapped = [paragraph[i:i + 30] for i in range(0, len(paragraph), 30)]
    text = "\n".join(["六、推进合作", "(十三)主动参与。", *wrapped, "(十四)提升水平。", *wrapped])
    lines = normalize_text(text).lines()
    assert lines == ["六、推进合作", "(十三)主动参与。", paragraph, "(十四)提升水平。", paragraph]


def test_footer_is_cut_after_the_plan() -> None:
    text = "一、总体\n(一)保护。\n加强保护。(商务部负责)\n上一篇\n某某规划解读全文。(商务部负责)\n"
    plan = parse_text(text, resolve=False)
    assert len(plan.measures()) == 1
    assert "某某规划解读全文。(商务部负责)" in plan.ignored
