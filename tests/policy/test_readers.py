"""HTML and DOCX plans: the seed inside a web page with its furniture, the seed as a Word file,
and a small self-written page with an indicator table, a 专栏 box and a layout table."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from fenghuo.policy import (
    AgencyRegistry,
    Table,
    contract_view,
    parse_blocks,
    parse_file,
    parse_text,
    read_bytes,
    read_docx,
    read_html,
    read_text,
)
from fenghuo.policy.readers import ReadError, decode, sniff

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _plan_paragraphs(seed_text: str) -> list[str]:
    """The seed's lines from the first part to the last annotation (the page furniture left out)."""
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("六、"))
    end = max(i for i, line in enumerate(lines) if line.endswith("负责)"))
    return lines[start:end + 1]


def seed_page(seed_text: str) -> str:
    template = (FIXTURES / "page_template.html").read_text(encoding="utf-8")
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in _plan_paragraphs(seed_text))
    return template.replace("<!--PLAN-->", body)


@pytest.fixture(scope="module")
def seed_contract(seed_text: str, registry: AgencyRegistry) -> dict[str, Any]:
    return contract_view(parse_text(seed_text, registry=registry).to_dict())


def test_html_page_with_debris_parses_like_the_seed(seed_text: str, registry: AgencyRegistry,
                                                     seed_contract: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_text(seed_page(seed_text), encoding="utf-8")
    plan = parse_file(path, registry=registry)
    data = plan.to_dict()
    assert contract_view(data) == seed_contract
    assert plan.headline == "国务院印发《“十四五”国家知识产权保护和运用规划》(附全文)"
    assert plan.preamble == []
    text = "\n".join(m.text for m in plan.measures())
    for debris in ("免责声明", "上一篇", "为您推荐", "18522005300", "Copyright", "返回顶部", "广告", "_hmt"):
        assert debris not in text
        assert all(debris not in line for line in plan.preamble)
    assert any("免责声明" in line for line in plan.ignored)
    assert any("发布时间" in line for line in plan.ignored)


def test_gb18030_page_with_meta_charset(seed_text: str, registry: AgencyRegistry,
                                        seed_contract: dict[str, Any], tmp_path: Path) -> None:
    page = seed_page(seed_text).replace('<meta charset="utf-8">',
                                        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    path = tmp_path / "plan.htm"
    path.write_bytes(page.encode("gb18030"))
    assert contract_view(parse_file(path, registry=registry).to_dict()) == seed_contract


def test_gb18030_plain_text(seed_text: str, registry: AgencyRegistry, seed_contract: dict[str, Any],
                            tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_text.encode("gb18030"))
    assert contract_view(parse_file(path, registry=registry).to_dict()) == seed_contract
    assert decode("国家".encode("utf-8-sig")) == "国家"


def _seed_docx(seed_text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("国务院印发《“十四五”国家知识产权保护和运用规划》(附全文)", level=1)
    for paragraph in _plan_paragraphs(seed_text):
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def test_docx_built_from_the_seed(seed_text: str, registry: AgencyRegistry, seed_contract: dict[str, Any],
                                  tmp_path: Path) -> None:
    path = _seed_docx(seed_text, tmp_path / "plan.docx")
    assert sniff(path.read_bytes(), ".docx") == "docx"
    plan = parse_file(path, registry=registry)
    assert contract_view(plan.to_dict()) == seed_contract


def test_docx_suffix_does_not_matter(seed_text: str, registry: AgencyRegistry, seed_contract: dict[str, Any],
                                     tmp_path: Path) -> None:
    path = _seed_docx(seed_text, tmp_path / "plan.bin")
    assert contract_view(parse_file(path, registry=registry).to_dict()) == seed_contract


def test_docx_tables_and_frames(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("某某“十四五”知识产权规划")
    document.add_paragraph("一、发展目标")
    document.add_paragraph("表1 主要指标")
    table = document.add_table(rows=2, cols=3)
    values_by_row = [["指标", "2020年", "2025年"], ["每万人口高价值发明专利拥有量(件)", "6.3", "12"]]
    for row, values in zip(table.rows, values_by_row, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("(一)强化保护。")
    document.add_paragraph("完善保护体系。健全衔接机制。(国家知识产权局牵头,公安部等按职责分工负责)")
    frame = document.add_table(rows=1, cols=1)
    frame.cell(0, 0).text = "专栏1 保护工程"
    frame.cell(0, 0).add_paragraph("1.保护中心建设。建成保护中心。")
    frame.cell(0, 0).add_paragraph("2.快速维权。推进快速维权。")
    path = tmp_path / "t.docx"
    document.save(str(path))

    blocks = read_docx(path)
    assert any(isinstance(b, Table) and b.rows[0] == ["指标", "2020年", "2025年"] for b in blocks)
    assert "专栏1 保护工程" in blocks
    plan = parse_file(path)
    part = plan.parts[0]
    assert part.tables[0].caption == "表1 主要指标"
    assert part.tables[0].rows[1] == ["每万人口高价值发明专利拥有量(件)", "6.3", "12"]
    section = part.sections[0]
    assert [m.title for m in section.measures] == ["完善保护体系"]
    assert section.measures[0].lead == ["国家知识产权局"]
    assert section.boxes[0].title == "保护工程"
    assert [(i.number, i.title) for i in section.boxes[0].items] == [("1", "保护中心建设"), ("2", "快速维权")]


def test_html_indicator_table_box_and_items(registry: AgencyRegistry) -> None:
    plan = parse_file(FIXTURES / "indicators.html", registry=registry)
    assert plan.title == "某某省“十四五”知识产权示范规划"
    assert [(p.number, p.title) for p in plan.parts] == [("一", "发展目标"), ("二", "重点任务")]
    goals = plan.parts[0]
    assert [m.title for m in goals.measures] == ["到2025年,知识产权强省建设取得明显成效"]
    assert goals.measures[0].responsibility is None
    indicator = goals.tables[0]
    assert indicator.caption == "表1 “十四五”知识产权发展主要指标"
    assert indicator.rows[0] == ["指标", "2020年", "2025年", "属性"]
    assert indicator.rows[1] == ["每万人口高价值发明专利拥有量(件)", "6.3", "12", "预期性"]
    section = plan.parts[1].sections[0]
    assert (section.number, section.title) == ("一", "强化知识产权保护")
    box = section.boxes[0]
    assert (box.number, box.title) == ("1", "知识产权保护工程")
    assert [i.title for i in box.items] == ["保护中心建设", "快速维权"]
    first, second = section.measures
    assert (first.title, first.lead, first.co, first.open_ended) == (
        "完善保护体系", ["省知识产权局"], ["省公安厅", "省法院"], True)
    # a measure ending with ":" takes the numbered items after it, up to its annotation
    assert second.title == "加强海外维权"
    assert [i.text for i in second.items] == ["建设海外维权援助分中心。",
                                              "开展海外风险预警。(省商务厅、国家知识产权局负责)"]
    assert (second.lead, second.co) == ([], ["省商务厅", "国家知识产权局"])
    # names outside the central registry are reported, never guessed
    assert plan.unknown_agencies() == ["省知识产权局", "省公安厅", "省法院", "省商务厅"]
    refs = {a.name: a for a in first.agencies}
    assert refs["省知识产权局"].id is None and refs["省知识产权局"].kind == "unknown"
    assert any("主办单位" in line for line in plan.ignored)
    assert any("当前位置" in line for line in plan.ignored)


def test_read_html_drops_scripts_and_keeps_block_lines() -> None:
    blocks = read_html("<html><body><script>x=1</script><div>甲<b>乙</b>丙<br>丁</div><p>戊</p></body></html>")
    assert blocks == ["甲乙丙", "丁", "戊"]
    assert read_html("") == []


def test_read_text_tab_tables() -> None:
    blocks = read_text("标题\n指标\t2020年\t2025年\n专利\t6.3\t12\n正文")
    assert blocks[0] == "标题"
    assert isinstance(blocks[1], Table) and blocks[1].rows == [["指标", "2020年", "2025年"], ["专利", "6.3", "12"]]
    assert blocks[2] == "正文"


def test_not_a_docx_zip(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(ReadError):
        read_bytes(path.read_bytes(), ".zip")


def test_blocks_api_accepts_reader_output(seed_text: str, registry: AgencyRegistry,
                                          seed_contract: dict[str, Any]) -> None:
    blocks = read_html(seed_page(seed_text))
    assert contract_view(parse_blocks(blocks, registry=registry).to_dict()) == seed_contract
