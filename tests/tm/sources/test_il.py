"""Israel Patent Office TMBRAND adapter, on the real ``iltm-*.xml`` samples in ``$FENGHUO_SHARED``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fenghuo.tm.records import MarkFeature, MarkStatus, RecordError, RegisterRecord
from fenghuo.tm.sources import il, sniff

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("il-*.json"), key=lambda p: p.name)


@pytest.fixture(scope="module")
def samples(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "trademarks" / "st66-samples"
    if not any(path.glob("iltm-*.xml")):
        pytest.skip(f"no Israeli TMBRAND samples (iltm-*.xml) in {path}")
    return path


def _only(path: Path) -> RegisterRecord:
    items = list(il.iter_records(str(path), source=path.name))
    assert len(items) == 1 and isinstance(items[0], RegisterRecord), [str(i) for i in items]
    return items[0]


def test_golden_set_has_a_transliteration() -> None:
    goldens = [json.loads(p.read_text(encoding="utf-8")) for p in GOLDEN_FILES]
    assert len(goldens) >= 2
    assert any(v["transliteration"] for g in goldens for v in g["verbal_elements"])


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_parse_matches_golden(golden: Path, samples: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert _only(samples / expected["source"]).to_dict() == expected


def test_every_sample_parses_and_is_sniffed_as_tmbrand(samples: Path) -> None:
    files = sorted(samples.glob("iltm-*.xml"))
    assert len(files) == 8
    for path in files:
        assert sniff(path.read_bytes()[:8192]) == il.FORMAT, path.name
        record = _only(path)
        assert record.office == "IL" and record.application_number.isdigit()
        assert isinstance(record.status, MarkStatus) and record.status is not MarkStatus.UNKNOWN
        assert record.verbal_elements, path.name
        assert record.applicants and record.applicants[0].name


def test_hebrew_mark_keeps_the_latin_transliteration(samples: Path) -> None:
    record = _only(samples / "iltm-tlit.xml")
    # The Latin element comes first: it is what foreign marks are compared with.
    assert [(v.text, v.language) for v in record.verbal_elements] == [("Elima", "en"), ("אילמה", "he")]
    assert record.verbal_elements[1].transliteration == "Elima"
    assert record.feature is MarkFeature.WORD  # no image file
    assert record.registration_number == "320000" and record.status is MarkStatus.REGISTERED
    assert record.applicants[0].country == "IL"  # English address ends with "Israel"
    assert record.publication_date is not None and record.publication_date.isoformat() == "2019-09-26"


def test_hebrew_only_mark_with_empty_english_name(samples: Path) -> None:
    record = _only(samples / "iltm-cancellations.xml")
    assert [v.language for v in record.verbal_elements] == ["he"]
    assert record.verbal_elements[0].transliteration == "AL-ECONOMICA"
    assert record.feature is MarkFeature.COMBINED  # words and an image
    assert dict(record.extra)["Cancellations"] == "1"


def test_opposition_and_ended_status(samples: Path) -> None:
    record = _only(samples / "iltm-opposition.xml")
    (opposition,) = record.oppositions
    assert opposition.date is not None and opposition.date.isoformat() == "1994-07-27"
    assert opposition.status == "closed"
    assert record.status is MarkStatus.ENDED and record.office_status == "deleted"


def test_collective_mark_and_international_number(samples: Path) -> None:
    record = _only(samples / "iltm-collcert.xml")
    assert record.kind == "Collective/Certification mark"
    assert dict(record.extra)["InternationalNumber"] == "1161423"
    assert record.registration_number is None  # empty REGISTRATIONDATE
    assert _only(samples / "iltm-markfeature.xml").mark_text == "BABY MONET"  # doubled space folded
    assert _only(samples / "iltm-noevents.xml").publication_date is None


def test_broken_documents_become_record_errors() -> None:
    no_number = b"<TMBRAND><DETAILS><STATUS>active</STATUS></DETAILS></TMBRAND>"
    (error,) = il.iter_records(io.BytesIO(no_number), source="x.xml")
    assert isinstance(error, RecordError) and (error.record, error.field) == ("#1", "OFFICENUMBER")
    bad_class = (
        b"<TMBRAND><DETAILS><OFFICENUMBER>5</OFFICENUMBER></DETAILS>"
        b"<NICEGROUP><NICECLASS><TYPE>nine</TYPE></NICECLASS></NICEGROUP></TMBRAND>"
    )
    (error,) = il.iter_records(io.BytesIO(bad_class), source="x.xml")
    assert isinstance(error, RecordError) and (error.record, error.field) == ("5", "NICECLASS/TYPE")
    bad_date = b"<TMBRAND><DETAILS><OFFICENUMBER>6</OFFICENUMBER><FILINGDATE>2019</FILINGDATE></DETAILS></TMBRAND>"
    (error,) = il.iter_records(io.BytesIO(bad_date), source="x.xml")
    assert isinstance(error, RecordError) and (error.record, error.field) == ("6", "FILINGDATE")
    (error,) = il.iter_records(io.BytesIO(b"<TMBRAND><DETAILS>"), source="x.xml")
    assert isinstance(error, RecordError) and error.field == "xml"
