"""Dispute early-warning and emergency-response tables.

Every table is organisation-owned (``TenantScoped``): an event belongs to the organisation that
took it in (a guidance centre monitoring feeds, or an enterprise entering its own customs
notice, matched only once a guidance centre accepts it); an alert belongs to the organisation
it warns; a case to the enterprise defending it; a station's complaints to the station; a
policy to the insurer that issued it (granted to the insured enterprise, listed there once
accepted); a claim to the enterprise (granted to the insurer). Visibility across
organisations only ever comes from ``core.grants``, so the central tenancy filter is the single
rule that decides who sees what.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fenghuo.core.models import Base, TenantScoped, UTCDateTime, utcnow


class DisputeEvent(TenantScoped, Base):
    """One dispute signal: an ITC 337 complaint, a court docket, a customs notice, a fair warning."""

    __tablename__ = "disputes_events"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "number", name="uq_disputes_events_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    #: Natural key inside its kind: investigation number, docket number, notice reference.
    number: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(40), default="import")
    title: Mapped[str] = mapped_column(String(500), default="")
    forum: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(8), default="")
    filed_on: Mapped[date | None] = mapped_column(Date, default=None)
    served_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: When a complaint or warning was handed over (hour clocks such as R-FAIR-COMPLAINT).
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    temporary_relief: Mapped[bool] = mapped_column(default=False)
    perishable: Mapped[bool] = mapped_column(default=False)
    #: [{"name": str, "role": "complainant"|"respondent"|..., "context": str}]
    parties: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rights: Mapped[list[str]] = mapped_column(JSON, default=list)  # patents, marks
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    stores: Mapped[list[str]] = mapped_column(JSON, default=list)  # Schedule A store names
    url: Mapped[str | None] = mapped_column(String(500), default=None)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: accepted (matched and alerted) | pending (waits for a guidance centre) | rejected. Events of
    #: organisations other than centres, stations and platform feeds start pending: see routing.
    review_status: Mapped[str] = mapped_column(String(12), default="accepted", server_default="accepted",
                                               index=True)
    review_reason: Mapped[str | None] = mapped_column(Text, default=None)
    #: The centre that accepted or rejected it (it owns the matches of an event it accepted).
    reviewed_by_org_id: Mapped[int | None] = mapped_column(Integer, default=None)
    reviewed_by_user_id: Mapped[int | None] = mapped_column(Integer, default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)


class EnterpriseIdentity(TenantScoped, Base):
    """What an enterprise registers so events can find it: aliases, USCC, LEI, marks, products."""

    __tablename__ = "disputes_identities"
    __table_args__ = (UniqueConstraint("organisation_id", name="uq_disputes_identities_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    names: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    uscc: Mapped[str | None] = mapped_column(String(18), default=None)
    lei: Mapped[str | None] = mapped_column(String(20), default=None)
    marks: Mapped[list[str]] = mapped_column(JSON, default=list)
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PartyMatch(TenantScoped, Base):
    """A party of an event matched to an enterprise, with its reasons; borderline ones await review."""

    __tablename__ = "disputes_matches"
    __table_args__ = (UniqueConstraint("event_id", "party_name", "enterprise_org_id", name="uq_disputes_matches_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("disputes_events.id", ondelete="CASCADE"), index=True)
    party_name: Mapped[str] = mapped_column(String(500))
    party_role: Mapped[str] = mapped_column(String(40), default="respondent")
    enterprise_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(default=0.0)
    decision: Mapped[str] = mapped_column(String(10))  # match | review
    #: auto (matched, alerted) | pending (review queue) | confirmed | rejected
    status: Mapped[str] = mapped_column(String(12), default="pending")
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    reviewed_by_user_id: Mapped[int | None] = mapped_column(Integer, default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DisputeAlert(TenantScoped, Base):
    """An alert to one organisation (the enterprise or its guidance-centre branch) about one event.

    It carries a snapshot of the event and its first legal clock so the recipient needs no access
    to the event row, which stays with the organisation that took it in.
    """

    __tablename__ = "disputes_alerts"
    __table_args__ = (
        UniqueConstraint("organisation_id", "event_id", "enterprise_org_id", name="uq_disputes_alerts_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("disputes_events.id", ondelete="CASCADE"), index=True)
    enterprise_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(20), default="enterprise")  # enterprise | branch
    kind: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(500), default="")
    forum: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(8), default="")
    party_name: Mapped[str] = mapped_column(String(500), default="")
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    clock_rule: Mapped[str | None] = mapped_column(String(40), default=None)
    clock_due: Mapped[str | None] = mapped_column(String(32), default=None)  # date or datetime, ISO
    clock_trace: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default="new")  # new | acknowledged | case_opened | dismissed
    event_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DisputeAlertHistory(TenantScoped, Base):
    """One review step of a dispute alert: who, when, from which state to which, and why."""

    __tablename__ = "disputes_alert_history"
    __audited__ = False  # the alert's own change is audited; this row is its readable trace

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("disputes_alerts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    actor: Mapped[str] = mapped_column(String(320), default="")
    from_state: Mapped[str | None] = mapped_column(String(20), default=None)
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(TenantScoped, Base):
    """An enterprise's dispute case: forum, stage, rights, parties, clocks, tasks, documents, outcome."""

    __tablename__ = "disputes_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    forum: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(8), default="")
    number: Mapped[str] = mapped_column(String(120), default="")
    rights: Mapped[list[str]] = mapped_column(JSON, default=list)
    stage: Mapped[str] = mapped_column(String(40), default="intake")
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | closed
    outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    outcome_note: Mapped[str | None] = mapped_column(Text, default=None)
    alert_id: Mapped[int | None] = mapped_column(Integer, default=None)
    event_id: Mapped[int | None] = mapped_column(Integer, default=None)
    industry: Mapped[str | None] = mapped_column(String(100), default=None)
    province: Mapped[str | None] = mapped_column(String(100), default=None)
    event_on: Mapped[date | None] = mapped_column(Date, default=None)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class CaseParty(TenantScoped, Base):
    __tablename__ = "disputes_case_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("disputes_cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(30))


