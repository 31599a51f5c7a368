"""From an event to the people who must act: match its parties, queue borderline matches, alert.

Why this runs as a system step (a platform session): an event belongs to the organisation that
took it in, while the enterprises it names and their guidance-centre branches are other
organisations. The step reads every enterprise's registered identity, writes the matches into
the intake organisation (its review queue) and writes alerts into each recipient organisation —
each alert a snapshot with its reasons and first legal clock, so nobody gains access to anybody
else's rows. Review decisions are taken in the reviewer's own session.

Events from organisations that are not guidance centres, stations or platform feeds are not
routed at all until a guidance centre accepts them (:func:`review_event`): an enterprise or an
insurer could otherwise plant alerts and deadlines in a competitor's inbox, and learn from the
answer whether a name belongs to a registered enterprise. The matches of an event accepted that
way belong to the accepting centre — the submitter never sees who was matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fenghuo.core import audit
from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.history import history_dicts, record_change
from fenghuo.core.i18n import _
from fenghuo.core.models import Organisation, OrgKind, utcnow
from fenghuo.core.tenancy import platform_scope
from fenghuo.disputes import entities
from fenghuo.disputes.clocks import first_clock
from fenghuo.disputes.events import TARGET_ROLES, event_dict
from fenghuo.disputes.models import (
    DisputeAlert,
    DisputeAlertHistory,
    DisputeEvent,
    EnterpriseIdentity,
    Notification,
    PartyMatch,
)

BATCH_PARTIES = 50  # more target parties than this: link them as a batch (entities.batch)


@dataclass
class RoutingSummary:
    matched: int = 0
    queued: int = 0
    alerts: int = 0
    alert_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Enterprise:
    org: Organisation
    identity: entities.EnterpriseIdentity
    marks: tuple[str, ...]


def _enterprises(session: Session) -> list[_Enterprise]:
    rows = session.execute(
        select(Organisation, EnterpriseIdentity)
        .outerjoin(EnterpriseIdentity, EnterpriseIdentity.organisation_id == Organisation.id)
        .where(Organisation.kind == OrgKind.ENTERPRISE.value)
    ).all()
    out = []
    for org, ident in rows:
        names = (org.name, *(ident.names if ident else []))
        aliases = tuple(ident.aliases) if ident else ()
        out.append(_Enterprise(org, entities.EnterpriseIdentity(
            org.id, tuple(names), aliases, ident.uscc if ident else None, ident.lei if ident else None),
            tuple((ident.marks or []) + (ident.products or [])) if ident else ()))
    return out


def _mentions(text: str, term: str) -> bool:
    return bool(term.strip()) and re.search(rf"(?<!\w){re.escape(term.strip())}(?!\w)", text, re.I) is not None


def _targets(event: DisputeEvent) -> list[tuple[str, str, str]]:
    """(name, role, context) of the parties that must act, plus Schedule A store names."""
    out = [(p["name"], p.get("role", "respondent"), p.get("context", "")) for p in event.parties or []
           if p.get("role", "respondent") in TARGET_ROLES]
    out += [(s, "defendant", "store") for s in event.stores or [] if s not in {n for n, _r, _c in out}]
    return out


def branches_for(session: Session, enterprise: Organisation) -> list[Organisation]:
    """Guidance-centre branches (centres with a parent) responsible for the enterprise's region or industry."""
    conditions = []
    if enterprise.region:
        conditions.append(Organisation.region == enterprise.region)
    if enterprise.industry:
        conditions.append(Organisation.industry == enterprise.industry)
    if not conditions:
        return []
    return list(session.scalars(select(Organisation).where(
        Organisation.kind == OrgKind.GUIDANCE_CENTRE.value, Organisation.parent_id.is_not(None),
        or_(*conditions)).order_by(Organisation.id)))


