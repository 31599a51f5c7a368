"""Mid-term and final evaluation workspaces: the agencies' self-evaluation, a third-party evaluator
with read-only access and its own scores, and public comments, on a template that crosses the OECD
DAC criteria with the plan's parts and sections.

Why the evaluator gets grants row by row: the tenancy filter then shows it exactly the plan's record
(read-only — grants are ``read``), and revoking the grants ends its access; no query of this module
or of the web layer special-cases evaluators.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import grants, labels
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import Organisation, TenantScoped
from fenghuo.core.tenancy import platform_scope
from fenghuo.policy import tracking
from fenghuo.policy.models import (
    PolicyAccountability,
    PolicyAnnualItem,
    PolicyAnnualPlan,
    PolicyEvaluation,
    PolicyEvaluatorScore,
    PolicyEvidence,
    PolicyIndicator,
    PolicyIndicatorActual,
    PolicyPlan,
    PolicyProgressReport,
    PolicyPublicComment,
    PolicySelfAssessment,
    PolicyTask,
)

KINDS = ("mid_term", "final")
SCORES = range(1, 6)


@dataclass(frozen=True)
class Criterion:
    id: str
    en: str
    zh: str
    question_en: str
    question_zh: str


#: The OECD DAC evaluation criteria (2019 revision), with the question each asks, in both languages.
DAC_CRITERIA: tuple[Criterion, ...] = (
    Criterion("relevance", "Relevance", "相关性", "Is the intervention doing the right things?",
              "举措是否对路、契合需求？"),
    Criterion("coherence", "Coherence", "协调性", "How well does the intervention fit with other policies?",
              "与其他政策和举措是否协调一致？"),
    Criterion("effectiveness", "Effectiveness", "有效性", "Is the intervention achieving its objectives?",
              "是否实现了预期目标？"),
    Criterion("efficiency", "Efficiency", "效率", "How well are resources being used?", "资源利用是否高效？"),
    Criterion("impact", "Impact", "影响", "What difference does the intervention make?", "产生了哪些实际影响？"),
    Criterion("sustainability", "Sustainability", "可持续性", "Will the benefits last?", "成效能否持续？"),
)
CRITERIA_IDS = tuple(c.id for c in DAC_CRITERIA)


def build_template(plan: PolicyPlan, tasks: list[PolicyTask]) -> dict[str, Any]:
    """The questions of the evaluation: every DAC criterion for the plan, each part and each section."""
    scopes: list[dict[str, str]] = [{"scope": "plan", "title": plan.title}]
    seen: set[str] = set()
    for task in tasks:
        for scope, title in ((f"part:{task.part_number}", task.part_title),
                             (f"section:{task.section_number}", task.section_title)):
            if scope not in seen and not scope.endswith(":"):
                seen.add(scope)
                scopes.append({"scope": scope, "title": title})
    return {"criteria": [c.__dict__ for c in DAC_CRITERIA], "scopes": scopes, "scale": [1, 5]}


@contextmanager
def _as_platform(session: Session) -> Iterator[None]:
    """Let the plan owner share rows the agencies filed into its plan (their reports, evidence and
    self-assessments) with the evaluator it appoints; used only around :func:`grants.grant` calls."""
    with platform_scope(session):
        yield


def _share(session: Session, obj: TenantScoped, org_id: int) -> None:
    if obj.organisation_id == org_id:
        return
    if obj.organisation_id == session.info.get("org_id"):
        grants.grant(session, obj, org_id)
        return
    with _as_platform(session):
        grants.grant(session, obj, org_id)


def _plan_rows(session: Session, plan: PolicyPlan) -> list[Any]:
    """Every row of the plan's record an evaluator reads (approved public comments only)."""
    rows: list[Any] = [plan]
    rows += list(session.scalars(select(PolicyTask).where(PolicyTask.plan_id == plan.id)))
    rows += list(session.scalars(select(PolicyAccountability).where(PolicyAccountability.plan_id == plan.id)))
    rows += list(session.scalars(select(PolicyAnnualPlan).where(PolicyAnnualPlan.plan_id == plan.id)))
    rows += list(session.scalars(select(PolicyIndicator).where(PolicyIndicator.plan_id == plan.id)))
    rows += list(session.scalars(select(PolicyProgressReport).where(PolicyProgressReport.plan_id == plan.id)))
    rows += list(session.scalars(select(PolicyEvaluation).where(PolicyEvaluation.plan_id == plan.id)))
    annual_ids = [r.id for r in rows if isinstance(r, PolicyAnnualPlan)]
    if annual_ids:
        rows += list(session.scalars(select(PolicyAnnualItem).where(PolicyAnnualItem.annual_plan_id.in_(annual_ids))))
    indicator_ids = [r.id for r in rows if isinstance(r, PolicyIndicator)]
    if indicator_ids:
        rows += list(session.scalars(select(PolicyIndicatorActual)
                                     .where(PolicyIndicatorActual.indicator_id.in_(indicator_ids))))
    report_ids = [r.id for r in rows if isinstance(r, PolicyProgressReport)]
    if report_ids:
        rows += list(session.scalars(select(PolicyEvidence).where(PolicyEvidence.report_id.in_(report_ids))))
    evaluation_ids = [r.id for r in rows if isinstance(r, PolicyEvaluation)]
    if evaluation_ids:
        rows += list(session.scalars(select(PolicySelfAssessment)
                                     .where(PolicySelfAssessment.evaluation_id.in_(evaluation_ids))))
        rows += list(session.scalars(select(PolicyPublicComment)
                                     .where(PolicyPublicComment.evaluation_id.in_(evaluation_ids),
                                            PolicyPublicComment.status == "approved")))
    return rows


