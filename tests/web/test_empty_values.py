"""Empty required values are refused everywhere with the record and the field named (issue 17):
a blank mark through the API, the portfolio CSV import and the register CSV."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.webkit import World, bearer


def test_api_refuses_a_blank_mark(client: TestClient, world: World) -> None:
    for blank in ("", "   "):
        r = client.post("/api/v1/tm/marks", json={"mark_id": "B1", "mark": blank, "classes": [9]},
                        headers=bearer(world.a.write_token))
        assert r.status_code == 422, r.text
        error = r.json()["errors"][0]
        assert error["field"] == "mark"
        assert blank == "" or error.get("record") == "B1"  # the schema answers "", the domain names the record
    assert client.get("/api/v1/tm/marks", headers=bearer(world.a.write_token)).json() == []


def test_csv_import_refuses_blank_marks_and_keeps_the_rest(client: TestClient, world: World) -> None:
    body = "mark_id,mark,classes,owner\nB1,  ,9,Me\nB2,GOODMARK,9,Me\n"
    r = client.post("/api/v1/tm/marks/import", headers=bearer(world.a.write_token),
                    files={"file": ("p.csv", body.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["created"] == 1
    assert any(e["field"] == "mark" and "B1" in e["record"] for e in out["errors"])


def test_register_csv_refuses_a_blank_mark(tmp_path: Path) -> None:
    from fenghuo.tm.records import RecordError
    from fenghuo.tm.sources.detect import iter_source

    path = tmp_path / "register.csv"
    path.write_text("office,application_number,mark,classes\nEM,1, ,9\nEM,2,OK MARK,9\n", encoding="utf-8")
    items = list(iter_source(path))
    errors = [i for i in items if isinstance(i, RecordError)]
    assert len(items) == 2 and len(errors) == 1
    assert errors[0].field == "mark" and "1" in errors[0].record
