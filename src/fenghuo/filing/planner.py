"""Route planner: from one Chinese application to the open routes per target country.

Why membership is checked on a date and not as a flag: accessions take effect on a known day
(Saudi Arabia's Madrid accession from 2026-10-08), and a designation made the day before is void.
The relevant date is the day the route's filing is made: the PCT international filing date for a
PCT national phase, and the planning date (``as_of``) for a Madrid or Hague designation or a
direct filing still to be made. Every deadline comes from the one deadline engine, so office
calendars, make-up working days and provisional flags are the same as ``fenghuo deadline``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.deadlines import compute
from fenghuo.deadlines.engine import pct_limits
from fenghuo.filing import pph
from fenghuo.filing.application import Application, AppType
from fenghuo.filing.fees import FeeEstimate, estimate
from fenghuo.filing.offices import REGIONAL_OFFICES, office_info, regional_systems
from fenghuo.reference import EU_MEMBER_STATES, Membership, get_jurisdiction, membership

OPEN, CLOSED, CONDITIONAL = "open", "closed", "conditional"
SYSTEM_NAMES = {"EP": "EPO (European patent)", "EA": "EAPO (Eurasian patent)", "AP": "ARIPO", "OA": "OAPI",
                "EP-validation": "EPO (validation of a European patent)"}


@dataclass
class PlannedDeadline:
    """One deadline of a route; ``kind`` is stable across recomputations (the docket keys on it)."""

    kind: str
    label: str
    rule_id: str
    office: str | None
    trigger: date
    raw: date
    due: date
    provisional: bool
    note: str = ""
    #: False for clocks that run against the office (Madrid refusal, dependency), not the applicant.
    action: bool = True

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "action": self.action, "label": self.label, "rule_id": self.rule_id,
                "office": self.office,
                "trigger": self.trigger.isoformat(), "raw": self.raw.isoformat(), "due": self.due.isoformat(),
                "provisional": self.provisional, "note": self.note}


@dataclass
class RouteOption:
    route: str  # paris | pct | regional:EP | madrid | hague | pph
    label: str
    status: str
    reason: str
    deadlines: list[PlannedDeadline] = field(default_factory=list)
    fees: FeeEstimate | None = None
    warnings: list[str] = field(default_factory=list)
    basis: str = ""

    @property
    def first_deadline(self) -> date | None:
        return min((d.due for d in self.deadlines if d.action), default=None)

    @property
    def last_deadline(self) -> date | None:
        return max((d.due for d in self.deadlines if d.action), default=None)

    def to_dict(self) -> dict[str, object]:
        return {"route": self.route, "label": self.label, "status": self.status, "reason": self.reason,
                "deadlines": [d.to_dict() for d in self.deadlines],
                "fees": self.fees.to_dict() if self.fees else None, "warnings": self.warnings, "basis": self.basis,
                "first_deadline": self.first_deadline.isoformat() if self.first_deadline else None,
                "last_deadline": self.last_deadline.isoformat() if self.last_deadline else None}


@dataclass
class TargetPlan:
    code: str
    name: str
    routes: list[RouteOption]

    def open_routes(self) -> list[RouteOption]:
        return [r for r in self.routes if r.status != CLOSED]

    def comparison(self, as_of: date) -> list[dict[str, object]]:
        """Open routes side by side: first action, last decision date, months to decide, fees."""
        rows = []
        for r in sorted(self.open_routes(), key=lambda r: (r.first_deadline or date.max, r.route)):
            months = None
            if r.last_deadline:
                delta = relativedelta(r.last_deadline, as_of)
                months = delta.years * 12 + delta.months
            rows.append({"route": r.route, "label": r.label, "status": r.status,
                         "first_deadline": r.first_deadline.isoformat() if r.first_deadline else None,
                         "last_deadline": r.last_deadline.isoformat() if r.last_deadline else None,
                         "months_to_decide": months, "fees": r.fees.summary() if r.fees else ""})
        return rows

    def to_dict(self, as_of: date) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "routes": [r.to_dict() for r in self.routes],
                "comparison": self.comparison(as_of)}


@dataclass
class FilingPlan:
    application: Application
    as_of: date
    targets: list[TargetPlan]

    def to_dict(self) -> dict[str, object]:
        return {"application": self.application.to_dict(), "as_of": self.as_of.isoformat(),
                "fees_note": _("official fees only"), "targets": [t.to_dict(self.as_of) for t in self.targets]}

    def deadlines(self) -> list[tuple[str, RouteOption, PlannedDeadline]]:
        """Every deadline of every non-closed route, with its target code (what the docket stores)."""
        return [(t.code, r, d) for t in self.targets for r in t.open_routes() for d in r.deadlines]


def _deadline(kind: str, label: str, rule_id: str, trigger: date, office: str | None) -> PlannedDeadline:
    """A deadline from the engine; an office without a holiday calendar is computed unrolled and says so."""
    try:
        res = compute(rule_id, trigger, office)
        note = ""
    except ValidationFailed as exc:
        if exc.field != "office" or rule_id == "R-PCT-NP":
            raise
        res = compute(rule_id, trigger, None)
        note = _("no holiday calendar for %(office)s: not moved for closed days, check the office", office=office)
        return PlannedDeadline(kind, label, rule_id, office, trigger, _as_date(res.raw), _as_date(res.due), True, note)
    return PlannedDeadline(kind, label, rule_id, res.office, trigger, _as_date(res.raw), _as_date(res.due),
                           res.provisional, note)


def _as_date(value: object) -> date:
    assert isinstance(value, date)
    return value if type(value) is date else date(value.year, value.month, value.day)


def _basis(m: Membership | None) -> str:
    if m is None:
        return ""
    confirmed = "" if m.is_confirmed else _(" (unconfirmed: %(c)s)", c=m.confirmed)
    return f"{m.source} [{m.as_of.isoformat() if m.as_of else '?'}]{confirmed}"


def _member_reason(code: str, name: str, treaty: str, on: date, label: str) -> tuple[bool, str, str]:
    """(open?, reason, basis) of a dated treaty membership on ``on``."""
    m = membership(code, treaty) if len(code) == 2 else None
    if m is None:
        return False, _("%(name)s is not party to %(treaty)s", name=name, treaty=label), ""
    if not m.in_force_on(on):
        if m.in_force_from is not None:
            return False, _("%(name)s: %(treaty)s in force only from %(date)s", name=name, treaty=label,
                            date=m.in_force_from.isoformat()), _basis(m)
        return False, _("%(name)s: %(treaty)s not in force (%(status)s)", name=name, treaty=label,
                        status=m.status), _basis(m)
    return True, _("%(name)s is bound by %(treaty)s on %(date)s", name=name, treaty=label,
                   date=on.isoformat()), _basis(m)


def _paris(app: Application, code: str, name: str, as_of: date) -> RouteOption:
    rule = "R-PAR-PAT" if app.app_type.is_patent else "R-PAR-TMDS"
    route = RouteOption("paris", _("Paris Convention: direct national filing claiming priority"), OPEN, "")
    info = office_info(code)
    if info and info.national_route_closed and "OA" in info.systems:
        route.status, route.reason = CLOSED, _("%(name)s has no national filing: OAPI grants rights for all its "
                                               "members (file at OA)", name=name)
        return route
    if code not in REGIONAL_OFFICES and code != "EM":
        ok, reason, route.basis = _member_reason(code, name, "paris", as_of, _("the Paris Convention"))
        if not ok:
            route.status, route.reason = CLOSED, reason
            return route
    deadline = _deadline("priority", _("file claiming the Chinese priority"), rule, app.priority_date, code)
    if deadline.due < as_of:
        route.status = CLOSED
        route.reason = _("the priority period ended on %(date)s (a later filing gets no priority)",
                         date=deadline.due.isoformat())
        return route
    route.reason = _("priority claim within %(period)s of %(date)s", period=_("12 months") if rule == "R-PAR-PAT"
                     else _("6 months"), date=app.priority_date.isoformat())
    route.deadlines.append(deadline)
    route.fees = estimate("paris", code)
    if app.app_type == AppType.UTILITY_MODEL and info and info.utility_model == "no":
        route.warnings.append(_("%(name)s may not grant utility models: check the national law", name=name))
    return route


def _pct(app: Application, code: str, name: str, as_of: date, regional: str | None = None) -> RouteOption:
    office = regional or code
    label = _("PCT national phase") if regional is None else _("PCT regional phase via %(system)s",
                                                               system=SYSTEM_NAMES.get(regional, regional))
    route = RouteOption("pct" if regional is None else f"regional:{regional}:pct", label, OPEN, "")
    limits = pct_limits().get(office)
    if limits is None:
        route.status, route.reason = CLOSED, _("%(name)s is not a PCT designated office", name=name)
        return route
    if limits["closed"] == "true":
        route.status = CLOSED
        route.reason = _("the national PCT route of %(name)s is closed: enter via %(via)s", name=name,
                         via=limits["via"])
        return route
    designation_day = app.pct_filed or as_of
    if len(office) == 2 and office not in REGIONAL_OFFICES:
        ok, reason, route.basis = _member_reason(office, name, "pct", designation_day, _("the PCT"))
        if not ok:
            route.status, route.reason = CLOSED, reason
            return route
    if app.pct_number is None:
        filing = _deadline("pct_filing", _("file the PCT application at CNIPA (RO/CN) claiming priority"),
                           "R-PAR-PAT", app.priority_date, "CN")
        if filing.due < as_of:
            route.status = CLOSED
            route.reason = _("no PCT application and the priority year ended on %(date)s", date=filing.due.isoformat())
            return route
        route.deadlines.append(filing)
    kind = "pct_np" if regional is None else f"pct_np_{regional}"
    entry = _deadline(kind, _("enter the national/regional phase at %(office)s", office=office), "R-PCT-NP",
                      app.priority_date, office)
    if entry.due < as_of:
        route.status = CLOSED
        late = limits.get("late_entry") or ""
        route.reason = _("the national phase entry limit ended on %(date)s", date=entry.due.isoformat()) + (
            f" ({late[:160]})" if late else "")
        return route
    route.deadlines.append(entry)
    route.reason = _("%(n)s months from the priority date %(date)s", n=limits["chapter1_months"],
                     date=app.priority_date.isoformat()) + (
        "" if app.pct_number else _(" (after filing a PCT application)"))
    route.fees = estimate("pct_np", office)
    if limits.get("confirmed", "yes") != "yes":
        route.warnings.append(_("time limit unconfirmed: %(c)s", c=limits["confirmed"]))
    return route


def _eu(app: Application, code: str, name: str, as_of: date) -> list[RouteOption]:
    """EU trade mark or registered Community design at EUIPO: one right covering ``code`` and the
    other member states — directly (Paris priority) or by designating the EU (Madrid, Hague)."""
    if app.app_type.is_patent or code not in EU_MEMBER_STATES:
        return []
    system = "EUIPO (EU trade mark)" if app.app_type == AppType.TRADEMARK else "EUIPO (registered Community design)"
    direct = _paris(app, "EM", system, as_of)
    direct.route = "regional:EM"
    direct.label = _("EU-wide filing at %(system)s, covering %(name)s (Paris priority)", system=system, name=name)
    intl = _madrid(app, "EM", system, as_of) if app.app_type == AppType.TRADEMARK else _hague(app, "EM", system, as_of)
    intl.route = f"regional:EM:{intl.route}"
    intl.label = _("%(route)s of the European Union, covering %(name)s", route=intl.label, name=name)
    return [direct, intl]


def _regional(app: Application, code: str, name: str, as_of: date) -> list[RouteOption]:
    out: list[RouteOption] = list(_eu(app, code, name, as_of))
    for system in regional_systems(code):
        office = "EP" if system == "EP-validation" else system
        sysname = SYSTEM_NAMES.get(system, system)
        if not app.app_type.is_patent:
            if system == "OA":  # OAPI also registers marks and designs for all its members
                direct = _paris(app, "OA", sysname, as_of)
                direct.route, direct.label = "regional:OA", _("Regional filing at OAPI (Paris priority)")
                intl = _madrid(app, "OA", sysname, as_of) if app.app_type == AppType.TRADEMARK else \
                    _hague(app, "OA", sysname, as_of)
                intl.route = f"regional:OA:{intl.route}"
                out += [direct, intl]
            continue
        paris = _paris(app, office, sysname, as_of)
        paris.route, paris.label = f"regional:{system}", _("Regional filing via %(system)s (Paris priority)",
                                                           system=sysname)
        if system == "EP-validation":
            paris.warnings.append(_("%(name)s is reached by validating a European patent (validation fee at grant)",
                                    name=name))
        out.append(paris)
        pct_route = _pct(app, code, name, as_of, regional=office)
        out.append(pct_route)
    return out


def _hague(app: Application, code: str, name: str, as_of: date) -> RouteOption:
    route = RouteOption("hague", _("Hague designation (international design registration)"), OPEN, "")
    ok, reason, _b = _member_reason("CN", "China", "hague", as_of, _("the Hague Agreement (1999 Act)"))
    if not ok:
        route.status, route.reason = CLOSED, reason
        return route
    ok, reason, route.basis = _member_reason(code, name, "hague", as_of, _("the Hague Agreement"))
    m = membership(code, "hague")
    if ok and m is not None and not m.designable_from_china:
        route.status = CLOSED
        route.reason = _("%(name)s is bound only by the 1960 Act and cannot be designated from China "
                         "(China is bound by the 1999 Act)", name=name)
        return route
    if not ok:
        route.status, route.reason = CLOSED, reason
        return route
    route.reason = reason
    deadline = _deadline("hague_priority", _("file the Hague application claiming the Chinese priority"),
                         "R-PAR-TMDS", app.priority_date, "CN")
    if deadline.due >= as_of:
        route.deadlines.append(deadline)
    else:
        route.warnings.append(_("the 6-month priority period ended on %(date)s: no priority claim",
                                date=deadline.due.isoformat()))
    route.fees = estimate("hague", code)
    return route


def _madrid(app: Application, code: str, name: str, as_of: date) -> RouteOption:
    route = RouteOption("madrid", _("Madrid designation (international trademark registration)"), OPEN, "")
    designation_day = max(as_of, app.madrid_date or as_of)
    ok, reason, route.basis = _member_reason(code, name, "madrid", designation_day, _("Madrid"))
    if not ok:
        route.status, route.reason = CLOSED, reason
        return route
    route.reason = reason
    m = membership(code, "madrid")
    if app.madrid_number and app.madrid_date:
        route.label = _("Madrid subsequent designation of %(ir)s", ir=app.madrid_number)
        dependency = _deadline("madrid_dependency", _("end of dependency on the Chinese basic mark"),
                               "R-MAD-DEP", app.madrid_date, "CN")
        dependency.action = False
        route.deadlines.append(dependency)
    else:
        prio = _deadline("madrid_priority", _("file the Madrid application at CNIPA claiming the Chinese priority"),
                         "R-PAR-TMDS", app.priority_date, "CN")
        if prio.due >= as_of:
            route.deadlines.append(prio)
        else:
            route.warnings.append(_("the 6-month priority period ended on %(date)s: no priority claim",
                                    date=prio.due.isoformat()))
    try:
        refusal = _deadline("madrid_refusal", _("latest provisional refusal by %(office)s (estimated from the "
                                                "designation date)", office=code), "R-MAD-REFUSAL",
                            designation_day, code)
        refusal.action = False
        refusal.note = (refusal.note + " " if refusal.note else "") + _(
            "estimated: the period runs from the IB's notification of the designation")
        route.deadlines.append(refusal)
    except ValidationFailed:
        pass
    individual = None if m is None else ("individual fee: yes" in m.detail.lower()) or (
        False if "individual fee: no" in m.detail.lower() else None)
    route.fees = estimate("madrid", code, madrid_individual_fee=individual)
    return route


def _pph_route(app: Application, code: str, name: str, on: date) -> RouteOption | None:
    route = RouteOption("pph", _("PPH (once CNIPA finds a claim allowable)"), CONDITIONAL, "")
    if app.app_type != AppType.INVENTION:
        return None
    result = pph.check(code, on=on)
    if not result.partner:
        return None
    route.reason = result.summary
    route.warnings += result.warnings
    route.basis = result.basis
    return route


def plan(app: Application, targets: list[str], as_of: date | None = None) -> FilingPlan:
    """Routes per target with deadlines and fees. ``as_of`` is the planning day (default: today)."""
    day = as_of or date.today()
    if day < app.filed:
        raise ValidationFailed(_("the planning date %(d)s is before the Chinese filing", d=day.isoformat()),
                               field="as_of", record="application")
    out: list[TargetPlan] = []
    for code in targets:
        name = get_jurisdiction(code).name_en
        routes: list[RouteOption] = []
        if app.app_type.is_patent:
            routes.append(_paris(app, code, name, day))
            routes.append(_pct(app, code, name, day))
            routes += _regional(app, code, name, day)
            pph_route = _pph_route(app, code, name, day)
            if pph_route:
                routes.append(pph_route)
        elif app.app_type == AppType.DESIGN:
            routes += [_paris(app, code, name, day), _hague(app, code, name, day)]
            routes += _regional(app, code, name, day)
        else:
            routes += [_paris(app, code, name, day), _madrid(app, code, name, day)]
            routes += _regional(app, code, name, day)
        out.append(TargetPlan(code, name, routes))
    return FilingPlan(app, day, out)
