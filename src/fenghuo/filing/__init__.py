"""Overseas filing planner: routes per target country from one Chinese application (Paris, PCT,
regional EP/EA/ARIPO/OAPI, Madrid, Hague, PPH), deadlines from the deadline engine, dated
official-fee estimates, PPH eligibility and claim correspondence, and a tenant-scoped docket with
iCalendar export and e-mail reminders.

Modules, each with one job: ``application`` (validated input), ``planner`` (routes), ``fees``,
``offices`` (regional systems), ``pph`` (partners, checklist), ``claims`` (correspondence),
``models``/``docket`` (saved plans), ``ics`` (calendar export), ``remind`` (e-mail).
"""

from __future__ import annotations

from fenghuo.filing.application import Application, AppType, make_application, parse_targets
from fenghuo.filing.planner import FilingPlan, PlannedDeadline, RouteOption, TargetPlan, plan

__all__ = [
    "AppType",
    "Application",
    "FilingPlan",
    "PlannedDeadline",
    "RouteOption",
    "TargetPlan",
    "make_application",
    "parse_targets",
    "plan",
]