def _alert(session: Session, event: DisputeEvent, match: PartyMatch, enterprise: Organisation,
           recipient: Organisation, role: str) -> DisputeAlert | None:
    existing = session.scalar(select(DisputeAlert).where(
        DisputeAlert.organisation_id == recipient.id, DisputeAlert.event_id == event.id,
        DisputeAlert.enterprise_org_id == enterprise.id))
    if existing is not None:
        return None
    clock = first_clock(event.kind, country=event.country, filed_on=event.filed_on, served_on=event.served_on,
                        received_at=event.received_at, temporary_relief=event.temporary_relief,
                        perishable=event.perishable)
    row = DisputeAlert(organisation_id=recipient.id, event_id=event.id, enterprise_org_id=enterprise.id,
                       recipient=role, kind=event.kind, number=event.number, title=event.title,
                       forum=event.forum, country=event.country, party_name=match.party_name,
                       enterprise_name=enterprise.name, reasons=list(match.reasons or []),
                       clock_rule=clock.rule_id if clock else None, clock_due=clock.due if clock else None,
                       clock_trace=clock.trace if clock else [], event_snapshot=event_dict(event))
    session.add(row)
    session.flush()
    due = _(" — first deadline %(due)s (%(rule)s)", due=clock.due, rule=clock.rule_id) if clock else ""
    title = _("%(enterprise)s named in %(number)s", enterprise=enterprise.name, number=event.number)
    session.add(Notification(organisation_id=recipient.id, kind="dispute_alert", title=title + due,
                             body=event.title, link=f"/disputes/alerts/{row.id}"))
    return row


def raise_alerts(session: Session, event: DisputeEvent, match: PartyMatch) -> list[DisputeAlert]:
    """Alert the enterprise and its responsible branches (idempotent per recipient and event)."""
    enterprise = session.get(Organisation, match.enterprise_org_id)
    if enterprise is None:
        return []
    made = []
    for recipient, role in [(enterprise, "enterprise"), *((b, "branch") for b in branches_for(session, enterprise))]:
        row = _alert(session, event, match, enterprise, recipient, role)
        if row is not None:
            made.append(row)
    return made


def _reason_dicts(reasons: tuple[entities.MatchReason, ...]) -> list[dict[str, str]]:
    return [{"signal": r.signal, "message": r.message} for r in reasons]


def route_event(event_id: int, *, engine: Engine | None = None) -> RoutingSummary:
    """Match an event's target parties to registered enterprises; alert on matches, queue borderline."""
    summary = RoutingSummary()
    with session_scope(org_id=None, platform_admin=True, actor_label="disputes routing", engine=engine) as s:
        event = s.get(DisputeEvent, event_id)
        if event is None:
            raise NotFound(_("No such dispute event: %(id)s", id=event_id))
        if (event.review_status or "accepted") != "accepted":
            return summary  # waits for a guidance centre (or was rejected): no matching, no alerts
        #: Matches of an event a centre accepted belong to that centre, not to the submitter.
        owner = event.reviewed_by_org_id or event.organisation_id
        known = _enterprises(s)
        text = " ".join([event.title, *(event.rights or []), *(event.products or []), *(event.stores or [])])
        found: dict[tuple[str, int], tuple[float, str, list[dict[str, str]], str]] = {}
        targets = _targets(event)
        identities = [e.identity for e in known]
        if len(targets) > BATCH_PARTIES:  # a feed's Schedule A: splink blocking instead of every pair
            from fenghuo.disputes.entities.batch import link_batch

            for b in link_batch([t[0] for t in targets], identities, contexts=[t[2] for t in targets]):
                name, role = targets[b.party_index][0], targets[b.party_index][1]
                found[(name, int(b.enterprise_id))] = (b.score, b.decision, _reason_dicts(b.reasons), role)
        else:
            for name, role, context in targets:
                for m in entities.best_matches(name, identities, context=context):
                    key = (name, int(m.enterprise_id))
                    found[key] = (m.score, m.decision, _reason_dicts(m.reasons), role)
        for ent in known:
            for term in ent.marks:
                if _mentions(text, term) and not any(k[1] == ent.org.id for k in found):
                    found[(term, ent.org.id)] = (0.9, "match", [{"signal": "mark", "message": _(
                        "mark or product %(term)s named in the event", term=term)}], "respondent")
        for (name, org_id), (score, decision, reasons, role) in found.items():
            match = s.scalar(select(PartyMatch).where(PartyMatch.event_id == event.id,
                                                      PartyMatch.party_name == name[:500],
                                                      PartyMatch.enterprise_org_id == org_id))
            if match is None:
                match = PartyMatch(organisation_id=owner, event_id=event.id, party_name=name[:500],
                                   party_role=role, enterprise_org_id=org_id, score=score, decision=decision,
                                   status="auto" if decision == "match" else "pending", reasons=reasons)
                s.add(match)
                s.flush()
            if match.status in ("auto", "confirmed"):
                summary.matched += 1
                made = raise_alerts(s, event, match)
                summary.alerts += len(made)
                summary.alert_ids += [a.id for a in made]
            elif match.status == "pending":
                summary.queued += 1
    return summary


