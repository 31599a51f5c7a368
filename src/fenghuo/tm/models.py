"""Trademark early-warning tables.

The register (``RegisterMark``) is public data shared by every organisation, so it is not
tenant-scoped and not audited row by row (an ingest run is the audited unit). What an
enterprise watches, its alerts and its watch runs are its own: they inherit ``TenantScoped``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fenghuo.core.models import Base, TenantScoped, utcnow


class AlertState(StrEnum):
    NEW = "new"
    REVIEWING = "reviewing"
    ACTION_TAKEN = "action_taken"
    DISMISSED = "dismissed"


class RegisterMark(Base):
    """One normalized register record (``fenghuo.tm.records.RegisterRecord``) as stored."""

    __tablename__ = "tm_register_marks"
    __audited__ = False
    __table_args__ = (
        Index("ix_tm_register_office_app", "office", "application_number"),
        Index("ix_tm_register_applicant", "applicant_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    global_id: Mapped[str] = mapped_column(String(120), unique=True)
    office: Mapped[str] = mapped_column(String(8))
    application_number: Mapped[str] = mapped_column(String(64))
    registration_number: Mapped[str | None] = mapped_column(String(64), default=None)
    mark_text: Mapped[str] = mapped_column(String(500), default="")
    feature: Mapped[str] = mapped_column(String(20), default="unknown")
    status: Mapped[str] = mapped_column(String(20), default="unknown")
    office_status: Mapped[str | None] = mapped_column(String(200), default=None)
    nice_classes: Mapped[list[int]] = mapped_column(JSON, default=list)
    applicant_name: Mapped[str | None] = mapped_column(String(500), default=None)
    applicant_country: Mapped[str | None] = mapped_column(String(8), default=None)
    #: Normalized applicant name: the key squatter detection groups filings by.
    applicant_key: Mapped[str | None] = mapped_column(String(300), default=None)
    application_date: Mapped[date | None] = mapped_column(Date, default=None)
    publication_date: Mapped[date | None] = mapped_column(Date, default=None)
    registration_date: Mapped[date | None] = mapped_column(Date, default=None)
    expiry_date: Mapped[date | None] = mapped_column(Date, default=None)
    #: The whole normalized record (``RegisterRecord.to_dict()``): the source of truth.
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: SHA-256 of the record JSON: re-ingesting an unchanged record writes nothing.
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(500), default=None)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class IngestRun(Base):
    """One ``fenghuo tm ingest`` invocation; the resume point survives a crash."""

    __tablename__ = "tm_ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    paths: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | done | failed
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class QuarantinedRecord(Base):
    """A register record that could not be ingested, with the reason naming record and field."""

    __tablename__ = "tm_quarantine"
    __audited__ = False
    __table_args__ = (UniqueConstraint("source", "record", "field", name="uq_tm_quarantine_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ingest_run_id: Mapped[int | None] = mapped_column(ForeignKey("tm_ingest_runs.id"), default=None)
    source: Mapped[str] = mapped_column(String(500), default="")
    record: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)


class WatchedMark(TenantScoped, Base):
    """A portfolio mark of an enterprise, with the variants it is watched under."""

    __tablename__ = "tm_watched_marks"
    __table_args__ = (UniqueConstraint("organisation_id", "mark_id", name="uq_tm_watched_org_mark"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[str] = mapped_column(String(100))
    mark: Mapped[str] = mapped_column(String(500))
    classes: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty = every class
    owner: Mapped[str] = mapped_column(String(500), default="")
    jurisdictions: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty = everywhere
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Variants as shown to and edited by the user: [{"text", "kind", "note", "enabled"}].
    variants: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    variants_edited: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BusinessRelationship(TenantScoped, Base):
    """A distributor, agent or licensee the enterprise works with abroad (Paris Art. 6septies)."""

    __tablename__ = "tm_relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    counterpart_name: Mapped[str] = mapped_column(String(500))
    counterpart_key: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(8), default=None)
    relation: Mapped[str] = mapped_column(String(30), default="distributor")  # distributor | agent | licensee
    since: Mapped[date | None] = mapped_column(Date, default=None)
    until: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TradeFair(Base):
    """A trade fair attended by Chinese exhibitors: filings soon after it are a squatting signal."""

    __tablename__ = "tm_trade_fairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(8), default=None)
    city: Mapped[str | None] = mapped_column(String(100), default=None)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)


class WatchRun(TenantScoped, Base):
    __tablename__ = "tm_watch_runs"
    __audited__ = False  # bookkeeping of automatic runs; shown as watch-run history instead

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    engine: Mapped[str] = mapped_column(String(20), default="local")
    min_score: Mapped[int] = mapped_column(Integer, default=0)
    marks_watched: Mapped[int] = mapped_column(Integer, default=0)
    records_scanned: Mapped[int] = mapped_column(Integer, default=0)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    pairs_assessed: Mapped[int] = mapped_column(Integer, default=0)
    alerts_new: Mapped[int] = mapped_column(Integer, default=0)
    alerts_updated: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="running")
    error: Mapped[str | None] = mapped_column(Text, default=None)


class Alert(TenantScoped, Base):
    """A register mark that conflicts with a watched mark: score, reasons, deadline, state."""

    __tablename__ = "tm_alerts"
    __audit_ignore__ = frozenset({"notified_at", "last_run_id", "updated_at"})
    __table_args__ = (
        UniqueConstraint("watched_mark_id", "register_mark_id", name="uq_tm_alert_pair"),
        Index("ix_tm_alerts_org_state", "organisation_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    watched_mark_id: Mapped[int] = mapped_column(ForeignKey("tm_watched_marks.id", ondelete="CASCADE"))
    register_mark_id: Mapped[int] = mapped_column(ForeignKey("tm_register_marks.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))
    #: [{"signal", "message", "strength", "data"}] — the explanation shown to the user.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    #: The remedy plan: rule id, trace, extendable, next remedies (from fenghuo.deadlines).
    deadline_detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    remedy: Mapped[str | None] = mapped_column(Text, default=None)
    state: Mapped[str] = mapped_column(String(20), default=AlertState.NEW.value)
    dismiss_reason: Mapped[str | None] = mapped_column(Text, default=None)
    squatter_score: Mapped[int] = mapped_column(Integer, default=0)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("tm_watch_runs.id"), default=None)
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("tm_watch_runs.id"), default=None)
    notified_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    watched_mark: Mapped[WatchedMark] = relationship()
    register_mark: Mapped[RegisterMark] = relationship()


class AlertHistory(TenantScoped, Base):
    """One review step of an alert: who moved it, when, from which state to which, and why.

    Why a table and not the audit log: the history is shown to the alert's readers (page and
    API) and must survive audit retention; the audit log stays the platform's record.
    """

    __tablename__ = "tm_alert_history"
    __audited__ = False  # the alert's own change is audited; this row is its readable trace

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("tm_alerts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    #: Who acted as shown at the time (e-mail, or "watch run" for the system): kept if the user goes.
    actor: Mapped[str] = mapped_column(String(320), default="")
    from_state: Mapped[str | None] = mapped_column(String(20), default=None)
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationChannel(TenantScoped, Base):
    """Where an organisation's alerts go: an e-mail address or a signed webhook, now or as a daily digest."""

    __tablename__ = "tm_notification_channels"
    __audit_ignore__ = frozenset({"last_sent_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # email | webhook
    target: Mapped[str] = mapped_column(String(500))  # address or URL
    #: HMAC-SHA256 key of webhook signatures (shown once, like a token).
    secret: Mapped[str | None] = mapped_column(String(100), default=None)
    mode: Mapped[str] = mapped_column(String(20), default="immediate")  # immediate | digest
    min_level: Mapped[str] = mapped_column(String(10), default="medium")  # high | medium | low
    active: Mapped[bool] = mapped_column(default=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
