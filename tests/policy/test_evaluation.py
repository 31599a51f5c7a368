"""Evaluation workspaces: DAC × plan-structure template, self-evaluation by agencies, a read-only
third-party evaluator with its own scores, public comments."""

from __future__ import annotations

from datetime import date

import pytest

from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.policy import evaluation, tracking
from fenghuo.policy.models import PolicyTask
from tests.policy.test_tracking import PlanWorld, small  # noqa: F401  (fixture)


def _evaluation(world: PlanWorld) -> int:
    with session_scope(org_id=world.mofcom) as s:
        task = tracking.tasks(s, world.plan_id)[0]
        tracking.file_progress(s, task.id, tracking.ProgressIn("2023-H1", "in_progress", "进展", 50))
    with session_scope(org_id=world.office) as s:
        return evaluation.create_evaluation(s, world.plan_id, "mid_term", evaluator_org_id=world.evaluator,
                                            as_of=date(2023, 6, 30)).id


def test_template_crosses_dac_criteria_with_parts_and_sections(small: PlanWorld) -> None:  # noqa: F811
    eid = _evaluation(small)
    with session_scope(org_id=small.office) as s:
        template = evaluation.get_evaluation(s, eid).template
    assert [c["id"] for c in template["criteria"]] == ["relevance", "coherence", "effectiveness", "efficiency",
                                                       "impact", "sustainability"]
    assert [s["scope"] for s in template["scopes"]] == ["plan", "part:一", "section:一", "part:二", "section:二"]


def test_evaluator_reads_the_plan_but_cannot_change_it(small: PlanWorld) -> None:  # noqa: F811
    eid = _evaluation(small)
    with session_scope(org_id=small.evaluator) as s:
        assert len(tracking.tasks(s, small.plan_id)) == 3
        assert [r.agency_key for r in tracking.progress_reports(s, small.plan_id)] == ["mofcom"]
        with pytest.raises(PermissionDenied):
            tracking.owned_plan(s, small.plan_id)
    with pytest.raises(PermissionDenied), session_scope(org_id=small.evaluator) as s:
        task = s.query(PolicyTask).first()
        assert task is not None
        task.title = "changed by the evaluator"
    with session_scope(org_id=small.evaluator) as s:
        row = evaluation.evaluator_score(s, eid, "effectiveness", 3, scope="part:一", comment="部分落实")
        assert row.scope == "part:一"
        with pytest.raises(ValidationFailed) as exc:
            evaluation.evaluator_score(s, eid, "effectiveness", 3, scope="part:九")
        assert exc.value.field == "scope"
        with pytest.raises(ValidationFailed) as exc:
            evaluation.evaluator_score(s, eid, "value_for_money", 3)
        assert exc.value.field == "criterion"
    with session_scope(org_id=small.outsider) as s, pytest.raises(NotFound):
        evaluation.get_evaluation(s, eid)


def test_reports_filed_after_appointment_reach_the_evaluator(small: PlanWorld) -> None:  # noqa: F811
    _evaluation(small)
    with session_scope(org_id=small.cnipa) as s:
        task = tracking.tasks(s, small.plan_id)[0]
        tracking.file_progress(s, task.id, tracking.ProgressIn("2023-H2", "in_progress", "", 60))
    with session_scope(org_id=small.evaluator) as s:
        assert sorted(r.agency_key for r in tracking.progress_reports(s, small.plan_id)) == ["cnipa", "mofcom"]


def test_self_assessment_and_scores_reach_the_owner(small: PlanWorld) -> None:  # noqa: F811
    eid = _evaluation(small)
    with session_scope(org_id=small.mofcom) as s:
        evaluation.self_assess(s, eid, "effectiveness", 4, "按计划推进")
        with pytest.raises(ValidationFailed) as exc:
            evaluation.self_assess(s, eid, "effectiveness", 9)
        assert (exc.value.field, exc.value.record) == ("score", "self-evaluation effectiveness")
        with pytest.raises(PermissionDenied):
            evaluation.evaluator_score(s, eid, "impact", 2)
    with session_scope(org_id=small.evaluator) as s:
        evaluation.evaluator_score(s, eid, "effectiveness", 2)
    with session_scope(org_id=small.office) as s:
        evaluation.add_comment(s, eid, "建议加强海外维权援助", author="公众")
        work = evaluation.workspace(s, eid)
    assert work["self_average"] == {"effectiveness": 4.0}
    assert work["evaluator_average"] == {"effectiveness": 2.0}
    assert work["public_comments"][0]["text"] == "建议加强海外维权援助"
    with session_scope(org_id=small.evaluator) as s:
        assert evaluation.workspace(s, eid)["public_comments"][0]["author"] == "公众"


def test_evaluator_cannot_be_the_owner(small: PlanWorld) -> None:  # noqa: F811
    with session_scope(org_id=small.office) as s, pytest.raises(ValidationFailed) as exc:
        evaluation.create_evaluation(s, small.plan_id, "mid_term", evaluator_org_id=small.office)
    assert exc.value.field == "evaluator_organisation_id"


def test_a_replaced_evaluator_loses_its_access(small: PlanWorld) -> None:  # noqa: F811
    """Replacing the evaluator revokes what the old one read through the evaluation (audited revokes)."""
    eid = _evaluation(small)
    with session_scope(org_id=None, platform_admin=True) as s:
        from fenghuo.core import orgs

        successor = orgs.create_organisation(s, "Second Evaluator", "enterprise").id
    with session_scope(org_id=small.evaluator) as s:
        assert len(tracking.tasks(s, small.plan_id)) == 3
    with session_scope(org_id=small.office) as s:
        evaluation.appoint_evaluator(s, eid, successor)
    with session_scope(org_id=small.evaluator) as s:
        assert tracking.tasks(s, small.plan_id) == []
        assert tracking.progress_reports(s, small.plan_id) == []
        with pytest.raises(NotFound):
            evaluation.get_evaluation(s, eid)
    with session_scope(org_id=successor) as s:
        assert len(tracking.tasks(s, small.plan_id)) == 3
        assert [r.agency_key for r in tracking.progress_reports(s, small.plan_id)] == ["mofcom"]