class CaseClock(TenantScoped, Base):
    """A legal clock computed by the deadline engine from a cited rule, with its trace."""

    __tablename__ = "disputes_case_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("disputes_cases.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(40))
    trigger: Mapped[str] = mapped_column(String(32))
    office: Mapped[str | None] = mapped_column(String(8), default=None)
    due: Mapped[str] = mapped_column(String(32))
    trace: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | met | missed
    met_at: Mapped[datetime | None] = mapped_column(default=None)


class CaseTask(TenantScoped, Base):
    __tablename__ = "disputes_case_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("disputes_cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    from_playbook: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(default=None)


class CaseDocument(TenantScoped, Base):
    """An uploaded document; the bytes live under FENGHUO_HOME/disputes/documents by SHA-256."""

    __tablename__ = "disputes_case_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("disputes_cases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseTimelineEntry(TenantScoped, Base):
    __tablename__ = "disputes_case_timeline"
    __audited__ = False  # the timeline itself is a record of what happened

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("disputes_cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")


class CaseLink(TenantScoped, Base):
    """The same fight in another forum (ITC ↔ PTAB ↔ court) or a co-respondent's case (joint defence)."""

    __tablename__ = "disputes_case_links"
    __table_args__ = (UniqueConstraint("case_id", "other_case_id", name="uq_disputes_case_links_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("disputes_cases.id", ondelete="CASCADE"), index=True)
    other_case_id: Mapped[int] = mapped_column(ForeignKey("disputes_cases.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(30), default="related_forum")


class Station(TenantScoped, Base):
    """An exhibition IP service station at one fair session."""

    __tablename__ = "disputes_stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair: Mapped[str] = mapped_column(String(300))
    venue: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    staff: Mapped[list[str]] = mapped_column(JSON, default=list)


class FairComplaint(TenantScoped, Base):
    """A complaint received at a station; the exhibitor has 24 hours to answer (R-FAIR-COMPLAINT)."""

    __tablename__ = "disputes_fair_complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("disputes_stations.id", ondelete="CASCADE"), index=True)
    complainant: Mapped[str] = mapped_column(String(300))
    respondent: Mapped[str] = mapped_column(String(300))
    booth: Mapped[str] = mapped_column(String(50), default="")
    right_type: Mapped[str] = mapped_column(String(20), default="patent")
    right_number: Mapped[str] = mapped_column(String(100), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answer_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[str] = mapped_column(String(20), default="pending")
    closed_at: Mapped[datetime | None] = mapped_column(default=None)


class InsurancePolicy(TenantScoped, Base):
    """Owned by the insurer that issued it; granted to the insured enterprise on creation, and in
    the enterprise's list of policies only once it accepted the offer (``status``)."""

    __tablename__ = "disputes_policies"
    __table_args__ = (UniqueConstraint("organisation_id", "number", name="uq_disputes_policies_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100))
    insured_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    limit_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2, asdecimal=True))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: pending (offered, waiting for the enterprise) | accepted | declined
    status: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending")
    responded_at: Mapped[datetime | None] = mapped_column(default=None)
    responded_by_user_id: Mapped[int | None] = mapped_column(Integer, default=None)


class InsuranceClaim(TenantScoped, Base):
    """Owned by the insured enterprise; granted to the policy's insurer when filed."""

    __tablename__ = "disputes_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("disputes_policies.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("disputes_cases.id", ondelete="SET NULL"), default=None)
    costs_incurred: Mapped[Decimal] = mapped_column(Numeric(14, 2, asdecimal=True))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[str] = mapped_column(String(20), default="filed")  # filed | accepted | paid | rejected
    note: Mapped[str] = mapped_column(Text, default="")
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(TenantScoped, Base):
    """An in-app notification to an organisation (``user_id`` None = every member)."""

    __tablename__ = "disputes_notifications"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), default=None)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    emailed_at: Mapped[datetime | None] = mapped_column(default=None)


class NotificationPreference(TenantScoped, Base):
    """Per-user delivery: e-mail immediately or in a daily digest, and an optional signed webhook."""

    __tablename__ = "disputes_notification_prefs"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id", name="uq_disputes_notification_prefs_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    email_mode: Mapped[str] = mapped_column(String(10), default="off")  # off | immediate | digest
    webhook_url: Mapped[str | None] = mapped_column(String(500), default=None)
    webhook_secret: Mapped[str | None] = mapped_column(String(100), default=None)
    last_digest_at: Mapped[datetime | None] = mapped_column(default=None)


class QuarantinedRecord(TenantScoped, Base):
    """A bad record of a bulk import or feed, kept until a later import of the same source fixes it.

    ``source`` is where it came from (the file name, or the feed: usitc, courtlistener); ``record_key``
    is its docket/notice number when it had one, else its position ("row 7"). A later import of the
    same source that stores the same number (or, for a number-less record, reports no error at the
    same position) marks it resolved.
    """

    __tablename__ = "disputes_quarantine"
    __table_args__ = (UniqueConstraint("organisation_id", "source", "record_key", name="uq_disputes_quarantine_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(255))
    record_key: Mapped[str] = mapped_column(String(200))
    record: Mapped[str] = mapped_column(String(300), default="")
    number: Mapped[str] = mapped_column(String(120), default="")
    field: Mapped[str] = mapped_column(String(100), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    seen_count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_event_id: Mapped[int | None] = mapped_column(Integer, default=None)