def share_plan(session: Session, plan: PolicyPlan, org_id: int) -> int:
    """Give ``org_id`` read access to the whole record of the plan; returns the number of rows shared."""
    rows = _plan_rows(session, plan)
    for row in rows:
        _share(session, row, org_id)
    return len(rows)


def withdraw_plan(session: Session, plan: PolicyPlan, org_id: int) -> int:
    """Revoke the read grants a replaced evaluator holds on the plan's record; returns how many.

    Kept when the organisation still evaluates another evaluation of the plan, or answers for one of
    its tasks (an agency keeps what it needs as an agency)."""
    still_evaluating = session.scalar(select(PolicyEvaluation.id).where(
        PolicyEvaluation.plan_id == plan.id, PolicyEvaluation.evaluator_org_id == org_id))
    accountable = session.scalar(select(PolicyAccountability.id).where(
        PolicyAccountability.plan_id == plan.id, PolicyAccountability.agency_org_id == org_id))
    if still_evaluating is not None or accountable is not None:
        return 0
    revoked = 0
    with platform_scope(session):
        for row in _plan_rows(session, plan):
            for held in grants.grants_for_object(session, row.__tablename__, row.id):
                if held.grantee_organisation_id == org_id and held.revoked_at is None:
                    grants.revoke_grant(session, held.id)
                    revoked += 1
    return revoked


def create_evaluation(session: Session, plan_id: int, kind: str, *, evaluator_org_id: int | None = None,
                      as_of: date | None = None, title: str | None = None) -> PolicyEvaluation:
    """Open a mid-term or final evaluation; the evaluator (if any) gets read access to the plan's record
    and every linked agency sees the workspace to file its self-evaluation."""
    plan = tracking.owned_plan(session, plan_id)
    record = f"{kind} evaluation"
    if kind not in KINDS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(KINDS)), field="kind", record=record)
    if evaluator_org_id is not None:
        evaluator = session.get(Organisation, evaluator_org_id)
        if evaluator is None:
            raise ValidationFailed(_("organisation %(id)s not found", id=evaluator_org_id),
                                   field="evaluator_organisation_id", record=record)
        if evaluator_org_id == plan.organisation_id:
            raise ValidationFailed(_("the evaluator must be a third party, not the plan owner"),
                                   field="evaluator_organisation_id", record=record)
    task_rows = tracking.tasks(session, plan_id)
    default_title = {"mid_term": _("Mid-term evaluation of %(plan)s", plan=plan.title),
                     "final": _("Final evaluation of %(plan)s", plan=plan.title)}[kind]
    row = PolicyEvaluation(plan_id=plan.id, kind=kind, title=(title or default_title)[:500],
                           as_of=as_of or date.today(), evaluator_org_id=evaluator_org_id,
                           template=build_template(plan, task_rows))
    session.add(row)
    session.flush()
    for org_id in {a.agency_org_id for a in tracking.accountabilities(session, plan_id) if a.agency_org_id}:
        _share(session, row, org_id)
    if evaluator_org_id is not None:
        share_plan(session, plan, evaluator_org_id)
    return row


