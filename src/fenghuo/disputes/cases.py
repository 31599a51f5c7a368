"""Cases (emergency response): open from an alert or by intake, then parties, clocks, tasks,
documents, timeline, links across forums, outcome, and sharing through core grants.

Why children are read through their case: a grant shares the case row; the parties, clocks,
tasks, documents and timeline of a case are loaded only after the case itself passed the
tenancy filter, so one audited grant opens the whole file to a centre, station or expert and
one revocation closes it again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import grants
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.history import record_change
from fenghuo.core.i18n import _
from fenghuo.core.labels import label
from fenghuo.core.models import Grant, Organisation, User, utcnow
from fenghuo.core.settings import get_settings
from fenghuo.disputes.clocks import CASE_CLOCKS, Clock, compute_clock, event_trigger
from fenghuo.disputes.events import KINDS, ROLES
from fenghuo.disputes.models import (
    Case,
    CaseClock,
    CaseDocument,
    CaseLink,
    CaseParty,
    CaseTask,
    CaseTimelineEntry,
    DisputeAlert,
    DisputeAlertHistory,
)
from fenghuo.disputes.playbooks import playbook_for
from fenghuo.disputes.routing import get_alert

STAGES = ("intake", "assessment", "response", "hearing", "decision", "appeal", "closed")
OUTCOMES = ("settled", "won", "lost", "withdrawn", "default_judgment", "consent_order", "exclusion_order",
            "dismissed", "other")
LINK_RELATIONS = ("related_forum", "co_respondent", "same_patent", "appeal")
#: Roles of a party added to a case: an event's roles plus ``co_respondent`` (another company
#: sued alongside the enterprise, the usual party added after intake and the API's default).
CASE_PARTY_ROLES = (*ROLES, "co_respondent")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: Accepted documents: extension → (content types, leading magic bytes or None for text).
DOCUMENT_TYPES: dict[str, tuple[frozenset[str], bytes | None]] = {
    ".pdf": (frozenset({"application/pdf"}), b"%PDF"),
    ".png": (frozenset({"image/png"}), b"\x89PNG"),
    ".jpg": (frozenset({"image/jpeg"}), b"\xff\xd8"),
    ".jpeg": (frozenset({"image/jpeg"}), b"\xff\xd8"),
    ".docx": (frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}), b"PK"),
    ".txt": (frozenset({"text/plain"}), None),
}


@dataclass(frozen=True)
class CaseIntake:
    title: str
    kind: str
    forum: str = ""
    country: str = ""
    number: str = ""
    rights: tuple[str, ...] = ()
    parties: tuple[tuple[str, str], ...] = ()  # (name, role)
    trigger: date | None = None
    temporary_relief: bool = False
    perishable: bool = False


def _timeline(session: Session, case: Case, kind: str, note: str) -> None:
    session.add(CaseTimelineEntry(organisation_id=case.organisation_id, case_id=case.id, kind=kind, note=note))


def get_case(session: Session, case_id: int) -> Case:
    row = session.scalar(select(Case).where(Case.id == case_id))
    if row is None:
        raise NotFound(_("No such case: %(id)s", id=case_id))
    return row


def owned_case(session: Session, case_id: int) -> Case:
    """The case, for a change: only its owner may change it (a grantee reads; 404 if not even that)."""
    row = get_case(session, case_id)
    if row.organisation_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the enterprise that owns the case can change it"))
    return row


def _children(session: Session, model: Any, case_id: int) -> list[Any]:
    stmt = select(model).where(model.case_id == case_id).order_by(model.id)
    return list(session.scalars(stmt, execution_options={"skip_tenancy": True}))


def _add_clock(session: Session, case: Case, clock: Clock) -> CaseClock:
    row = CaseClock(organisation_id=case.organisation_id, case_id=case.id, rule_id=clock.rule_id,
                    trigger=clock.trigger, office=clock.office, due=clock.due, trace=clock.trace)
    session.add(row)
    session.flush()
    _timeline(session, case, "clock", _("%(rule)s due %(due)s", rule=clock.rule_id, due=clock.due))
    return row


def _playbook_tasks(session: Session, case: Case, first_due: date | None) -> None:
    for step in playbook_for(case.kind):
        due = first_due - timedelta(days=step.days_before_clock) if first_due else None
        session.add(CaseTask(organisation_id=case.organisation_id, case_id=case.id, title=str(step.title)[:300],
                             due_on=due, from_playbook=True))


def _org_context(session: Session, org_id: int) -> tuple[str | None, str | None]:
    org = session.get(Organisation, org_id)
    return (org.industry, org.region) if org else (None, None)


def open_case(session: Session, intake: CaseIntake, *, event_on: date | None = None,
              trigger: date | datetime | None = None) -> Case:
    """Open a case by intake: validates, computes the kind's clocks and adds the playbook's tasks."""
    if not intake.title.strip():
        raise ValidationFailed(_("a case needs a title"), field="title")
    if intake.kind not in KINDS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(KINDS)), field="kind")
    for i, (name, role) in enumerate(intake.parties):
        if not name.strip():
            raise ValidationFailed(_("a party needs a name"), field=f"parties[{i}].name")
        if role not in CASE_PARTY_ROLES:
            raise ValidationFailed(_("must be one of %(values)s", values=", ".join(CASE_PARTY_ROLES)),
                                   field=f"parties[{i}].role")
    org_id = session.info.get("org_id")
    industry, province = _org_context(session, int(org_id)) if org_id else (None, None)
    case = Case(title=intake.title.strip()[:500], kind=intake.kind, forum=intake.forum.strip()[:200],
                country=intake.country.strip().upper()[:8], number=intake.number.strip()[:120],
                rights=list(intake.rights), industry=industry, province=province,
                event_on=event_on or intake.trigger)
    session.add(case)
    session.flush()
    for name, role in intake.parties:
        session.add(CaseParty(organisation_id=case.organisation_id, case_id=case.id, name=name.strip()[:500],
                              role=role))
    _timeline(session, case, "opened", _("case opened"))
    start = trigger or intake.trigger
    first_due: date | None = None
    if start is not None:
        for rule_id in CASE_CLOCKS.get(intake.kind, ()):
            office = None if rule_id == "R-FAIR-COMPLAINT" else (case.country or None)
            try:
                clock = compute_clock(rule_id, start, office, temporary_relief=intake.temporary_relief,
                                      perishable=intake.perishable)
            except ValidationFailed as exc:
                raise ValidationFailed(exc.message, field="country" if exc.field == "office" else exc.field) from None
            _add_clock(session, case, clock)
            first_due = first_due or clock.due_date
    _playbook_tasks(session, case, first_due)
    session.flush()
    return case


def open_from_alert(session: Session, alert_id: int) -> Case:
    """Open the enterprise's case from its alert (the alert's event snapshot gives the facts)."""
    alert: DisputeAlert = get_alert(session, alert_id)
    if alert.organisation_id != session.info.get("org_id"):
        raise NotFound(_("No such dispute alert: %(id)s", id=alert_id))
    existing = session.scalar(select(Case).where(Case.alert_id == alert.id))
    if existing is not None:
        return existing
    snap = alert.event_snapshot or {}
    filed = date.fromisoformat(snap["filed_on"]) if snap.get("filed_on") else None
    served = date.fromisoformat(snap["served_on"]) if snap.get("served_on") else None
    parties = tuple((p["name"], p.get("role", "other")) for p in snap.get("parties", []) if p.get("name"))
    intake = CaseIntake(title=alert.title or alert.number, kind=alert.kind, forum=alert.forum, country=alert.country,
                        number=alert.number, rights=tuple(snap.get("rights", [])), parties=parties,
                        temporary_relief=bool(snap.get("temporary_relief")), perishable=bool(snap.get("perishable")))
    trigger = event_trigger(alert.kind, filed, served, None)
    case = open_case(session, intake, event_on=filed, trigger=trigger)
    case.alert_id, case.event_id = alert.id, alert.event_id
    case.opened_at = utcnow()
    record_change(session, DisputeAlertHistory, alert, alert.state, "case_opened")
    alert.state = "case_opened"
    _timeline(session, case, "alert", _("opened from alert %(id)s (%(number)s)", id=alert.id, number=alert.number))
    session.flush()
    return case


def list_cases(session: Session, *, status: str | None = None) -> list[Case]:
    stmt = select(Case).order_by(Case.opened_at.desc(), Case.id.desc())
    if status:
        stmt = stmt.where(Case.status == status)
    return list(session.scalars(stmt))


def add_party(session: Session, case_id: int, name: str, role: str) -> CaseParty:
    case = owned_case(session, case_id)
    if not name.strip():
        raise ValidationFailed(_("a party needs a name"), field="name")
    if role not in CASE_PARTY_ROLES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(CASE_PARTY_ROLES)), field="role")
    row = CaseParty(case_id=case.id, name=name.strip()[:500], role=role)
    session.add(row)
    _timeline(session, case, "party", _("party added: %(name)s (%(role)s)", name=name.strip(),
                                        role=label("party_role", role)))
    session.flush()
    return row


def add_clock(session: Session, case_id: int, rule_id: str, trigger: date | datetime, office: str | None = None,
              *, temporary_relief: bool = False, perishable: bool = False) -> CaseClock:
    case = owned_case(session, case_id)
    clock = compute_clock(rule_id, trigger, office or case.country or None, temporary_relief=temporary_relief,
                          perishable=perishable)
    return _add_clock(session, case, clock)


def _clock(session: Session, case: Case, clock_id: int) -> CaseClock:
    row = next((c for c in _children(session, CaseClock, case.id) if c.id == clock_id), None)
    if row is None:
        raise NotFound(_("No such clock: %(id)s", id=clock_id))
    return row


def meet_clock(session: Session, case_id: int, clock_id: int, *, at: datetime | None = None) -> CaseClock:
    """Record that the act was done: met if on time (by the due date or hour), missed otherwise."""
    case = owned_case(session, case_id)
    row = _clock(session, case, clock_id)
    at = at or utcnow()
    on_time = at.isoformat(timespec="minutes")[: len(row.due)] <= row.due
    row.status, row.met_at = ("met" if on_time else "missed"), at
    _timeline(session, case, "clock", _("%(rule)s %(status)s on %(at)s", rule=row.rule_id,
                                        status=label("clock_status", row.status),
                                        at=at.isoformat(timespec="minutes")))
    session.flush()
    return row


def add_task(session: Session, case_id: int, title: str, *, owner_user_id: int | None = None,
             due_on: date | None = None) -> CaseTask:
    case = owned_case(session, case_id)
    if not title.strip():
        raise ValidationFailed(_("a task needs a title"), field="title")
    if owner_user_id is not None:
        from fenghuo.core.models import Membership

        member = session.scalar(select(Membership).where(Membership.user_id == owner_user_id,
                                                         Membership.organisation_id == case.organisation_id))
        if member is None:
            raise ValidationFailed(_("the owner must be a member of your organisation"), field="owner_user_id")
    row = CaseTask(case_id=case.id, title=title.strip()[:300], owner_user_id=owner_user_id, due_on=due_on)
    session.add(row)
    session.flush()
    return row


def complete_task(session: Session, case_id: int, task_id: int) -> CaseTask:
    case = owned_case(session, case_id)
    row = next((t for t in _children(session, CaseTask, case.id) if t.id == task_id), None)
    if row is None:
        raise NotFound(_("No such task: %(id)s", id=task_id))
    row.done_at = row.done_at or utcnow()
    _timeline(session, case, "task", _("task done: %(title)s", title=row.title))
    session.flush()
    return row


def set_stage(session: Session, case_id: int, stage: str) -> Case:
    case = owned_case(session, case_id)
    if stage not in STAGES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(STAGES)), field="stage")
    case.stage = stage
    _timeline(session, case, "stage", _("stage: %(stage)s", stage=label("case_stage", stage)))
    return case


def set_outcome(session: Session, case_id: int, outcome: str, note: str = "") -> Case:
    case = owned_case(session, case_id)
    if outcome not in OUTCOMES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(OUTCOMES)), field="outcome")
    case.outcome, case.outcome_note = outcome, note.strip() or None
    case.status, case.stage, case.closed_at = "closed", "closed", utcnow()
    _timeline(session, case, "outcome", _("outcome: %(outcome)s", outcome=label("case_outcome", outcome)))
    return case


def link_cases(session: Session, case_id: int, other_case_id: int, relation: str) -> CaseLink:
    """Link the same fight in another forum or a co-respondent's case (which must be visible to you)."""
    case = owned_case(session, case_id)
    if relation not in LINK_RELATIONS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(LINK_RELATIONS)), field="relation")
    if other_case_id == case.id:
        raise ValidationFailed(_("a case cannot be linked to itself"), field="other_case_id")
    try:
        get_case(session, other_case_id)
    except NotFound:
        raise ValidationFailed(_("case %(id)s not found", id=other_case_id), field="other_case_id") from None
    existing = next((lk for lk in _children(session, CaseLink, case.id) if lk.other_case_id == other_case_id), None)
    if existing is not None:
        existing.relation = relation
        return existing
    row = CaseLink(case_id=case.id, other_case_id=other_case_id, relation=relation)
    session.add(row)
    _timeline(session, case, "link", _("linked to case %(id)s (%(relation)s)", id=other_case_id, relation=relation))
    session.flush()
    return row


