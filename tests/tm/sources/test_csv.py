"""The register CSV adapter (``fixtures/register.csv``: good rows, then bad rows, then one good row)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from fenghuo.tm.records import MarkFeature, MarkStatus, RecordError, RegisterRecord
from fenghuo.tm.sources import csv as csv_source
from fenghuo.tm.sources import iter_source, sniff

FIXTURE = Path(__file__).parent / "fixtures" / "register.csv"
HEADER = ",".join(csv_source.COLUMNS)


@pytest.fixture(scope="module")
def items() -> list[RegisterRecord | RecordError]:
    return list(csv_source.iter_records(str(FIXTURE), source=FIXTURE.name))


def _parse(text: str | bytes) -> list[RegisterRecord | RecordError]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return list(csv_source.iter_records(io.BytesIO(data), source="upload.csv"))


def test_good_rows_come_through_around_the_bad_ones(items: list) -> None:
    records = [i for i in items if isinstance(i, RegisterRecord)]
    assert [r.application_number for r in records] == ["018999001", "70123456", "97000101", "018999012"]
    assert len(items) == 12  # one item per data row


def test_bad_rows_name_line_record_and_field(items: list) -> None:
    errors = [(e.record, e.field) for e in items if isinstance(e, RecordError)]
    assert errors == [
        ("line 5 (018999004)", "classes"),
        ("line 6 (018999005)", "classes"),
        ("line 7 (018999006)", "application_date"),
        ("line 8 (018999007)", "publication_date"),
        ("line 9 (018999008)", "office"),
        ("line 10 (018999009)", "office"),
        ("line 11", "application_number"),
        ("line 12 (018999011)", "mark"),
    ]
    by_line = {e.record.split(" (")[0]: e for e in items if isinstance(e, RecordError)}
    assert "out of range" in by_line["line 5"].reason and "46" in by_line["line 5"].reason
    assert "'nine'" in by_line["line 6"].reason
    assert "2024-02-30" in by_line["line 7"].reason
    assert "01/02/2024" in by_line["line 8"].reason
    assert by_line["line 9"].reason == "missing"
    assert "'EUR'" in by_line["line 10"].reason
    assert all(e.source == FIXTURE.name for e in by_line.values())
    assert str(by_line["line 7"]).startswith("register.csv: record line 7 (018999006): field application_date")


def test_good_row_fields(items: list) -> None:
    records = {i.application_number: i for i in items if isinstance(i, RegisterRecord)}
    em = records["018999001"]
    assert em.office == "EM" and em.global_id == "EM:018999001"  # office upper-cased
    assert em.feature is MarkFeature.WORD and em.mark_text == "HUAWE1"
    assert em.nice_classes == (9, 42)
    assert [(p.name, p.country) for p in em.applicants] == [("Example Trading GmbH", "DE")]
    assert (em.application_date, em.publication_date) == (date(2024, 1, 15), date(2024, 2, 1))
    assert em.status is MarkStatus.PENDING and em.office_status == "Application published"
    cn = records["70123456"]
    assert cn.mark_text == "伊利" and cn.application_date == date(2023, 5, 6)  # compact date
    assert cn.status is MarkStatus.REGISTERED
    us = records["97000101"]
    assert us.nice_classes == (30, 32)  # "32, 30": comma separated, sorted
    assert us.applicants == () and us.status is MarkStatus.UNKNOWN and us.office_status is None
    last = records["018999012"]
    assert last.goods_services == () and last.status is MarkStatus.ENDED


def test_header_without_required_column_is_one_error() -> None:
    (error,) = _parse("office,mark,classes\nEM,X,9\n")
    assert isinstance(error, RecordError)
    assert (error.record, error.field) == ("header", "application_number")
    assert "expected" in error.reason


def test_bom_and_header_case_are_accepted() -> None:
    text = "\ufeff" + HEADER.upper() + "\nEM,1,ABC,3,,,,,\n"
    assert sniff(text.encode("utf-8")) == csv_source.FORMAT
    (record,) = _parse(text)
    assert isinstance(record, RegisterRecord) and record.nice_classes == (3,)


def test_not_utf8_is_one_encoding_error_not_a_crash() -> None:
    data = (HEADER + "\nEM,1,ABC,3,,,,,\n").encode() + "EM,2,CAFÉ,3,,,,,\n".encode("latin-1")
    items = _parse(data)
    # The text layer decodes ahead in blocks, so rows of the same block before the bad byte are not kept.
    assert isinstance(items[-1], RecordError)
    assert (items[-1].record, items[-1].field, items[-1].source) == ("file", "encoding", "upload.csv")
    assert "0xc9" in items[-1].reason


def test_the_callers_stream_stays_open() -> None:
    stream = io.BytesIO((HEADER + "\nEM,1,ABC,3,,,,,\n").encode())
    assert len(list(csv_source.iter_records(stream))) == 1
    assert not stream.closed


def test_looks_like_register_csv() -> None:
    assert csv_source.looks_like_register_csv(list(csv_source.COLUMNS))
    assert csv_source.looks_like_register_csv(["\ufeffOffice", "Application_Number", "Mark", "Classes"])
    assert not csv_source.looks_like_register_csv(["office", "application_number", "mark"])  # no classes
    assert not csv_source.looks_like_register_csv(["name", "email"])


def test_iter_source_reads_the_fixture(items: list) -> None:
    via_detect = list(iter_source(FIXTURE))
    assert [type(i) for i in via_detect] == [type(i) for i in items]


def _csv_cutting_a_character_at_the_sniff_limit() -> bytes:
    from fenghuo.tm.sources.detect import SNIFF_BYTES

    lines = [HEADER]
    while len(("\n".join(lines) + "\n").encode()) < SNIFF_BYTES - 100:
        lines.append(f"EM,{len(lines):09d},MARK {len(lines)},9,,,,,")
    text = "\n".join(lines) + "\n"
    prefix = "CN,70000001,"
    pad = SNIFF_BYTES - 1 - len(text.encode()) - len(prefix)  # 伊 (3 bytes) starts at the last sniffed byte
    data = (text + prefix + "A" * pad + "伊利,29,,,,,\n").encode()
    with pytest.raises(UnicodeDecodeError):
        data[:SNIFF_BYTES].decode("utf-8")
    return data


def test_large_csv_with_chinese_marks_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(_csv_cutting_a_character_at_the_sniff_limit())
    items = list(iter_source(path))
    assert not [str(i) for i in items if isinstance(i, RecordError)]
    assert items[-1].mark_text.endswith("伊利")  # type: ignore[union-attr]