def get_evaluation(session: Session, evaluation_id: int) -> PolicyEvaluation:
    row = session.scalar(select(PolicyEvaluation).where(PolicyEvaluation.id == evaluation_id))
    if row is None:
        raise NotFound(_("evaluation %(id)s not found", id=evaluation_id))
    return row


def list_evaluations(session: Session, plan_id: int) -> list[PolicyEvaluation]:
    return list(session.scalars(select(PolicyEvaluation).where(PolicyEvaluation.plan_id == plan_id)
                                .order_by(PolicyEvaluation.id)))


def _check_score(criterion: str, score: int, record: str) -> None:
    if criterion not in CRITERIA_IDS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(CRITERIA_IDS)), field="criterion",
                               record=record)
    if score not in SCORES:
        raise ValidationFailed(_("score must be between 1 and 5"), field="score", record=record)


def self_assess(session: Session, evaluation_id: int, criterion: str, score: int, text: str = "",
                agency: str | None = None) -> PolicySelfAssessment:
    """An agency scores its own implementation against one criterion (shared with owner and evaluator)."""
    evaluation = get_evaluation(session, evaluation_id)
    org_id = session.info.get("org_id")
    record = f"self-evaluation {criterion}"
    _check_score(criterion, score, record)
    accs = tracking.accountabilities(session, evaluation.plan_id)
    if evaluation.organisation_id == org_id:
        mine = [a for a in accs if agency and agency in (a.agency_key, a.agency_name)]
        if not mine:
            raise ValidationFailed(_("name an agency responsible in this plan"), field="agency", record=record)
    else:
        mine = [a for a in accs if a.agency_org_id == org_id]
        if not mine:
            raise PermissionDenied(_("your organisation is not responsible for tasks of this plan"))
    row = PolicySelfAssessment(evaluation_id=evaluation.id, agency_key=mine[0].agency_key,
                               agency_name=mine[0].agency_name, criterion=criterion, score=score, text=text.strip())
    session.add(row)
    session.flush()
    _share(session, row, evaluation.organisation_id)
    if evaluation.evaluator_org_id is not None:
        _share(session, row, evaluation.evaluator_org_id)
    return row


def evaluator_score(session: Session, evaluation_id: int, criterion: str, score: int, *, scope: str = "plan",
                    comment: str = "") -> PolicyEvaluatorScore:
    """The third-party evaluator's own score (only the appointed evaluator may give it)."""
    evaluation = get_evaluation(session, evaluation_id)
    record = f"score {scope} {criterion}"
    if evaluation.evaluator_org_id is None or evaluation.evaluator_org_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the appointed evaluator can score this evaluation"))
    _check_score(criterion, score, record)
    scopes = {s["scope"] for s in evaluation.template.get("scopes", [])}
    if scope not in scopes:
        raise ValidationFailed(_("unknown scope %(scope)s (use plan, part:N or section:N of the template)",
                                 scope=scope), field="scope", record=record)
    row = PolicyEvaluatorScore(evaluation_id=evaluation.id, scope=scope, criterion=criterion, score=score,
                               comment=comment.strip())
    session.add(row)
    session.flush()
    _share(session, row, evaluation.organisation_id)
    return row