# --- documents -------------------------------------------------------------------------------------------


def documents_dir() -> Path:
    return get_settings().home / "disputes" / "documents"


def check_document(filename: str, content_type: str, data: bytes) -> str:
    """Refuse oversize, wrong-type and mislabelled uploads; returns the normalized content type."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(_("the file is larger than %(n)s MB", n=MAX_DOCUMENT_BYTES // (1024 * 1024)),
                               field="file", record=filename)
    if not data:
        raise ValidationFailed(_("the file is empty"), field="file", record=filename)
    suffix = Path(filename).suffix.lower()
    allowed = DOCUMENT_TYPES.get(suffix)
    if allowed is None:
        raise ValidationFailed(_("accepted documents: %(types)s", types=", ".join(DOCUMENT_TYPES)), field="file",
                               record=filename)
    types, magic = allowed
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype not in types and ctype != "application/octet-stream":
        raise ValidationFailed(_("%(type)s does not match a %(suffix)s file", type=ctype or "?", suffix=suffix),
                               field="file", record=filename)
    if magic is not None and not data.startswith(magic):
        raise ValidationFailed(_("the content is not a %(suffix)s file", suffix=suffix), field="file",
                               record=filename)
    if magic is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(_("a .txt file must be UTF-8 text"), field="file", record=filename) from None
    return next(iter(types))


def add_document(session: Session, case_id: int, filename: str, content_type: str, data: bytes) -> CaseDocument:
    case = owned_case(session, case_id)
    ctype = check_document(filename, content_type, data)
    digest = hashlib.sha256(data).hexdigest()
    folder = documents_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        target.write_bytes(data)
    safe = Path(filename).name[:255] or "document"
    row = CaseDocument(case_id=case.id, filename=safe, content_type=ctype, size=len(data), sha256=digest)
    session.add(row)
    _timeline(session, case, "document", _("document uploaded: %(name)s", name=safe))
    session.flush()
    return row


def read_document(session: Session, case_id: int, document_id: int) -> tuple[CaseDocument, bytes]:
    case = get_case(session, case_id)
    row = next((d for d in _children(session, CaseDocument, case.id) if d.id == document_id), None)
    if row is None:
        raise NotFound(_("No such document: %(id)s", id=document_id))
    return row, (documents_dir() / row.sha256).read_bytes()


# --- sharing ---------------------------------------------------------------------------------------------


def share_case(session: Session, case_id: int, grantee_org_id: int) -> Grant:
    """Share the case read-only with a centre, station or expert organisation (audited grant)."""
    case = owned_case(session, case_id)
    row = grants.grant(session, case, grantee_org_id, "read")
    grantee = session.get(Organisation, grantee_org_id)
    _timeline(session, case, "shared", _("shared with %(org)s", org=grantee.name if grantee else grantee_org_id))
    return row


def unshare_case(session: Session, case_id: int, grant_id: int) -> None:
    case = owned_case(session, case_id)
    row = next((g for g in grants.grants_for_object(session, Case.__tablename__, case.id) if g.id == grant_id), None)
    if row is None:
        raise NotFound(_("grant %(id)s not found", id=grant_id))
    grants.revoke_grant(session, grant_id)
    _timeline(session, case, "shared", _("sharing %(id)s revoked", id=grant_id))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def case_dict(session: Session, case: Case, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": case.id, "title": case.title, "kind": case.kind, "forum": case.forum, "country": case.country,
        "number": case.number, "rights": list(case.rights or []), "stage": case.stage, "status": case.status,
        "outcome": case.outcome, "outcome_note": case.outcome_note, "alert_id": case.alert_id,
        "opened_at": _iso(case.opened_at), "closed_at": _iso(case.closed_at),
        "owned": case.organisation_id == session.info.get("org_id"),
    }
    if not detail:
        return out
    users = {u.id: u.email for u in session.scalars(select(User))}
    out["parties"] = [{"id": p.id, "name": p.name, "role": p.role} for p in _children(session, CaseParty, case.id)]
    out["clocks"] = [{"id": c.id, "rule_id": c.rule_id, "trigger": c.trigger, "office": c.office, "due": c.due,
                      "status": c.status, "met_at": _iso(c.met_at), "trace": c.trace}
                     for c in _children(session, CaseClock, case.id)]
    out["tasks"] = [{"id": t.id, "title": t.title, "owner": users.get(t.owner_user_id) if t.owner_user_id else None,
                     "due_on": _iso(t.due_on), "done_at": _iso(t.done_at), "from_playbook": t.from_playbook}
                    for t in _children(session, CaseTask, case.id)]
    out["documents"] = [{"id": d.id, "filename": d.filename, "content_type": d.content_type, "size": d.size,
                         "uploaded_at": _iso(d.uploaded_at)} for d in _children(session, CaseDocument, case.id)]
    out["timeline"] = [{"at": _iso(e.at), "kind": e.kind, "note": e.note}
                       for e in _children(session, CaseTimelineEntry, case.id)]
    out["links"] = [{"id": lk.id, "other_case_id": lk.other_case_id, "relation": lk.relation}
                    for lk in _children(session, CaseLink, case.id)]
    if out["owned"]:
        names = {o.id: o.name for o in session.scalars(select(Organisation))}
        out["shared_with"] = [{"grant_id": g.id, "organisation_id": g.grantee_organisation_id,
                               "organisation": names.get(g.grantee_organisation_id)}
                              for g in grants.grants_for_object(session, Case.__tablename__, case.id)
                              if g.revoked_at is None]
    return out
