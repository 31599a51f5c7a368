"""Event imports with crafted files: deep JSON, huge CSV cells, oversized fields — a clear error
naming the file or the record and field, never a crash, and the good records still come through."""

from __future__ import annotations

import json

import pytest

from fenghuo.core.errors import ValidationFailed
from fenghuo.disputes import events

GOOD = {"kind": "us_district", "number": "1:26-cv-00001", "respondents": "Acme Ltd"}


def test_json_nested_a_million_deep_is_one_error_naming_the_file() -> None:
    data = b"[" * 1_000_000 + b"]" * 1_000_000  # 2 MB, the probe's shape
    with pytest.raises(ValidationFailed) as info:
        events.read_records(data, "deep.json")
    assert info.value.field == "file" and "deeper" in info.value.message


def test_json_depth_cap_counts_brackets_outside_strings_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_JSON_DEPTH", "4")
    tricky = {"events": [{**GOOD, "title": "[[[[[[[[ {{{{{{ \\\" ]]]"}]}
    records, errors = events.read_records(json.dumps(tricky).encode(), "e.json")
    assert len(records) == 1 and errors == []
    too_deep = {"events": [{**GOOD, "parties": [{"name": "A", "context": [[["x"]]]}]}]}
    with pytest.raises(ValidationFailed):
        events.read_records(json.dumps(too_deep).encode(), "e.json")


def test_json_with_a_number_of_five_thousand_digits_is_an_error_not_a_crash() -> None:
    with pytest.raises(ValidationFailed):
        events.read_records(b'[{"kind": "us_district", "number": ' + b"9" * 5000 + b"}]", "e.json")


def test_csv_cell_past_the_csv_module_limit_is_one_error_naming_the_line() -> None:
    data = ("kind,number,respondents,title\nus_district,1:26-cv-1,Acme,ok\nus_district,1:26-cv-2,Beta,"
            + "x" * 300_000 + "\n").encode()
    with pytest.raises(ValidationFailed) as info:
        events.read_records(data, "e.csv")
    assert info.value.field == "file" and "line" in info.value.message


def test_oversized_fields_quarantine_their_record_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_CSV_FIELD_CHARS", "2000")
    data = ("kind,number,respondents,title,products\n"
            "us_district,1:26-cv-1,Acme,ok,\n"
            "us_district,1:26-cv-2,Beta," + "t" * 600 + ",\n"
            "us_district,1:26-cv-3,Gamma,fine," + "p" * 3000 + "\n"
            "us_district,1:26-cv-4,Delta,fine,\n").encode()
    records, errors = events.read_records(data, "e.csv")
    assert [r.number for r in records] == ["1:26-cv-1", "1:26-cv-4"]
    assert [(e.record, e.field) for e in errors] == [("row 3", "title"), ("row 4", "products")]


def test_json_party_name_over_the_column_is_named() -> None:
    doc = [GOOD, {**GOOD, "number": "2", "parties": [{"name": "N" * 501, "role": "respondent"}]}]
    records, errors = events.read_records(json.dumps(doc).encode(), "e.json")
    assert len(records) == 1
    assert [(e.record, e.field) for e in errors] == [("item 2", "parties[0]")]
