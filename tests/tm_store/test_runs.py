"""Stored watch runs: alerts with reasons and deadlines, upserts that keep the user's review,
squatter evidence that raises the risk, and tenant separation of the alerts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import ValidationFailed
from fenghuo.tm import alerts as alerts_mod
from fenghuo.tm.ingest import ingest_paths
from fenghuo.tm.models import Alert, BusinessRelationship, TradeFair, WatchRun
from fenghuo.tm.portfolio import import_marks, list_marks, set_variants
from fenghuo.tm.portfolio_csv import read_portfolio
from fenghuo.tm.runs import run_for_org
from fenghuo.tm.squatters import evidence_for, is_pinyin, relationship_key


def _org(name: str) -> int:
    with session_scope(org_id=None, platform_admin=True) as s:
        return orgs.create_organisation(s, name, "enterprise").id


def _import(org_id: int, path: Path) -> None:
    marks, errors = read_portfolio(path)
    assert not errors
    with session_scope(org_id=org_id) as s:
        import_marks(s, org_id, marks)


def _alerts(org_id: int) -> dict[tuple[str, str], Alert]:
    with session_scope(org_id=org_id) as s:
        return {(a.watched_mark.mark_id, a.register_mark.mark_text): a for a in alerts_mod.list_alerts(s, limit=999)}


@pytest.fixture
def org_with_run(db_engine: Engine, register_csv: Path, portfolio_csv: Path) -> int:
    ingest_paths([register_csv])
    org_id = _org("Watcher Co")
    _import(org_id, portfolio_csv)
    run_for_org(org_id, workers=1)
    return org_id


def test_chinese_marks_catch_pinyin_cantonese_and_translation(org_with_run: int) -> None:
    found = _alerts(org_with_run)
    assert ("M1", "YILI") in found and ("M3", "WONG LO KAT") in found and ("M4", "HERO") in found
    assert ("M2", "HAIXIN") in found
    reasons = " | ".join(r["message"] for r in found[("M1", "YILI")].reasons)
    assert "pinyin of 伊利 is YILI" in reasons and "class 29" in reasons
    assert "translation" in " ".join(r["message"] for r in found[("M4", "HERO")].reasons)
    # The unrelated mark raises nothing.
    assert not any(theirs == "ZEPHYRIA" for _m, theirs in found)


def test_own_filing_is_not_an_alert(org_with_run: int) -> None:
    with session_scope(org_id=org_with_run) as s:
        applicants = {a.register_mark.applicant_name for a in alerts_mod.list_alerts(s, limit=999)}
    assert "Inner Mongolia Yili Industrial Group Co Ltd" not in applicants


def test_alert_carries_remedy_deadline_from_office_rules(org_with_run: int) -> None:
    yili = _alerts(org_with_run)[("M1", "YILI")]
    # EUIPO: three months from publication (2026-10-01) → 2027-01-01 is a holiday at the office? The rule
    # engine decides; the alert must carry its result and the trace behind it.
    assert yili.deadline is not None and date(2027, 1, 1) <= yili.deadline <= date(2027, 1, 8)
    assert yili.deadline_detail is not None and yili.deadline_detail["rule"] == "R-EM-TMOPP"
    assert "invalidity" in (yili.remedy or "")
    hero = _alerts(org_with_run)[("M4", "HERO")]
    assert hero.deadline == date(2026, 11, 19) and hero.deadline_detail["rule"] == "R-US-TMOPP"  # type: ignore[index]


def test_rerun_updates_without_duplicates_and_keeps_dismissal(org_with_run: int) -> None:
    before = _alerts(org_with_run)
    with session_scope(org_id=org_with_run) as s:
        alert = alerts_mod.get_alert(s, before[("M4", "HERO")].id)
        with pytest.raises(ValidationFailed) as exc:
            alerts_mod.set_state(s, alert, "dismissed")
        assert exc.value.field == "reason"
        alerts_mod.set_state(s, alert, "dismissed", "pens are not our business any more")
    run = run_for_org(org_with_run, workers=1)
    after = _alerts(org_with_run)
    assert set(after) == set(before) and run.alerts_new == 0
    assert after[("M4", "HERO")].state == "dismissed"
    assert after[("M4", "HERO")].dismiss_reason == "pens are not our business any more"
    with session_scope(org_id=org_with_run) as s:
        runs = list(s.scalars(select(WatchRun).order_by(WatchRun.id)))
    assert [r.status for r in runs] == ["done", "done"] and runs[0].alerts_new == len(before)


def test_edited_variants_are_what_is_watched(org_with_run: int) -> None:
    with session_scope(org_id=org_with_run) as s:
        mark = next(m for m in list_marks(s) if m.mark_id == "M1")
        # Switch off every romanization: only the characters are watched now.
        set_variants(s, mark, [dict(v, enabled=v["kind"] == "original") for v in mark.variants])
    with session_scope(org_id=org_with_run) as s:
        for alert in s.scalars(select(Alert)):
            s.delete(alert)
    run_for_org(org_with_run, workers=1)
    assert ("M1", "YILI") not in _alerts(org_with_run)


def test_alert_filters(org_with_run: int) -> None:
    with session_scope(org_id=org_with_run) as s:
        us = alerts_mod.list_alerts(s, alerts_mod.AlertFilter(office="US"))
        assert {a.register_mark.mark_text for a in us} == {"HERO"}
        c32 = alerts_mod.list_alerts(s, alerts_mod.AlertFilter(nice_class=32))
        assert {a.register_mark.mark_text for a in c32} == {"WONG LO KAT"}
        soon = alerts_mod.list_alerts(s, alerts_mod.AlertFilter(deadline_before=date(2026, 12, 1)))
        assert {a.register_mark.mark_text for a in soon} == {"HERO"}
        with pytest.raises(ValidationFailed):
            alerts_mod.list_alerts(s, alerts_mod.AlertFilter(level="urgent"))


def test_alerts_are_per_tenant(org_with_run: int, portfolio_csv: Path) -> None:
    other = _org("Other Co")
    assert _alerts(other) == {}
    _import(other, portfolio_csv)
    run_for_org(other, workers=1)
    mine, theirs = _alerts(org_with_run), _alerts(other)
    assert set(mine) == set(theirs)
    assert not {a.id for a in mine.values()} & {a.id for a in theirs.values()}


def test_pinyin_detector() -> None:
    assert is_pinyin("HAIXIN") and is_pinyin("WANG LAO JI") and is_pinyin("yili")
    assert not is_pinyin("HISENSE") and not is_pinyin("GREE") and not is_pinyin("XY")


def test_squatter_evidence_raises_the_risk(org_with_run: int, portfolio_csv: Path) -> None:
    key = relationship_key("Dairy Traders Kft")
    with session_scope(org_id=None, platform_admin=True) as s:
        evidence = evidence_for(s, key, org_with_run)
        # YILI and HAIXIN are pinyin; WONG LO KAT is Cantonese (not counted as pinyin).
        assert set(evidence.chinese_like) == {"YILI", "HAIXIN"} and evidence.filings == 3
        assert evidence.relationships == [] and evidence.other_organisations == 0
        s.add(TradeFair(name="Budapest Expo", country="HU", start_date=date(2026, 8, 1), end_date=date(2026, 8, 5)))
    before = _alerts(org_with_run)[("M1", "YILI")].score
    # A second enterprise watching the same brands, and the first records the applicant as its distributor.
    other = _org("Other Co")
    _import(other, portfolio_csv)
    run_for_org(other, workers=1)
    with session_scope(org_id=org_with_run) as s:
        s.add(BusinessRelationship(organisation_id=org_with_run, counterpart_name="Dairy Traders Kft.",
                                   counterpart_key=relationship_key("Dairy Traders Kft."), relation="distributor"))
    run_for_org(org_with_run, workers=1)
    yili = _alerts(org_with_run)[("M1", "YILI")]
    assert yili.score > before and yili.squatter_score >= 90
    message = next(r["message"] for r in yili.reasons if r["signal"] == "squatter")
    assert "6septies" in message and "1 other Chinese enterprise" in message and "trade fair" in message
    assert "Other Co" not in message  # the other tenant is counted, never named
