"""Docket tables: saved filing plans and their deadlines, owned by one organisation.

Why a row per (plan, deadline kind) with a stored UID and SEQUENCE: calendar clients match events
by UID and replace an event only when SEQUENCE grows, so a deadline that moves after a
recomputation (a closed day loaded, a corrected priority date) must keep its UID and bump its
SEQUENCE — never appear twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fenghuo.core.models import Base, TenantScoped, utcnow


class FilingPlanRecord(TenantScoped, Base):
    """A plan saved to the enterprise's docket: the input, the planning date and the last result."""

    __tablename__ = "filing_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    app_type: Mapped[str] = mapped_column(String(20))
    #: ``Application.to_dict()``: what the plan is recomputed from.
    application: Mapped[dict[str, Any]] = mapped_column(JSON)
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    as_of: Mapped[date] = mapped_column(Date)
    #: ``FilingPlan.to_dict()`` of the last computation (shown without recomputing).
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reminder_email: Mapped[str | None] = mapped_column(String(320), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recomputed_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries: Mapped[list[DocketEntry]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                      order_by="DocketEntry.due")


class DocketEntry(TenantScoped, Base):
    """One deadline of a saved plan; ``uid`` is stable for (plan, kind), ``sequence`` grows on change."""

    __tablename__ = "filing_docket_entries"
    __table_args__ = (UniqueConstraint("plan_id", "kind", name="uq_filing_docket_entries_plan_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("filing_plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(120))
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    target: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(500))
    rule_id: Mapped[str] = mapped_column(String(40))
    office: Mapped[str | None] = mapped_column(String(8), default=None)
    trigger: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | cancelled
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The due date the last reminder was sent for (a moved deadline is reminded again).
    reminded_for: Mapped[date | None] = mapped_column(Date, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[FilingPlanRecord] = relationship(back_populates="entries")
