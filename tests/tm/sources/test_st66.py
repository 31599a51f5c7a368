"""WIPO ST.66 adapter, on the real ST.66 samples of 20 offices in ``$FENGHUO_SHARED``.

The ``iltm-*.xml`` files of the same folder are Israel's TMBRAND format (``test_il.py``).
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from lxml import etree

from fenghuo.tm.records import MarkFeature, MarkStatus, RecordError, RegisterRecord
from fenghuo.tm.sources import iter_source, sniff, st66

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("st66-*.json"), key=lambda p: p.name)
ST66 = "{http://www.wipo.int/standards/XMLSchema/trademarks}"


@pytest.fixture(scope="module")
def samples(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "trademarks" / "st66-samples"
    if not path.is_dir():
        pytest.skip(f"ST.66 samples not found at {path}")
    return path


def st66_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.xml") if not p.name.startswith("iltm-"))


def _parse(path: Path) -> list[RegisterRecord | RecordError]:
    return list(st66.iter_records(str(path), source=path.name))


def _only(path: Path) -> RegisterRecord:
    items = _parse(path)
    assert len(items) == 1 and isinstance(items[0], RegisterRecord), [str(i) for i in items]
    return items[0]


# --- golden records -------------------------------------------------------------------------------


def test_golden_set_covers_four_offices_and_a_translation() -> None:
    goldens = [json.loads(p.read_text(encoding="utf-8")) for p in GOLDEN_FILES]
    assert len({g["office"] for g in goldens}) >= 4
    assert any(v["translations"] for g in goldens for v in g["verbal_elements"])
    assert any(not g["verbal_elements"] for g in goldens)  # a purely figurative mark


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_parse_matches_golden(golden: Path, samples: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    records = [r for r in _parse(samples / expected["source"]) if isinstance(r, RegisterRecord)]
    (record,) = [r for r in records if r.application_number == expected["application_number"]]
    assert record.to_dict() == expected


# --- every sample ---------------------------------------------------------------------------------


def test_there_are_twenty_st66_samples(samples: Path) -> None:
    files = st66_files(samples)
    assert len(files) == 20
    assert all(sniff(p.read_bytes()[:8192]) == st66.FORMAT for p in files)


def test_every_sample_parses(samples: Path) -> None:
    offices = set()
    for path in st66_files(samples):
        items = _parse(path)
        errors = [str(i) for i in items if isinstance(i, RecordError)]
        assert not errors, errors
        assert items, f"{path.name}: no record"
        for r in items:
            assert isinstance(r, RegisterRecord)
            assert r.office.isalpha() and len(r.office) == 2 and r.office.isupper()
            assert r.application_number
            assert isinstance(r.status, MarkStatus) and isinstance(r.feature, MarkFeature)
            assert r.source == path.name
            assert all(1 <= g.nice_class <= 45 for g in r.goods_services)
            offices.add(r.office)
    # jotm/kwtm/omtm/sdtm/thtm-test.xml are byte-identical copies of the Tonga sample (office TO),
    # so the 20 files hold 11 offices.
    assert offices == {"AL", "BR", "ID", "KH", "LA", "MG", "MY", "PG", "SM", "TO", "WS"}


def test_iter_source_reads_the_folder_with_both_formats_and_skips_the_schema(samples: Path) -> None:
    items = list(iter_source(samples))
    errors = [str(i) for i in items if isinstance(i, RecordError)]
    assert not errors, errors  # st66.xsd is skipped, not reported as an unknown format
    records = [i for i in items if isinstance(i, RegisterRecord)]
    assert len(records) == 28  # 20 ST.66 + 8 TMBRAND documents, one mark each
    assert sum(r.office == "IL" for r in records) == 8
    assert not any("st66.xsd" in (r.source or "") for r in records)


def test_status_wording_is_normalized_and_kept(samples: Path) -> None:
    expected = {
        "altm-altm.xml": (MarkStatus.EXPIRED, "Expired"),
        "brtm-test01.xml": (MarkStatus.PENDING, "Depositado"),
        "idtm-translation.xml": (MarkStatus.ENDED, "Rejected"),
        "totm-test.xml": (MarkStatus.PENDING, "Examined"),
        "khtm-khtm.xml": (MarkStatus.REGISTERED, "Registered"),
        "totm-nofeature.xml": (MarkStatus.UNKNOWN, "1058"),  # an office code, no wording
    }
    for name, (status, wording) in expected.items():
        record = _only(samples / name)
        assert (record.status, record.office_status) == (status, wording), name


def test_feature_vocabularies_of_the_offices(samples: Path) -> None:
    assert _only(samples / "idtm-translation.xml").feature is MarkFeature.COMBINED  # "Merek Kata dan Lukisan"
    assert _only(samples / "altm-altm.xml").feature is MarkFeature.WORD
    assert _only(samples / "pgtm-pgtm.xml").feature is MarkFeature.FIGURATIVE
    assert _only(samples / "totm-nofeature.xml").feature is MarkFeature.UNKNOWN  # no MarkFeature element


def test_mixed_namespaces_and_translation(samples: Path) -> None:
    # The verbal element lives in the wo: namespace inside a default-namespace record.
    record = _only(samples / "totm-test.xml")
    assert record.mark_text == "TOKO" and record.verbal_elements[0].language == "en"
    assert record.applicants[0].name == "Lei Signs" and record.applicants[0].country == "TO"
    assert record.goods_services[0].terms == (("en", "Slippers"),)
    translated = _only(samples / "idtm-translation.xml").verbal_elements[0]
    assert translated.text == "SECRET (Tulisan & Lukisan)"
    assert translated.translations == (("", "Suatu Penamaan"),)


def test_first_publication_is_the_publication_date(samples: Path) -> None:
    # smtm-test lists 2012-03-05 before 2011-03-07; the earlier one opens the opposition period.
    record = _only(samples / "smtm-test.xml")
    assert record.publication_date is not None and record.publication_date.isoformat() == "2011-03-07"
    assert record.nice_classes == (9, 25, 35, 38, 41)


def test_empty_application_date_is_none(samples: Path) -> None:
    record = _only(samples / "brtm-test01.xml")  # <ApplicationDate></ApplicationDate>
    assert record.application_date is None
    assert record.publication_date is not None


# --- broken records (real document, edited in memory) ---------------------------------------------


def _document(samples: Path) -> etree._ElementTree:
    return etree.parse(str(samples / "totm-test.xml"))


def _bytes(tree: etree._ElementTree) -> io.BytesIO:
    return io.BytesIO(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


def test_bad_record_is_reported_and_the_next_one_still_comes(samples: Path) -> None:
    tree = _document(samples)
    good = next(tree.iter(f"{ST66}TradeMark"))
    bad = copy.deepcopy(good)
    bad.find(f"{ST66}ApplicationNumber").text = "2017/9999"
    bad.find(f".//{ST66}ClassNumber").text = "99"
    good.addprevious(bad)
    items = list(st66.iter_records(_bytes(tree), source="edited.xml"))
    assert len(items) == 2
    error, record = items
    assert isinstance(error, RecordError)
    assert (error.record, error.field, error.source) == ("2017/9999", "ClassNumber", "edited.xml")
    assert "99" in error.reason and "2017/9999" in str(error)
    assert isinstance(record, RegisterRecord) and record.application_number == "2017/3420"


def test_missing_application_number_names_the_position(samples: Path) -> None:
    tree = _document(samples)
    good = next(tree.iter(f"{ST66}TradeMark"))
    bad = copy.deepcopy(good)
    bad.remove(bad.find(f"{ST66}ApplicationNumber"))
    good.addnext(bad)
    items = list(st66.iter_records(_bytes(tree), source="edited.xml"))
    assert isinstance(items[0], RegisterRecord)
    assert isinstance(items[1], RecordError)
    assert (items[1].record, items[1].field) == ("#2", "ApplicationNumber")


def test_bad_date_names_record_and_field(samples: Path) -> None:
    tree = _document(samples)
    next(tree.iter(f"{ST66}ApplicationDate")).text = "26/07/2017"
    (error,) = st66.iter_records(_bytes(tree), source="edited.xml")
    assert isinstance(error, RecordError)
    assert (error.record, error.field) == ("2017/3420", "ApplicationDate")


def test_truncated_document_gives_an_xml_error_after_the_good_records(samples: Path) -> None:
    tree = _document(samples)
    good = next(tree.iter(f"{ST66}TradeMark"))
    good.addnext(copy.deepcopy(good))
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    cut = data.rindex(b"<wo:MarkEventDetails>")  # inside the second TradeMark
    items = list(st66.iter_records(io.BytesIO(data[:cut]), source="cut.xml"))
    assert isinstance(items[0], RegisterRecord)
    assert isinstance(items[-1], RecordError) and items[-1].field == "xml"
    assert items[-1].record == "#2"
