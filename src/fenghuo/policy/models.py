"""Plan implementation tracking tables: plans, tasks and who answers for them, annual promotion
plans, indicators, progress reports, reminders and evaluations.

Ownership follows who writes the row, because the tenancy filter and row-level security key on
``organisation_id``:

* the plan owner (the joint-conference office, an organisation of kind administration) owns the
  plan, its tasks, accountability rows, annual plans, indicators, reminders and evaluations;
* a responsible agency (an administration organisation linked to a registry agency id) owns the
  progress reports and self-assessments it files; they are granted to the plan owner (and to the
  evaluator) when filed;
* a third-party evaluator owns its scores, granted to the plan owner.

Agencies see the tasks they are accountable for, and evaluators the whole plan, through explicit
grants (``fenghuo.core.grants``) — no table here carries visibility logic of its own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from fenghuo.core.models import Base, TenantScoped, utcnow


class PolicyPlan(TenantScoped, Base):
    """An imported plan; ``structure`` keeps the parser's JSON so the plan can be re-read as parsed."""

    __tablename__ = "policy_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    document_number: Mapped[str | None] = mapped_column(String(100), default=None)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str] = mapped_column(String(500), default="")
    structure: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyAgencyLink(TenantScoped, Base):
    """Which organisation acts for a responsible agency (registry id, or the name as written)."""

    __tablename__ = "policy_agency_links"
    __table_args__ = (UniqueConstraint("organisation_id", "agency_key", name="uq_policy_agency_links_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_key: Mapped[str] = mapped_column(String(200))
    agency_name: Mapped[str] = mapped_column(String(200))
    agency_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyTask(TenantScoped, Base):
    """One measure of the plan, tracked as a task until it is completed."""

    __tablename__ = "policy_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("policy_plans.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    part_number: Mapped[str] = mapped_column(String(20), default="")
    part_title: Mapped[str] = mapped_column(String(500), default="")
    section_number: Mapped[str] = mapped_column(String(20), default="")
    section_title: Mapped[str] = mapped_column(String(500), default="")
    number: Mapped[str | None] = mapped_column(String(20), default=None)
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    open_ended: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyAccountability(TenantScoped, Base):
    """One responsible agency (lead or co) of one task; agencies without an organisation are kept by name."""

    __tablename__ = "policy_accountabilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("policy_plans.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("policy_tasks.id", ondelete="CASCADE"), index=True)
    agency_key: Mapped[str] = mapped_column(String(200))
    agency_name: Mapped[str] = mapped_column(String(200))
    registry_id: Mapped[str | None] = mapped_column(String(40), default=None)
    role: Mapped[str] = mapped_column(String(10))  # lead | co
    generic: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                      default=None)


class PolicyAnnualPlan(TenantScoped, Base):
    """An annual promotion plan (年度推进计划) of one year."""

    __tablename__ = "policy_annual_plans"
    __table_args__ = (UniqueConstraint("plan_id", "year", name="uq_policy_annual_plans_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("policy_plans.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyAnnualItem(TenantScoped, Base):
    """One item of an annual plan, linked back to the plan measure it advances."""

    __tablename__ = "policy_annual_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    annual_plan_id: Mapped[int] = mapped_column(ForeignKey("policy_annual_plans.id", ondelete="CASCADE"),
                                                index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("policy_tasks.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    agencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_date: Mapped[date] = mapped_column(Date)


class PolicyIndicator(TenantScoped, Base):
    """A plan indicator: baseline, target, unit, which direction is better, 预期性 or 约束性."""

    __tablename__ = "policy_indicators"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_policy_indicators_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("policy_plans.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("policy_tasks.id", ondelete="SET NULL"), default=None)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(50), default="")
    baseline: Mapped[float] = mapped_column(Float)
    baseline_year: Mapped[int] = mapped_column(Integer)
    target: Mapped[float] = mapped_column(Float)
    target_year: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(10))  # higher | lower
    kind: Mapped[str] = mapped_column(String(10))  # expected (预期性) | binding (约束性)


class PolicyIndicatorActual(TenantScoped, Base):
    """The value an indicator reached in one year."""

    __tablename__ = "policy_indicator_actuals"
    __table_args__ = (UniqueConstraint("indicator_id", "year", name="uq_policy_indicator_actuals_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("policy_indicators.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(500), default="")


class PolicyProgressReport(TenantScoped, Base):
    """What an agency reports on one task for one period (owned by the agency, granted to the owner)."""

    __tablename__ = "policy_progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("policy_plans.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("policy_tasks.id", ondelete="CASCADE"), index=True)
    agency_key: Mapped[str] = mapped_column(String(200))
    agency_name: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(10))  # 2023, 2023-H1, 2023-Q2
    status: Mapped[str] = mapped_column(String(20))  # not_started | in_progress | completed | delayed
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyEvidence(TenantScoped, Base):
    """An attachment supporting a progress report (stored in the database: small files only)."""

    __tablename__ = "policy_evidence"
    __audit_ignore__ = frozenset({"data"})

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("policy_progress_reports.id", ondelete="CASCADE"),
                                           index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyReminder(TenantScoped, Base):
    """A reminder (催办) sent to an agency about its overdue tasks."""

    __tablename__ = "policy_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("policy_plans.id", ondelete="CASCADE"), index=True)
    agency_key: Mapped[str] = mapped_column(String(200))
    agency_name: Mapped[str] = mapped_column(String(200))
    task_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(20))  # listed | email | failed
    recipient: Mapped[str | None] = mapped_column(String(320), default=None)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyEvaluation(TenantScoped, Base):
    """A mid-term or final evaluation workspace; ``template`` holds the DAC × plan-structure questions."""

    __tablename__ = "policy_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("policy_plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # mid_term | final
    title: Mapped[str] = mapped_column(String(500))
    as_of: Mapped[date] = mapped_column(Date)
    evaluator_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                         default=None)
    template: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Whether anyone may submit a public comment through ``/consult/<id>`` (no login).
    public_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicySelfAssessment(TenantScoped, Base):
    """An agency's self-evaluation against one criterion (owned by the agency, granted to the owner)."""

    __tablename__ = "policy_self_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("policy_evaluations.id", ondelete="CASCADE"),
                                               index=True)
    agency_key: Mapped[str] = mapped_column(String(200))
    agency_name: Mapped[str] = mapped_column(String(200))
    criterion: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyEvaluatorScore(TenantScoped, Base):
    """The third-party evaluator's own score of one criterion for the plan, a part or a section."""

    __tablename__ = "policy_evaluator_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("policy_evaluations.id", ondelete="CASCADE"),
                                               index=True)
    scope: Mapped[str] = mapped_column(String(40), default="plan")  # plan | part:六 | section:十三
    criterion: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyPublicComment(TenantScoped, Base):
    """A public comment (公众参与): recorded by the plan owner (approved) or submitted by anyone through
    the public form (pending until the owner approves it; only approved comments count)."""

    __tablename__ = "policy_public_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("policy_evaluations.id", ondelete="CASCADE"),
                                               index=True)
    author: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="approved",
                                        server_default="approved")  # pending | approved | rejected
