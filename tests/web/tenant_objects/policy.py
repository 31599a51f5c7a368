"""Plan-tracking objects of organisation A (written directly: A is an enterprise in the matrix world,
and only the rows matter here, not how an administration would import them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fenghuo.core.db import session_scope
from tests.webkit import World


def objects(world: World, third_org_id: int) -> dict[str, Any]:
    from fenghuo.policy.models import (
        PolicyAccountability,
        PolicyAnnualItem,
        PolicyAnnualPlan,
        PolicyEvaluation,
        PolicyEvidence,
        PolicyIndicator,
        PolicyPlan,
        PolicyProgressReport,
        PolicyPublicComment,
        PolicyTask,
    )

    a = world.a.org_id
    with session_scope(org_id=None, platform_admin=True) as s:
        plan = PolicyPlan(organisation_id=a, title="ALPHA-SECRET-MARK plan", start_year=2021, end_year=2025)
        s.add(plan)
        s.flush()
        task = PolicyTask(organisation_id=a, plan_id=plan.id, seq=1, title="ALPHA-SECRET-MARK task",
                          start_date=date(2021, 1, 1), due_date=date(2025, 12, 31))
        s.add(task)
        s.flush()
        s.add(PolicyAccountability(organisation_id=a, plan_id=plan.id, task_id=task.id, agency_key="cnipa",
                                   agency_name="ALPHA-SECRET-MARK agency", role="lead"))
        annual = PolicyAnnualPlan(organisation_id=a, plan_id=plan.id, year=2023, title="ALPHA-SECRET-MARK 2023")
        indicator = PolicyIndicator(organisation_id=a, plan_id=plan.id, code="A1", name="ALPHA-SECRET-MARK",
                                    baseline=1, baseline_year=2020, target=2, target_year=2025,
                                    direction="higher", kind="expected")
        report = PolicyProgressReport(organisation_id=a, plan_id=plan.id, task_id=task.id, agency_key="cnipa",
                                      agency_name="x", period="2023", status="in_progress",
                                      text="ALPHA-SECRET-MARK progress")
        evaluation = PolicyEvaluation(organisation_id=a, plan_id=plan.id, kind="mid_term",
                                      title="ALPHA-SECRET-MARK evaluation", as_of=date(2023, 6, 30),
                                      template={"scopes": [{"scope": "plan"}]})
        s.add_all([annual, indicator, report, evaluation])
        s.flush()
        item = PolicyAnnualItem(organisation_id=a, annual_plan_id=annual.id, task_id=task.id,
                                text="ALPHA-SECRET-MARK item", due_date=date(2023, 12, 31))
        evidence = PolicyEvidence(organisation_id=a, report_id=report.id, filename="ALPHA-SECRET-MARK.txt",
                                  content_type="text/plain", size=17, sha256="0" * 64, data=b"ALPHA-SECRET-MARK")
        comment = PolicyPublicComment(organisation_id=a, evaluation_id=evaluation.id, author="x",
                                      text="ALPHA-SECRET-MARK comment", received_on=date(2023, 6, 1),
                                      status="pending")
        s.add_all([item, evidence, comment])
        s.flush()
        return {"policy_plan_id": plan.id, "task_id": task.id, "annual_plan_id": annual.id,
                "indicator_id": indicator.id, "report_id": report.id, "evaluation_id": evaluation.id,
                "annual_item_id": item.id, "evidence_id": evidence.id, "comment_id": comment.id}
