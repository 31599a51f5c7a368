"""Bounded reading of register files: crafted XML and zips cannot take the memory.

Why caps lowered through the environment: the real caps are megabytes; lowering them (as an
operator would raise them, ``FENGHUO_LIMIT_*``) proves the mechanism on files of kilobytes.
Nothing here is timed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from fenghuo.tm.records import RecordError, RegisterRecord
from fenghuo.tm.sources import detect
from fenghuo.tm.sources.detect import iter_source

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Transaction xmlns="http://euipo.europa.eu/trademark/data"><TradeMarkTransactionBody>'
        "<TransactionContentDetails><TransactionData><TradeMarkDetails>\n")
TAIL = "</TradeMarkDetails></TransactionData></TransactionContentDetails></TradeMarkTransactionBody></Transaction>\n"


def trademark(number: str, mark: str, goods: str = "Milk") -> str:
    return (f"<TradeMark><RegistrationOfficeCode>EM</RegistrationOfficeCode>"
            f"<ApplicationNumber>{number}</ApplicationNumber><MarkFeature>Word</MarkFeature>"
            f"<WordMarkSpecification><MarkVerbalElementText>{mark}</MarkVerbalElementText></WordMarkSpecification>"
            f"<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails><ClassDescription>"
            f"<ClassNumber>29</ClassNumber><GoodsServicesDescription languageCode=\"en\">{goods}"
            f"</GoodsServicesDescription></ClassDescription></ClassDescriptionDetails></GoodsServices>"
            f"</GoodsServicesDetails></TradeMark>\n")


def euipo(*marks: str) -> bytes:
    return (HEAD + "".join(marks) + TAIL).encode()


def split(items: list[RegisterRecord | RecordError]) -> tuple[list[RegisterRecord], list[RecordError]]:
    return ([i for i in items if isinstance(i, RegisterRecord)], [i for i in items if isinstance(i, RecordError)])


def test_a_field_over_the_cap_quarantines_that_record_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_RECORD_FIELD_CHARS", "1000")
    path = tmp_path / "em.xml"
    path.write_bytes(euipo(trademark("018000001", "YILI"), trademark("018000002", "A" * 5000),
                           trademark("018000003", "HAIXIN")))
    records, errors = split(list(iter_source(path)))
    assert [r.application_number for r in records] == ["018000001", "018000003"]
    (error,) = errors
    assert (error.record, error.field) == ("018000002", "MarkVerbalElementText")
    assert "5000 characters" in error.reason and "1000" in error.reason


def test_a_record_over_the_total_cap_is_quarantined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_RECORD_BYTES", "2000")
    # Each goods text (1,200 characters) is under the field cap; the record as a whole is not.
    record = trademark("018000002", "BIG", goods="milk; " * 200).replace(
        "</GoodsServicesDescription>", "</GoodsServicesDescription>"
        + "<GoodsServicesDescription languageCode=\"fr\">" + "lait; " * 200 + "</GoodsServicesDescription>")
    path = tmp_path / "em.xml"
    path.write_bytes(euipo(trademark("018000001", "YILI"), record))
    records, errors = split(list(iter_source(path)))
    assert [r.application_number for r in records] == ["018000001"]
    assert [(e.record, "total" in e.reason) for e in errors] == [("018000002", True)]


def test_a_mark_longer_than_the_register_mark_cap_is_quarantined(tmp_path: Path) -> None:
    # 2,500 characters passes the parser's generic cap but no real mark is that long.
    path = tmp_path / "em.xml"
    path.write_bytes(euipo(trademark("018000001", "M" * 2500), trademark("018000002", "YILI")))
    records, errors = split(list(iter_source(path)))
    assert [r.application_number for r in records] == ["018000002"]
    assert [(e.record, e.field) for e in errors] == [("018000001", "mark")]


def test_xml_is_parsed_without_huge_tree(tmp_path: Path) -> None:
    # lxml's default cap on one text node is 10 MB; huge_tree=True would lift it (to 1 GB).
    path = tmp_path / "ws.xml"
    path.write_bytes(euipo(trademark("018000001", "YILI")).replace(b"<TradeMarkDetails>\n",
                                                                  b"<TradeMarkDetails>" + b" " * 10_500_000))
    records, errors = split(list(iter_source(path)))
    assert records == []
    assert [e.field for e in errors] == ["xml"] and "limit" in errors[0].reason.lower()


def test_register_csv_cell_over_the_cap_names_line_and_column(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_CSV_FIELD_CHARS", "100")
    path = tmp_path / "register.csv"
    path.write_text("office,application_number,mark,classes\nEM,1,YILI,29\nEM,2," + "Z" * 500 + ",29\nEM,3,HERO,16\n",
                    encoding="utf-8")
    records, errors = split(list(iter_source(path)))
    assert [r.application_number for r in records] == ["1", "3"]
    assert [(e.record, e.field) for e in errors] == [("line 3 (2)", "mark")]


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_member_over_the_declared_size_cap_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_ARCHIVE_MEMBER_BYTES", "20000")
    big = euipo(trademark("018000001", "YILI", goods="milk; " * 5000))  # ~30 KB, compresses to almost nothing
    small = euipo(trademark("018000002", "HERO"))
    path = tmp_path / "dump.zip"
    path.write_bytes(_zip({"a-big.xml": big, "b-small.xml": small}))
    records, errors = split(list(iter_source(path)))
    assert [r.application_number for r in records] == ["018000002"]
    assert [(e.source, e.field) for e in errors] == [("dump.zip!a-big.xml", "file")]
    assert "20000" in errors[0].reason


def test_reading_stops_at_the_cap_whatever_the_header_says() -> None:
    capped = io.BufferedReader(detect._Capped(io.BytesIO(b"x" * 5000), 1000))
    with pytest.raises(detect.MemberTooLarge):
        capped.read()
    within = io.BufferedReader(detect._Capped(io.BytesIO(b"x" * 1000), 1000))
    assert len(within.read()) == 1000


def test_nested_zips_are_streamed_not_read_into_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inner = _zip({"em.xml": euipo(trademark("018000001", "YILI"))}, zipfile.ZIP_STORED)
    path = tmp_path / "outer.zip"
    path.write_bytes(_zip({"daily/inner.zip": inner, "top.xml": euipo(trademark("018000002", "HERO"))}))

    def whole(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("a nested zip was read whole into memory")

    monkeypatch.setattr(zipfile.ZipFile, "read", whole)
    records, errors = split(list(iter_source(path)))
    assert errors == []
    assert {r.source for r in records} == {"outer.zip!daily/inner.zip!em.xml", "outer.zip!top.xml"}


def test_nested_inner_member_over_the_cap_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The probe's shape: an outer zip holding a stored inner zip holding one huge member.
    monkeypatch.setenv("FENGHUO_LIMIT_ARCHIVE_MEMBER_BYTES", "50000")
    inner = _zip({"huge.xml": b"<x>" + b" " * 40000 + b"</x>", "ok.xml": euipo(trademark("018000001", "YILI"))})
    path = tmp_path / "outer.zip"
    path.write_bytes(_zip({"inner.zip": inner}, zipfile.ZIP_STORED))
    monkeypatch.setenv("FENGHUO_LIMIT_ARCHIVE_MEMBER_BYTES", "30000")
    records, errors = split(list(iter_source(path)))
    # The inner zip itself (≈ 1 KB compressed) passes; its 40 KB member does not.
    assert [r.application_number for r in records] == ["018000001"]
    assert [(e.source, e.field) for e in errors] == [("outer.zip!inner.zip!huge.xml", "file")]


def test_zip_nesting_depth_is_capped(tmp_path: Path) -> None:
    level3 = _zip({"em.xml": euipo(trademark("018000001", "YILI"))})
    level2 = _zip({"l3.zip": level3})
    path = tmp_path / "l1.zip"
    path.write_bytes(_zip({"l2.zip": level2, "top.xml": euipo(trademark("018000002", "HERO"))}))
    records, errors = split(list(iter_source(path)))
    assert [r.application_number for r in records] == ["018000002"]
    assert [(e.source, e.field) for e in errors] == [("l1.zip!l2.zip!l3.zip", "zip")]
    assert "nested" in errors[0].reason


def test_too_many_members_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_ARCHIVE_MEMBERS", "3")
    path = tmp_path / "many.zip"
    path.write_bytes(_zip({f"{n}.xml": euipo(trademark(f"01800000{n}", "YILI")) for n in range(5)}))
    records, errors = split(list(iter_source(path)))
    assert records == [] and [e.field for e in errors] == ["zip"] and "5 members" in errors[0].reason
