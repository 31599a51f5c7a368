"""Format sniffing and reading files, folders and zips (``fenghuo.tm.sources.detect``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from fenghuo.tm.records import RecordError, RegisterRecord
from fenghuo.tm.sources import SOURCE_FORMATS, count_items, euipo, il, iter_source, sniff, st66, uspto
from fenghuo.tm.sources import csv as csv_source

FIXTURES = Path(__file__).parent / "fixtures"
USPTO_XML = FIXTURES / "uspto-apc-sample.xml"  # 4 records + 2 errors
REGISTER_CSV = FIXTURES / "register.csv"  # 4 records + 8 errors


@pytest.fixture(scope="module")
def tm_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "trademarks"
    if not (path / "st66-samples").is_dir() or not (path / "euipo-xml").is_dir():
        pytest.skip(f"trademark samples not found under {path}")
    return path


def _head(path: Path) -> bytes:
    return path.read_bytes()[:8192]


def _split(items: list) -> tuple[list[RegisterRecord], list[RecordError]]:
    return ([i for i in items if isinstance(i, RegisterRecord)], [i for i in items if isinstance(i, RecordError)])


# --- sniff ----------------------------------------------------------------------------------------


def test_sniff_each_format(tm_dir: Path) -> None:
    assert sniff(_head(tm_dir / "euipo-xml" / "018222197.xml")) == euipo.FORMAT
    assert sniff(_head(tm_dir / "st66-samples" / "totm-test.xml")) == st66.FORMAT
    assert sniff(_head(tm_dir / "st66-samples" / "iltm-tlit.xml")) == il.FORMAT
    assert sniff(_head(USPTO_XML)) == uspto.FORMAT
    assert sniff(_head(REGISTER_CSV)) == csv_source.FORMAT
    assert set(SOURCE_FORMATS) == {euipo.FORMAT, st66.FORMAT, il.FORMAT, uspto.FORMAT, csv_source.FORMAT}


def test_sniff_tolerates_bom_and_leading_whitespace(tm_dir: Path) -> None:
    head = _head(tm_dir / "st66-samples" / "totm-test.xml")
    assert sniff(b"\xef\xbb\xbf\n  " + head) == st66.FORMAT


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"   \n",
        b"hello world\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        b"PK\x03\x04\x14\x00",
        b"<?xml version='1.0'?><html><body>not a register</body></html>",
        b"name,email\nann,ann@example.org\n",
        b"office,application_number,mark\nEM,1,X\n",  # no classes column
        b"\xff\xfeo\x00f\x00",  # UTF-16
    ],
)
def test_sniff_unknown(head: bytes) -> None:
    assert sniff(head) is None


# --- files, folders, zips -------------------------------------------------------------------------


def test_single_files_carry_their_name_as_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records, errors = _split(list(iter_source(USPTO_XML)))
    assert (len(records), len(errors)) == (4, 2)
    assert {r.source for r in records} == {str(USPTO_XML)}
    monkeypatch.chdir(FIXTURES)
    records, _errors = _split(list(iter_source(Path("register.csv"))))
    assert {r.source for r in records} == {"register.csv"}


def test_unknown_file_is_one_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nabout trade marks\n", encoding="utf-8")
    (error,) = iter_source(path)
    assert isinstance(error, RecordError)
    assert error.field == "format" and error.source == str(path)
    assert "not a recognised register format" in error.reason and "USPTO" in error.reason


def test_missing_path_is_one_error(tmp_path: Path) -> None:
    (error,) = iter_source(tmp_path / "nope")
    assert isinstance(error, RecordError) and error.field == "path"
    assert count_items(tmp_path / "nope") is None


def test_folder_recursive_sorted_skipping_schemas_and_hidden_files(tmp_path: Path, tm_dir: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.xml").write_bytes((tm_dir / "st66-samples" / "khtm-khtm.xml").read_bytes())
    (tmp_path / "b" / "c.xml").write_bytes(USPTO_XML.read_bytes())
    (tmp_path / "b" / "register.csv").write_bytes(REGISTER_CSV.read_bytes())
    (tmp_path / "schema.xsd").write_text("<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>")
    (tmp_path / "b" / "old.DTD").write_text("<!ELEMENT case-file ANY>")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    items = list(iter_source(tmp_path))
    records, errors = _split(items)
    assert len(records) == 1 + 4 + 4 and len(errors) == 2 + 8
    sources = list(dict.fromkeys(Path(i.source).name for i in items))
    assert sources == ["a.xml", "c.xml", "register.csv"]
    assert count_items(tmp_path) >= 3


def test_zip_of_fixture_and_real_files(tmp_path: Path, tm_dir: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(USPTO_XML, "us/apc240103.xml")
        zf.write(REGISTER_CSV, "register.txt")  # a CSV under another extension: sniffed by content
        zf.write(tm_dir / "euipo-xml" / "018222197.xml", "em/018222197.xml")
        zf.write(tm_dir / "st66-samples" / "st66.xsd", "st66.xsd")  # the schema sits next to the data
        zf.writestr("em/", "")
        zf.writestr("__MACOSX/._x", b"")  # hidden member
        zf.writestr(".hidden.xml", b"junk")
    assert zipfile.is_zipfile(archive)
    items = list(iter_source(archive))
    records, errors = _split(items)
    assert [r.global_id for r in records if r.source == "bundle.zip!em/018222197.xml"] == ["EM:018222197"]
    assert len(records) == 1 + 4 + 4
    assert len(errors) == 2 + 8 and not any("st66.xsd" in (e.source or "") for e in errors)
    assert {r.source for r in records} == {
        "bundle.zip!em/018222197.xml",
        "bundle.zip!register.txt",
        "bundle.zip!us/apc240103.xml",
    }
    assert count_items(archive) == 6  # members that are files


def test_nested_zip(tmp_path: Path, tm_dir: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.write(tm_dir / "st66-samples" / "iltm-tlit.xml", "iltm-tlit.xml")
        zf.write(USPTO_XML, "apc.xml")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("daily/inner.zip", inner.getvalue())
        zf.write(tm_dir / "st66-samples" / "altm-altm.xml", "altm.xml")
    records, errors = _split(list(iter_source(outer)))
    assert {r.source for r in records} == {
        "outer.zip!altm.xml",
        "outer.zip!daily/inner.zip!apc.xml",
        "outer.zip!daily/inner.zip!iltm-tlit.xml",
    }
    assert sorted(r.office for r in records) == ["AL", "IL", "US", "US", "US", "US"]
    assert len(errors) == 2 and {e.source for e in errors} == {"outer.zip!daily/inner.zip!apc.xml"}


def test_unknown_member_is_one_error_and_the_others_go_on(tmp_path: Path) -> None:
    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a-readme.txt", "this is not a register\n")
        zf.write(USPTO_XML, "b.xml")
    items = list(iter_source(archive))
    assert isinstance(items[0], RecordError) and items[0].source == "mixed.zip!a-readme.txt"
    assert items[0].field == "format"
    assert sum(isinstance(i, RegisterRecord) for i in items[1:]) == 4


def test_file_named_zip_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "apc240103.zip"
    path.write_bytes(USPTO_XML.read_bytes())  # content decides, not the extension
    records, errors = _split(list(iter_source(path)))
    assert (len(records), len(errors)) == (4, 2)


def test_truncated_zip_is_one_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(USPTO_XML, "apc.xml")
    data = buf.getvalue()
    path = tmp_path / "cut.zip"
    path.write_bytes(data[: len(data) // 2])
    (error,) = iter_source(path)
    assert isinstance(error, RecordError)
    assert error.source == str(path)


def test_corrupt_member_is_one_error_and_the_others_go_on(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.write(USPTO_XML, "a.xml")
        zf.write(REGISTER_CSV, "b.csv")
    data = bytearray(buf.getvalue())
    data[data.index(b"HUAWE1")] = ord("X")  # stored data no longer matches its CRC
    path = tmp_path / "crc.zip"
    path.write_bytes(bytes(data))
    items = list(iter_source(path))
    assert isinstance(items[0], RecordError) and items[0].source == "crc.zip!a.xml"
    assert sum(isinstance(i, RegisterRecord) for i in items) == 4  # from b.csv


def test_count_items(tm_dir: Path) -> None:
    assert count_items(USPTO_XML) == 1
    assert count_items(tm_dir / "euipo-xml") == 824
