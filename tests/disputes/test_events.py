"""Event intake from CSV/JSON and forms: bad records named and reported, the rest imported, re-import idempotent."""

from __future__ import annotations

import json

import pytest

from fenghuo.core.db import session_scope
from fenghuo.core.errors import ValidationFailed
from fenghuo.disputes import events
from tests.disputes.conftest import FIXTURES, DisputeWorld


def test_csv_bad_records_are_reported_and_the_rest_parsed() -> None:
    records, errors = events.read_records((FIXTURES / "events.csv").read_bytes(), "events.csv")
    assert [r.number for r in records] == ["337-TA-1402", "DE-HZA-2025-0042", "1:25-cv-08888", "CF-2025-137-001"]
    by_field = {(e.record, e.field) for e in errors}
    assert ("row 4 (1:25-cv-09999)", "filed_on") in by_field
    assert ("row 7", "kind") in by_field
    itc = records[0]
    assert [p.role for p in itc.parties] == ["complainant", "respondent", "respondent"]
    assert records[2].stores == ("shopA", "shopB")
    assert records[3].received_at is not None and records[3].received_at.hour == 10


@pytest.mark.parametrize(("raw", "field"), [
    ({"kind": "itc337", "number": "", "respondents": "X"}, "number"),
    ({"kind": "itc337", "number": "1"}, "parties"),
    ({"kind": "eu_customs", "number": "1", "respondents": "X"}, "country"),
    ({"kind": "itc337", "number": "1", "respondents": "X", "country": "USA"}, "country"),
    ({"kind": "itc337", "number": "1", "parties": [{"name": "X", "role": "judge"}]}, "parties[0].role"),
    ({"kind": "itc337", "number": "1", "respondents": "X", "temporary_relief": "maybe"}, "temporary_relief"),
])
def test_each_bad_field_is_named(raw: dict[str, object], field: str) -> None:
    with pytest.raises(events.RecordError) as info:
        events.parse_record(raw, "form")
    assert info.value.field == field


def test_json_and_unknown_formats() -> None:
    doc = {"events": [{"kind": "us_district", "number": "2:25-cv-1", "defendants": ["A Co"]}, "junk"]}
    records, errors = events.read_records(json.dumps(doc).encode(), "e.json")
    assert len(records) == 1 and records[0].country == "US"
    assert errors[0].record.startswith("item 2")
    with pytest.raises(ValidationFailed) as info:
        events.read_records(b"x", "e.xlsx")
    assert info.value.field == "file"
    with pytest.raises(ValidationFailed):
        events.read_records(b"{not json", "e.json")


def test_reimport_is_idempotent_by_natural_key(dw: DisputeWorld) -> None:
    records, errors = events.read_records((FIXTURES / "events.csv").read_bytes(), "events.csv")
    with session_scope(org_id=dw.org["centre"], user_id=dw.user["centre"]) as s:
        first = events.store_records(s, records, errors)
    with session_scope(org_id=dw.org["centre"], user_id=dw.user["centre"]) as s:
        second = events.store_records(s, records)
        assert len(events.list_events(s)) == 4
    assert (first.created, first.unchanged) == (4, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    changed = [events.parse_record({"kind": "itc337", "number": "337-TA-1402", "respondents": "Other Co",
                                    "filed_on": "2025-06-27"}, "form")]
    with session_scope(org_id=dw.org["centre"], user_id=dw.user["centre"]) as s:
        third = events.store_records(s, changed)
    assert third.updated == 1
    with session_scope(org_id=dw.org["branch"], user_id=dw.user["branch"]) as s:
        assert events.list_events(s) == []  # another organisation's intake stays invisible