# --- intake review: events of untrusted submitters ----------------------------------------------------


REVIEWER_KINDS = frozenset({OrgKind.GUIDANCE_CENTRE.value})
REVIEW_DECISIONS = ("accept", "reject")


def is_reviewer(session: Session) -> bool:
    """Guidance centres (the national centre and its branches) review submitted events."""
    org = session.get(Organisation, session.info.get("org_id") or -1)
    return org is not None and org.kind in REVIEWER_KINDS


def intake_queue(session: Session, *, status: str = "pending", limit: int = 500) -> list[dict[str, object]]:
    """Submitted events waiting for (or decided by) review, with the submitting organisation.

    Only guidance centres see it; the events belong to their submitters, so the read is a
    platform-scoped one (audited on PostgreSQL) limited to the review columns' states.
    """
    if not is_reviewer(session):
        raise PermissionDenied(_("only a guidance centre reviews submitted events"))
    if status not in ("pending", "accepted", "rejected"):
        raise ValidationFailed(_("must be one of %(values)s", values="pending, accepted, rejected"), field="status")
    with platform_scope(session):
        stmt = select(DisputeEvent, Organisation.name, Organisation.kind).join(
            Organisation, Organisation.id == DisputeEvent.organisation_id).where(
            DisputeEvent.review_status == status)
        if status != "pending":  # decided ones: what this centre decided
            stmt = stmt.where(DisputeEvent.reviewed_by_org_id == session.info.get("org_id"))
        rows = session.execute(stmt.order_by(DisputeEvent.updated_at.desc(), DisputeEvent.id.desc())
                               .limit(limit)).all()
        return [{**event_dict(e), "submitter_org_id": e.organisation_id, "submitter": name,
                 "submitter_kind": kind, "submitted_at": e.updated_at.isoformat() if e.updated_at else None}
                for e, name, kind in rows]


def announce_pending(event_ids: list[int], *, engine: Engine | None = None) -> int:
    """Tell the guidance centres (the national centre: centres without a parent, else every centre)
    that submitted events wait for their review; returns the number of notifications."""
    if not event_ids:
        return 0
    made = 0
    with session_scope(org_id=None, platform_admin=True, actor_label="disputes intake", engine=engine) as s:
        centres = list(s.scalars(select(Organisation).where(Organisation.kind == OrgKind.GUIDANCE_CENTRE.value)
                                 .order_by(Organisation.id)))
        centres = [c for c in centres if c.parent_id is None] or centres
        for event_id in event_ids:
            event = s.get(DisputeEvent, event_id)
            submitter = s.get(Organisation, event.organisation_id) if event is not None else None
            if event is None or event.review_status != "pending" or submitter is None:
                continue
            for centre in centres:
                s.add(Notification(organisation_id=centre.id, kind="event_review", link="/disputes",
                                   title=_("Dispute event %(number)s reported by %(org)s awaits your review",
                                           number=event.number, org=submitter.name)))
                made += 1
    return made


