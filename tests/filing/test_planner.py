"""Route planner against the shared WIPO/CNIPA data: dated memberships, PCT limits per office,
fee rows with currency and date, closed national routes, impossible input."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from fenghuo.core.errors import ValidationFailed
from fenghuo.deadlines import add_months, compute
from fenghuo.filing import derive
from fenghuo.filing.application import make_application, parse_targets
from fenghuo.filing.planner import CLOSED, OPEN, plan


def _rows(shared: Path, name: str) -> list[dict[str, str]]:
    with (shared / "data" / "filing" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _route(result, code: str, route: str):  # type: ignore[no-untyped-def]
    target = next(t for t in result.targets if t.code == code)
    return next(r for r in target.routes if r.route == route)


def test_saudi_madrid_closed_before_and_open_from_accession(shared_dir: Path) -> None:
    row = next(r for r in _rows(shared_dir, "madrid_members.csv") if r.get("code", r.get("designation_code")) == "SA")
    assert "2026-10-08" in ",".join(row.values())
    app = make_application("trademark", "2026-03-02")
    before = _route(plan(app, ["SA"], date(2026, 10, 7)), "SA", "madrid")
    assert before.status == CLOSED and before.reason == "Saudi Arabia: Madrid in force only from 2026-10-08"
    after = _route(plan(app, ["SA"], date(2026, 10, 8)), "SA", "madrid")
    assert after.status == OPEN and after.fees is not None and after.fees.lines


def test_hague_1960_only_parties_are_not_designable(shared_dir: Path) -> None:
    only_1960 = [r["designation_code"] for r in _rows(shared_dir, "hague_members.csv")
                 if r["hague_act_1960_date"].strip() and not r["geneva_act_1999_date"].strip()
                 and r["designable_from_china"].lower().startswith("no")]
    assert only_1960, "the shared list has 1960-only parties"
    app = make_application("design", "2026-03-02")
    result = plan(app, only_1960, date(2026, 3, 10))
    for code in only_1960:
        hague = _route(result, code, "hague")
        assert hague.status == CLOSED and "1960 Act" in hague.reason, code
    japan = _route(plan(app, ["JP"], date(2026, 3, 10)), "JP", "hague")
    assert japan.status == OPEN and japan.deadlines[0].rule_id == "R-PAR-TMDS"


def test_pct_national_phase_deadlines_per_office_come_from_the_engine(shared_dir: Path) -> None:
    limits = {r["code"]: r for r in _rows(shared_dir, "pct_national_phase_time_limits.csv")}
    offices = ["US", "EP", "JP", "KR", "BR", "SA", "IN", "AU", "CA", "EA", "AP", "OA"]
    app = make_application("invention", "2026-03-02", pct_number="PCT/CN2027/000123", pct_filed="2027-03-01")
    result = plan(app, offices, date(2027, 3, 5))
    for code in offices:
        route = _route(result, code, "pct")
        entry = next(d for d in route.deadlines if d.kind == "pct_np")
        engine = compute("R-PCT-NP", date(2026, 3, 2), code)
        assert (entry.due, entry.provisional, entry.rule_id) == (engine.due, engine.provisional, "R-PCT-NP"), code
        months = int(limits[code]["effective_chapter1_months"])
        assert entry.raw == add_months(date(2026, 3, 2), months), code


def test_closed_national_pct_route_points_to_the_regional_office() -> None:
    app = make_application("invention", "2026-03-02")
    result = plan(app, ["FR", "BF"], date(2026, 3, 10))
    fr = _route(result, "FR", "pct")
    assert fr.status == CLOSED and "enter via EP" in fr.reason
    assert _route(result, "FR", "regional:EP:pct").status == OPEN
    assert _route(result, "BF", "paris").status == CLOSED
    assert _route(result, "BF", "regional:OA").status == OPEN


def test_every_fee_row_used_shows_currency_and_date_of_the_shared_table(shared_dir: Path) -> None:
    shared = {r["item"]: r for r in _rows(shared_dir, "official_fees.csv")}
    used: set[str] = set()
    for kind, targets in (("invention", ["US", "EP", "JP", "KR"]), ("design", ["CN", "JP", "EM", "KR", "US"][1:]),
                          ("trademark", ["AU", "CA", "BR", "DE"])):
        result = plan(make_application(kind, "2026-03-02"), targets, date(2026, 3, 10))
        for target in result.targets:
            for route in target.routes:
                if route.fees is None:
                    continue
                data = route.fees.to_dict()
                assert "official fees only" in str(data["summary"])
                for line in data["lines"]:  # type: ignore[union-attr]
                    source = shared[line["item"]] if line["item"] in shared else \
                        shared["Madrid basic fee (b/w mark)"]
                    assert line["currency"] == source["currency"] and line["currency"]
                    assert line["fee_table_date"] == source["as_of"] and line["fee_table_date"]
                    used.add(line["fee_id"])
    assert {"us-np-basic", "ep-exam", "jp-np-filing", "madrid-basic", "hague-basic", "madrid-ind-br"} <= used


def test_us_pct_estimate_sums_per_currency() -> None:
    result = plan(make_application("invention", "2026-03-02"), ["US"], date(2026, 3, 10))
    fees = _route(result, "US", "pct").fees
    assert fees is not None and fees.totals == {"CNY": 10620 + 2100, "USD": 320 + 540 + 800}


def test_package_data_is_the_derivation_of_the_shared_files(shared_dir: Path) -> None:
    packaged = Path(derive.OUT)
    for name, func, source in (("fees.csv", derive.derive_fees, "official_fees.csv"),
                               ("pph_partners.csv", derive.derive_pph, "cnipa_pph_partners.csv"),
                               ("offices.csv", derive.derive_offices, "pct_national_phase_time_limits.csv")):
        with (packaged / name).open(encoding="utf-8") as fh:
            stored = list(csv.DictReader(line for line in fh if not line.startswith("#")))
        assert stored == func(_rows(shared_dir, source)), name


def test_expired_priority_closes_paris_and_says_when() -> None:
    result = plan(make_application("invention", "2025-01-10"), ["JP"], date(2026, 3, 10))
    paris = _route(result, "JP", "paris")
    assert paris.status == CLOSED and "2026-01-13" in paris.reason  # 2026-01-10 is a Saturday; 12 Jan a JP holiday


def test_comparison_orders_routes_by_first_deadline() -> None:
    result = plan(make_application("invention", "2026-03-02"), ["US"], date(2026, 3, 10))
    rows = result.targets[0].comparison(result.as_of)
    firsts = [r["first_deadline"] for r in rows if r["first_deadline"]]
    assert firsts == sorted(firsts) and any(r["route"] == "pph" for r in rows)
    assert next(r for r in rows if r["route"] == "pct")["months_to_decide"] == 29  # 2026-03-10 → 2028-09-05


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"app_type": "design", "filed": "2026-03-02", "pct_number": "PCT/CN2026/000123", "pct_filed": "2026-04-01"},
     "pct"),
    ({"app_type": "invention", "filed": "2026-03-02", "madrid_number": "1234567"}, "madrid"),
    ({"app_type": "invention", "filed": "2026-02-30"}, "filed"),
    ({"app_type": "patent", "filed": "2026-03-02"}, "type"),
    ({"app_type": "invention", "filed": "2026-03-02", "priority": "2026-04-01"}, "priority"),
    ({"app_type": "invention", "filed": "2026-03-02", "pct_number": "CN123", "pct_filed": "2026-04-01"}, "pct"),
    ({"app_type": "invention", "filed": "2026-03-02", "pct_number": "PCT/CN2026/000123"}, "pct_filed"),
])
def test_bad_application_names_the_field(kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        make_application(kwargs.pop("app_type"), kwargs.pop("filed"), **kwargs)
    assert exc.value.field == field and exc.value.record == "application"


def test_unknown_target_names_the_code() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_targets("US,XQ")
    assert (exc.value.field, exc.value.record) == ("targets", "XQ")
    assert parse_targets(" us, EP ,us") == ["US", "EP"]


@pytest.mark.parametrize(("app_type", "intl"), [("trademark", "madrid"), ("design", "hague")])
def test_eu_member_targets_offer_the_eu_wide_right(app_type: str, intl: str) -> None:
    """A mark or design for Germany may be an EU trade mark / Community design at EUIPO."""
    result = plan(make_application(app_type, "2026-09-01"), ["DE", "US"], date(2026, 10, 1))
    direct = _route(result, "DE", "regional:EM")
    designation = _route(result, "DE", f"regional:EM:{intl}")
    assert direct.status == OPEN and "EUIPO" in direct.label and "Germany" in direct.label
    assert direct.deadlines[0].rule_id == "R-PAR-TMDS" and direct.deadlines[0].due == date(2027, 3, 1)
    assert designation.status == OPEN and designation.basis
    us = next(t for t in result.targets if t.code == "US")
    assert not any(r.route.startswith("regional:EM") for r in us.routes)
    patent = plan(make_application("invention", "2026-09-01"), ["DE"], date(2026, 10, 1))
    assert not any(r.route.startswith("regional:EM") for t in patent.targets for r in t.routes)