def add_comment(session: Session, evaluation_id: int, text: str, *, author: str = "",
                received_on: date | None = None) -> PolicyPublicComment:
    """Record a public comment (公众参与) received by the plan owner."""
    evaluation = get_evaluation(session, evaluation_id)
    if evaluation.organisation_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the plan owner records public comments"))
    tracking.require_plan_owner_role(session)
    if not text.strip():
        raise ValidationFailed(_("the comment is empty"), field="text", record=author or "public comment")
    row = PolicyPublicComment(evaluation_id=evaluation.id, author=author.strip()[:200], text=text.strip(),
                              received_on=received_on or date.today(), status="approved")
    session.add(row)
    session.flush()
    if evaluation.evaluator_org_id is not None:
        _share(session, row, evaluation.evaluator_org_id)
    return row


#: Public comments: at most this many characters, and per evaluation at most this many pending at once.
MAX_PUBLIC_COMMENT_CHARS = 4000
MAX_PUBLIC_AUTHOR_CHARS = 100
MAX_PENDING_COMMENTS = 500
COMMENT_STATUSES = ("pending", "approved", "rejected")


def set_public_open(session: Session, evaluation_id: int, open_: bool) -> PolicyEvaluation:
    """Open or close the public consultation (``/consult/<id>``) of an evaluation (plan owner)."""
    evaluation = get_evaluation(session, evaluation_id)
    tracking.owned_plan(session, evaluation.plan_id)
    evaluation.public_open = open_
    session.flush()
    return evaluation


def appoint_evaluator(session: Session, evaluation_id: int, evaluator_org_id: int) -> PolicyEvaluation:
    """Appoint (or replace) the third-party evaluator after the evaluation was opened; it gets read access
    to the plan's record, and a replaced evaluator loses the access it had through this evaluation."""
    evaluation = get_evaluation(session, evaluation_id)
    plan = tracking.owned_plan(session, evaluation.plan_id)
    record = evaluation.title
    evaluator = session.get(Organisation, evaluator_org_id)
    if evaluator is None:
        raise ValidationFailed(_("organisation %(id)s not found", id=evaluator_org_id),
                               field="evaluator_organisation_id", record=record)
    if evaluator_org_id == plan.organisation_id:
        raise ValidationFailed(_("the evaluator must be a third party, not the plan owner"),
                               field="evaluator_organisation_id", record=record)
    previous = evaluation.evaluator_org_id
    evaluation.evaluator_org_id = evaluator_org_id
    session.flush()
    if previous is not None and previous != evaluator_org_id:
        withdraw_plan(session, plan, previous)
    share_plan(session, plan, evaluator_org_id)
    return evaluation


def public_evaluation(session: Session, evaluation_id: int) -> PolicyEvaluation:
    """An evaluation open to public comments (404 otherwise: closed consultations are not announced).
    ``session`` is a platform session: the caller is anonymous."""
    row = session.get(PolicyEvaluation, evaluation_id)
    if row is None or not row.public_open:
        raise NotFound(_("evaluation %(id)s not found", id=evaluation_id))
    return row


def submit_public_comment(session: Session, evaluation_id: int, text: str, author: str = "") -> PolicyPublicComment:
    """Anyone submits a comment to an open consultation; it waits (pending) for the owner's moderation.
    ``session`` is a platform session; the row belongs to the plan owner."""
    evaluation = public_evaluation(session, evaluation_id)
    record = "public comment"
    text = text.strip()
    if not text:
        raise ValidationFailed(_("the comment is empty"), field="text", record=record)
    if len(text) > MAX_PUBLIC_COMMENT_CHARS:
        raise ValidationFailed(_("the comment is longer than %(n)s characters", n=MAX_PUBLIC_COMMENT_CHARS),
                               field="text", record=record)
    if len(author.strip()) > MAX_PUBLIC_AUTHOR_CHARS:
        raise ValidationFailed(_("the name is longer than %(n)s characters", n=MAX_PUBLIC_AUTHOR_CHARS),
                               field="author", record=record)
    pending = session.scalars(select(PolicyPublicComment.id).where(
        PolicyPublicComment.evaluation_id == evaluation.id, PolicyPublicComment.status == "pending")).all()
    if len(pending) >= MAX_PENDING_COMMENTS:
        raise ValidationFailed(_("too many comments are waiting for moderation; try again later"), field="text",
                               record=record)
    row = PolicyPublicComment(organisation_id=evaluation.organisation_id, evaluation_id=evaluation.id,
                              author=author.strip(), text=text, received_on=date.today(), status="pending")
    session.add(row)
    session.flush()
    return row