def review_event(org_id: int, user_id: int | None, event_id: int, decision: str, reason: str = "", *,
                 engine: Engine | None = None) -> dict[str, object]:
    """A guidance centre accepts (matching and alerting now) or rejects (with a reason) a submitted event.

    Audited twice: the event's row change (in the submitter's log) and a review entry in the
    centre's log; the submitter gets an in-app notification of the decision, never the matches.
    """
    if decision not in REVIEW_DECISIONS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(REVIEW_DECISIONS)),
                               field="decision")
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise ValidationFailed(_("say why the event is rejected"), field="reason", record=str(event_id))
    if len(reason) > 2000:
        raise ValidationFailed(_("at most %(n)s characters", n=2000), field="reason", record=str(event_id))
    with session_scope(org_id=org_id, user_id=user_id, engine=engine) as s:
        if not is_reviewer(s):
            raise NotFound(_("No such dispute event: %(id)s", id=event_id))
        with platform_scope(s):
            event = s.get(DisputeEvent, event_id)
            if event is None or event.review_status == "accepted" and event.reviewed_by_org_id is None:
                raise NotFound(_("No such dispute event: %(id)s", id=event_id))
            if event.review_status != "pending":
                raise ValidationFailed(_("this event was already decided (%(status)s)", status=event.review_status),
                                       field="decision", record=str(event_id))
            event.review_status = "accepted" if decision == "accept" else "rejected"
            event.review_reason = reason or None
            event.reviewed_by_org_id, event.reviewed_by_user_id, event.reviewed_at = org_id, user_id, utcnow()
            title = (_("Your dispute event %(number)s was accepted by the guidance centre", number=event.number)
                     if decision == "accept" else
                     _("Your dispute event %(number)s was rejected by the guidance centre", number=event.number))
            s.add(Notification(organisation_id=event.organisation_id, kind="event_review", title=title,
                               body=reason, link=None))
            s.flush()
            result = {**event_dict(event), "submitter_org_id": event.organisation_id}
        audit.record(s, f"event.{event.review_status}", "disputes_events", event_id,
                     after={"review_status": event.review_status, "reason": reason or None,
                            "submitter_org_id": event.organisation_id}, organisation_id=org_id)
    if decision == "accept":
        routed = route_event(event_id, engine=engine)
        result.update({"alerts": routed.alerts, "matched": routed.matched, "queued": routed.queued})
    return result


def review_queue(session: Session) -> list[PartyMatch]:
    return list(session.scalars(select(PartyMatch).where(PartyMatch.status == "pending")
                                .order_by(PartyMatch.score.desc(), PartyMatch.id)))


def review_match(org_id: int, user_id: int | None, match_id: int, decision: str, *,
                 engine: Engine | None = None) -> tuple[dict[str, object], int]:
    """Confirm (alerting now) or reject a queued match; returns the match and the number of alerts raised."""
    if decision not in ("confirm", "reject"):
        raise ValidationFailed(_("must be one of %(values)s", values="confirm, reject"), field="decision")
    with session_scope(org_id=org_id, user_id=user_id, engine=engine) as s:
        match = s.scalar(select(PartyMatch).where(PartyMatch.id == match_id))
        if match is None or match.organisation_id != org_id:
            raise NotFound(_("No such match: %(id)s", id=match_id))
        if match.status != "pending":
            raise ValidationFailed(_("this match was already decided (%(status)s)", status=match.status),
                                   field="decision", record=str(match_id))
        match.status = "confirmed" if decision == "confirm" else "rejected"
        match.reviewed_by_user_id, match.reviewed_at = user_id, utcnow()
        s.flush()
        result = match_dict(match)
        event_id = match.event_id
    alerts = 0
    if decision == "confirm":
        with session_scope(org_id=None, platform_admin=True, actor_label="disputes routing", engine=engine) as s:
            event = s.get(DisputeEvent, event_id)
            row = s.get(PartyMatch, match_id)
            if event is not None and row is not None:
                alerts = len(raise_alerts(s, event, row))
    return result, alerts


ALERT_STATES = ("new", "acknowledged", "case_opened", "dismissed")


def list_alerts(session: Session, *, state: str | None = None) -> list[DisputeAlert]:
    stmt = select(DisputeAlert).order_by(DisputeAlert.created_at.desc(), DisputeAlert.id.desc())
    if state:
        stmt = stmt.where(DisputeAlert.state == state)
    return list(session.scalars(stmt))


def get_alert(session: Session, alert_id: int) -> DisputeAlert:
    row = session.scalar(select(DisputeAlert).where(DisputeAlert.id == alert_id))
    if row is None:
        raise NotFound(_("No such dispute alert: %(id)s", id=alert_id))
    return row


def set_alert_state(session: Session, alert_id: int, state: str, reason: str | None = None) -> DisputeAlert:
    """Acknowledge, dismiss (with a reason) or reopen an alert; the change goes into its history."""
    if state not in ALERT_STATES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(ALERT_STATES)), field="state")
    row = get_alert(session, alert_id)
    reason = (reason or "").strip() or None
    if state == "dismissed" and not reason and row.state != "dismissed":
        raise ValidationFailed(_("give a reason to dismiss an alert"), field="reason", record=str(alert_id))
    if row.state != state or reason:
        record_change(session, DisputeAlertHistory, row, row.state, state, reason)
    row.state = state
    return row


def alert_history(session: Session, alert: DisputeAlert) -> list[dict[str, Any]]:
    """Who moved the alert, when, from which state to which, and why (oldest first)."""
    return history_dicts(session, DisputeAlertHistory, alert.id)


def alert_dict(row: DisputeAlert) -> dict[str, object]:
    return {"id": row.id, "event_id": row.event_id, "recipient": row.recipient, "kind": row.kind,
            "number": row.number, "title": row.title, "forum": row.forum, "country": row.country,
            "party_name": row.party_name, "enterprise_org_id": row.enterprise_org_id,
            "enterprise_name": row.enterprise_name, "reasons": list(row.reasons or []),
            "clock_rule": row.clock_rule, "clock_due": row.clock_due, "clock_trace": list(row.clock_trace or []),
            "state": row.state, "created_at": row.created_at.isoformat() if row.created_at else None}


def match_dict(row: PartyMatch) -> dict[str, object]:
    return {"id": row.id, "event_id": row.event_id, "party_name": row.party_name, "party_role": row.party_role,
            "enterprise_org_id": row.enterprise_org_id, "score": row.score, "decision": row.decision,
            "status": row.status, "reasons": list(row.reasons or []),
            "reviewed_at": row.reviewed_at.isoformat() if isinstance(row.reviewed_at, datetime) else None}


def save_identity(session: Session, *, names: list[str], aliases: list[str], uscc: str | None, lei: str | None,
                  marks: list[str], products: list[str]) -> EnterpriseIdentity:
    """Register (or replace) the calling enterprise's identity used for matching."""
    if uscc and not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", uscc.strip().upper()):
        raise ValidationFailed(_("a unified social credit code has 18 characters"), field="uscc")
    if lei and not re.fullmatch(r"[0-9A-Z]{18}\d{2}", lei.strip().upper()):
        raise ValidationFailed(_("an LEI has 20 characters"), field="lei")
    row = session.scalar(select(EnterpriseIdentity).where(
        EnterpriseIdentity.organisation_id == session.info.get("org_id")))
    if row is None:
        row = EnterpriseIdentity()
        session.add(row)
    clean = lambda values: [v.strip()[:300] for v in values if v.strip()]  # noqa: E731
    row.names, row.aliases, row.marks, row.products = clean(names), clean(aliases), clean(marks), clean(products)
    row.uscc = uscc.strip().upper() if uscc else None
    row.lei = lei.strip().upper() if lei else None
    session.flush()
    return row