def get_comment(session: Session, comment_id: int) -> PolicyPublicComment:
    row = session.scalar(select(PolicyPublicComment).where(PolicyPublicComment.id == comment_id))
    if row is None:
        raise NotFound(_("comment %(id)s not found", id=comment_id))
    return row


def moderate_comment(session: Session, comment_id: int, status: str) -> PolicyPublicComment:
    """The plan owner approves (it then counts and the evaluator sees it) or rejects a comment."""
    row = get_comment(session, comment_id)
    evaluation = get_evaluation(session, row.evaluation_id)
    tracking.owned_plan(session, evaluation.plan_id)
    if status not in COMMENT_STATUSES[1:]:
        raise ValidationFailed(_("must be one of %(values)s", values="approved, rejected"), field="status",
                               record=f"comment {comment_id}")
    row.status = status
    session.flush()
    if status == "approved" and evaluation.evaluator_org_id is not None:
        _share(session, row, evaluation.evaluator_org_id)
    return row


def _averages(rows: list[Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for criterion in CRITERIA_IDS:
        scores = [r.score for r in rows if r.criterion == criterion]
        if scores:
            out[criterion] = round(sum(scores) / len(scores), 2)
    return out


def workspace(session: Session, evaluation_id: int) -> dict[str, Any]:
    """What the evaluation holds so far: template, self-evaluations, evaluator scores, comments."""
    evaluation = get_evaluation(session, evaluation_id)
    selfs = list(session.scalars(select(PolicySelfAssessment)
                                 .where(PolicySelfAssessment.evaluation_id == evaluation.id)
                                 .order_by(PolicySelfAssessment.id)))
    scores = list(session.scalars(select(PolicyEvaluatorScore)
                                  .where(PolicyEvaluatorScore.evaluation_id == evaluation.id)
                                  .order_by(PolicyEvaluatorScore.id)))
    every = list(session.scalars(select(PolicyPublicComment)
                                 .where(PolicyPublicComment.evaluation_id == evaluation.id)
                                 .order_by(PolicyPublicComment.id)))
    comments = [c for c in every if c.status == "approved"]
    owner = evaluation.organisation_id == session.info.get("org_id")
    return {
        "id": evaluation.id, "plan_id": evaluation.plan_id, "kind": evaluation.kind, "title": evaluation.title,
        "as_of": evaluation.as_of.isoformat(), "evaluator_organisation_id": evaluation.evaluator_org_id,
        "template": evaluation.template,
        "self_assessments": [{"id": r.id, "agency": r.agency_name, "agency_key": r.agency_key,
                              "criterion": r.criterion, "score": r.score, "text": r.text} for r in selfs],
        "evaluator_scores": [{"id": r.id, "scope": r.scope, "criterion": r.criterion, "score": r.score,
                              "comment": r.comment} for r in scores],
        "public_comments": [{"id": r.id, "author": r.author, "text": r.text,
                             "received_on": r.received_on.isoformat()} for r in comments],
        "moderation": [{"id": r.id, "author": r.author, "text": r.text, "status": r.status,
                        "received_on": r.received_on.isoformat()} for r in every
                       if owner and r.status != "approved"],
        "public_open": evaluation.public_open,
        "self_average": _averages(selfs),
        "evaluator_average": _averages([s for s in scores if s.scope == "plan"] or scores),
    }


def _criterion_label(code: str, locale: str) -> str | None:
    found = next((c for c in DAC_CRITERIA if c.id == code), None)
    if found is None:
        return None
    return found.zh if locale == "zh_CN" else found.en


# The criteria carry both languages themselves; pages and reports read them through the label registry.
labels.register_resolver("dac_criterion", _criterion_label)
