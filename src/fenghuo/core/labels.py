"""One registry of the words a person sees for a stored code: ``label("alert_state", "new")``.

Why one registry: the same code (an alert state, a forum, a province) is shown by pages, PDFs,
CSV/XLSX exports, e-mails and notifications; each used to translate it its own way, or not at all
(``default_judgment`` on a Chinese page). Here every category maps each code to an English msgid
(translated through the Babel catalogue like any other string), so one test can check that every
code of every category reads in both languages.

Why data, not imports: core knows no domain. The categories are plain data (category → code →
msgid); domains may add or extend categories with :func:`register` at import time, and a category
may be backed by a resolver (``country`` reads the jurisdiction table) with :func:`register_resolver`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum

from fenghuo.core import i18n
from fenghuo.core.i18n import N_

Resolver = Callable[[str, str], str | None]

_REGISTRY: dict[str, dict[str, str]] = {
    # --- core -------------------------------------------------------------------------------------
    "role": {"viewer": N_("Viewer"), "member": N_("Member"), "admin": N_("Administrator")},
    "org_kind": {
        "enterprise": N_("Enterprise"), "guidance_centre": N_("Guidance centre"),
        "exhibition_station": N_("Exhibition IP service station"), "trade_promotion": N_("Trade promotion body"),
        "insurer": N_("Insurer"), "administration": N_("Administration"),
    },
    "permission": {"read": N_("Read"), "write": N_("Read and write")},
    "audit_action": {
        "create": N_("created"), "update": N_("updated"), "delete": N_("deleted"), "grant": N_("granted access to"),
        "revoke": N_("revoked access to"), "login": N_("signed in"), "logout": N_("signed out"),
        "lockout": N_("was locked out"),
    },
    # What an audit entry's object is, by table name (``audit_log.object_type``).
    "entity": {
        "organisations": N_("organisation"), "users": N_("user"), "memberships": N_("membership"),
        "web_sessions": N_("session"), "api_tokens": N_("API token"), "grants": N_("access grant"),
        "audit_log": N_("audit entry"), "invitations": N_("invitation"), "login_throttles": N_("login throttle"),
        "tm_register_marks": N_("register record"), "tm_ingest_runs": N_("register import"),
        "tm_quarantine": N_("quarantined record"), "tm_watched_marks": N_("watched mark"),
        "tm_relationships": N_("business partner"), "tm_trade_fairs": N_("trade fair"),
        "tm_watch_runs": N_("watch run"), "tm_alerts": N_("trademark alert"),
        "tm_alert_history": N_("trademark alert review"), "disputes_alert_history": N_("dispute alert review"),
        "tm_notification_channels": N_("notification channel"),
        "filing_plans": N_("filing plan"), "filing_docket_entries": N_("docket entry"),
        "disputes_events": N_("dispute event"), "disputes_identities": N_("enterprise identity"),
        "disputes_matches": N_("party match"), "disputes_alerts": N_("dispute alert"), "disputes_cases": N_("case"),
        "disputes_case_parties": N_("case party"), "disputes_case_clocks": N_("case deadline"),
        "disputes_case_tasks": N_("case task"), "disputes_case_documents": N_("case document"),
        "disputes_case_timeline": N_("timeline entry"), "disputes_case_links": N_("case link"),
        "disputes_stations": N_("service station"), "disputes_fair_complaints": N_("trade-fair complaint"),
        "disputes_policies": N_("insurance policy"), "disputes_claims": N_("insurance claim"),
        "disputes_notifications": N_("notification"), "disputes_notification_prefs": N_("notification setting"),
        "disputes_quarantine": N_("quarantined feed record"),
        "policy_plans": N_("plan"), "policy_agency_links": N_("agency link"), "policy_tasks": N_("plan task"),
        "policy_accountabilities": N_("responsibility"), "policy_annual_plans": N_("annual plan"),
        "policy_annual_items": N_("annual plan item"), "policy_indicators": N_("indicator"),
        "policy_indicator_actuals": N_("indicator value"), "policy_progress_reports": N_("progress report"),
        "policy_evidence": N_("evidence"), "policy_reminders": N_("reminder"), "policy_evaluations": N_("evaluation"),
        "policy_self_assessments": N_("self-assessment"), "policy_evaluator_scores": N_("evaluator score"),
        "policy_public_comments": N_("public comment"),
    },
    # Audit actors that are processes, not people (``session_scope(actor_label=…)``).
    "actor": {"system": N_("System"), "auth": N_("Sign-in service"), "cli": N_("Command line"),
              "demo": N_("Demo data loader"), "disputes routing": N_("Dispute alert routing"),
              "ingest": N_("Register import"), "notifications": N_("Notification service"),
              "public": N_("Public consultation"), "reminders": N_("Reminder service"), "watch run": N_("Watch run")},
    "yes_no": {"yes": N_("Yes"), "no": N_("No"), "true": N_("Yes"), "false": N_("No"), "not stated": N_("Not stated")},
    # Provenance of a fact (see fenghuo.reference.citations).
    "confirmation": {"confirmed": N_("confirmed"), "partial": N_("partly confirmed"),
                     "unconfirmed": N_("not confirmed")},
    "region": {
        "Beijing": N_("Beijing"), "Tianjin": N_("Tianjin"), "Hebei": N_("Hebei"), "Shanxi": N_("Shanxi"),
        "Inner Mongolia": N_("Inner Mongolia"), "Liaoning": N_("Liaoning"), "Jilin": N_("Jilin"),
        "Heilongjiang": N_("Heilongjiang"), "Shanghai": N_("Shanghai"), "Jiangsu": N_("Jiangsu"),
        "Zhejiang": N_("Zhejiang"), "Anhui": N_("Anhui"), "Fujian": N_("Fujian"), "Jiangxi": N_("Jiangxi"),
        "Shandong": N_("Shandong"), "Henan": N_("Henan"), "Hubei": N_("Hubei"), "Hunan": N_("Hunan"),
        "Guangdong": N_("Guangdong"), "Guangxi": N_("Guangxi"), "Hainan": N_("Hainan"), "Chongqing": N_("Chongqing"),
        "Sichuan": N_("Sichuan"), "Guizhou": N_("Guizhou"), "Yunnan": N_("Yunnan"), "Tibet": N_("Tibet"),
        "Shaanxi": N_("Shaanxi"), "Gansu": N_("Gansu"), "Qinghai": N_("Qinghai"), "Ningxia": N_("Ningxia"),
        "Xinjiang": N_("Xinjiang"), "Hong Kong": N_("Hong Kong"), "Macao": N_("Macao"), "Taiwan": N_("Taiwan"),
    },
    # --- trademark early warning ------------------------------------------------------------------
    "risk_level": {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")},
    "tm_alert_state": {"new": N_("New"), "reviewing": N_("Under review"), "action_taken": N_("Action taken"),
                       "dismissed": N_("Dismissed")},
    "mark_status": {"pending": N_("Pending (not yet registered)"), "registered": N_("Registered"), "ended": N_("Ended"),
                    "expired": N_("Expired"), "unknown": N_("Unknown")},
    "mark_feature": {
        "word": N_("Word mark"), "figurative": N_("Figurative mark"), "combined": N_("Combined mark"),
        "3d": N_("Three-dimensional mark"), "colour": N_("Colour mark"), "sound": N_("Sound mark"),
        "position": N_("Position mark"), "pattern": N_("Pattern mark"), "motion": N_("Motion mark"),
        "multimedia": N_("Multimedia mark"), "hologram": N_("Hologram mark"), "other": N_("Other"),
        "unknown": N_("Unknown"),
    },
    "run_status": {"running": N_("Running"), "done": N_("Done"), "failed": N_("Failed"), "pending": N_("Pending")},
    "tm_relation": {"distributor": N_("Distributor"), "agent": N_("Agent"), "licensee": N_("Licensee")},
    "channel_kind": {"email": N_("E-mail"), "webhook": N_("Signed webhook")},
    "email_mode": {"off": N_("Off"), "immediate": N_("Immediately"), "digest": N_("Daily digest")},
    # --- disputes -----------------------------------------------------------------------------------
    "event_kind": {
        "itc337": N_("ITC Section 337 complaint / institution"),
        "us_district": N_("US district court complaint"),
        "schedule_a": N_("US district court Schedule A case (online stores)"),
        "ptab": N_("PTAB petition (IPR/PGR)"),
        "eu_customs": N_("EU customs detention notice (Reg. 608/2013)"),
        "de_protective_letter": N_("German protective letter (Schutzschrift)"),
        "fair_warning": N_("Trade-fair warning letter"),
        "fair_injunction": N_("Trade-fair preliminary injunction"),
        "exhibition_complaint": N_("Exhibition IP complaint"),
        "foreign_opposition": N_("Foreign opposition against the enterprise's mark"),
    },
    # A case's or an event's forum: the event kinds' venues and the usual free-text codes.
    "forum": {
        "itc337": N_("US International Trade Commission (Section 337)"), "itc": N_("US International Trade Commission"),
        "usitc": N_("US International Trade Commission"),
        "us_district": N_("US district court"), "us_district_court": N_("US district court"),
        "schedule_a": N_("US district court (Schedule A)"), "ptab": N_("US Patent Trial and Appeal Board"),
        "eu_customs": N_("EU customs"), "de_protective_letter": N_("German court (protective letter)"),
        "fair_warning": N_("Trade fair"), "fair_injunction": N_("Trade-fair court"), "trade_fair": N_("Trade fair"),
        "exhibition_complaint": N_("Exhibition complaint office"), "foreign_opposition": N_("Foreign trademark office"),
        "upc": N_("Unified Patent Court"), "euipo": N_("EU Intellectual Property Office (EUIPO)"),
        "courtlistener": N_("US federal courts (CourtListener)"),
        # Forums as the demo and the feeds write them (free text).
        "US International Trade Commission": N_("US International Trade Commission"),
        "N.D. Ill.": N_("US District Court for the Northern District of Illinois"),
    },
    "party_role": {
        "complainant": N_("Complainant"), "respondent": N_("Respondent"), "petitioner": N_("Petitioner"),
        "patent_owner": N_("Patent owner"), "plaintiff": N_("Plaintiff"), "defendant": N_("Defendant"),
        "right_holder": N_("Right holder"), "declarant": N_("Declarant"), "opponent": N_("Opponent"),
        "applicant": N_("Applicant"), "other": N_("Other"),
    },
    "dispute_alert_state": {"new": N_("New"), "acknowledged": N_("Acknowledged"), "case_opened": N_("Case opened"),
                            "dismissed": N_("Dismissed")},
    "match_status": {"auto": N_("Matched automatically"), "pending": N_("Awaiting confirmation"),
                     "confirmed": N_("Confirmed"), "rejected": N_("Rejected")},
    "case_status": {"open": N_("Open"), "closed": N_("Closed")},
    "case_stage": {"intake": N_("Intake"), "assessment": N_("Assessment"), "response": N_("Response"),
                   "hearing": N_("Hearing"), "decision": N_("Decision"), "appeal": N_("Appeal"),
                   "closed": N_("Closed")},
    "case_outcome": {
        "settled": N_("Settled"), "won": N_("Won"), "lost": N_("Lost"), "withdrawn": N_("Withdrawn"),
        "default_judgment": N_("Default judgment"), "consent_order": N_("Consent order"),
        "exclusion_order": N_("Exclusion order"), "dismissed": N_("Dismissed by the court"), "other": N_("Other"),
    },
    "case_relation": {"related_forum": N_("Same dispute in another forum"), "co_respondent": N_("Co-respondent's case"),
                      "same_patent": N_("Same patent"), "appeal": N_("Appeal")},
    "clock_status": {"open": N_("Open"), "met": N_("Met"), "missed": N_("Missed")},
    "timeline_kind": {"opened": N_("Case opened"), "alert": N_("From alert"), "party": N_("Party"),
                      "clock": N_("Deadline"), "task": N_("Task"), "stage": N_("Stage"), "outcome": N_("Outcome"),
                      "document": N_("Document"), "link": N_("Linked case"), "note": N_("Note")},
    "fair_outcome": {"pending": N_("Pending"), "withdrawn": N_("Withdrawn"),
                     "covered": N_("Exhibits removed or covered"), "mediated": N_("Mediated"),
                     "rejected": N_("Rejected")},
    "right_type": {"patent": N_("Patent"), "design": N_("Design"), "trademark": N_("Trademark"),
                   "copyright": N_("Copyright")},
    "claim_status": {"filed": N_("Filed"), "accepted": N_("Accepted"), "paid": N_("Paid"), "rejected": N_("Rejected")},
    "insurance_status": {"active": N_("In force"), "expired": N_("Expired"), "cancelled": N_("Cancelled"),
                         "pending": N_("Pending")},
    "notification_kind": {"dispute_alert": N_("Dispute alert"), "tm_alert": N_("Trademark alert"),
                          "reminder": N_("Reminder"), "digest": N_("Digest")},
    "stats_dimension": {"forum": N_("Forum"), "country": N_("Country or region"), "industry": N_("Industry"),
                        "province": N_("Province"), "outcome": N_("Outcome"), "kind": N_("Kind of event")},
    "feed": {"usitc": N_("US International Trade Commission (EDIS)"),
             "courtlistener": N_("US federal courts (CourtListener)")},
    # --- filing ---------------------------------------------------------------------------------------
    "app_type": {"invention": N_("invention patent"), "utility_model": N_("utility model"), "design": N_("design"),
                 "trademark": N_("trademark")},
    "route_status": {"open": N_("Open"), "closed": N_("Closed"), "conditional": N_("Conditional")},
    "docket_status": {"active": N_("Active"), "cancelled": N_("Cancelled")},
    "pph_programme": {"bilateral": N_("Bilateral PPH"), "ip5": N_("IP5 PPH"), "pct-pph": N_("PCT-PPH"),
                      "pct_pph": N_("PCT-PPH")},
    "pph_eligible": {"yes": N_("Eligible"), "unconfirmed": N_("Possibly eligible (not confirmed)"),
                     "no": N_("Not eligible")},
    "treaty": {"paris": N_("Paris Convention"), "pct": N_("Patent Cooperation Treaty (PCT)"),
               "madrid": N_("Madrid System"), "hague": N_("Hague System"), "wto": N_("WTO (TRIPS)"),
               "upc": N_("Unified Patent Court Agreement")},
    "jurisdiction_kind": {"state": N_("Sovereign state"), "regional": N_("Regional office")},
    "membership_status": {"member": N_("Member"), "not_member": N_("Not a member"), "signatory": N_("Signatory"),
                          "denounced": N_("Denounced")},
    # Deadline rules (deadlines/data/rules.csv): their titles by rule id, and the events they count from.
    "rule": {
        "R-PAR-PAT": N_("Paris priority for a patent or utility model"),
        "R-PAR-TMDS": N_("Paris priority for a trademark or design"),
        "R-PCT-NP": N_("PCT national or regional phase entry"),
        "R-PCT-PUB": N_("PCT international publication"),
        "R-PCT-DEMAND": N_("PCT demand for international preliminary examination (22 months from priority)"),
        "R-PCT-ART19": N_("PCT Article 19 amendments (16 months from priority)"),
        "R-PCT-RESTORE": N_("PCT restoration of the priority right"),
        "R-MAD-DEP": N_("Madrid dependency on the basic mark ends"),
        "R-MAD-REFUSAL": N_("Madrid provisional refusal period of the designated office"),
        "R-MAD-TERM": N_("Madrid renewal (10-year term)"),
        "R-HAG-TERM": N_("Hague renewal (5-year term)"),
        "R-US-TMOPP": N_("USPTO trademark opposition"),
        "R-EM-TMOPP": N_("EUIPO opposition"),
        "R-CN-TMOPP": N_("CNIPA trademark opposition"),
        "R-JP-TMOPP": N_("JPO post-registration opposition"),
        "R-GB-TMOPP": N_("UKIPO opposition"),
        "R-KR-TMOPP": N_("KIPO opposition"),
        "R-DE-TMOPP": N_("DPMA opposition (after registration)"),
        "R-EP-OPP": N_("EPO opposition to a European patent"),
        "R-JP-PATOPP": N_("JPO patent opposition"),
        "R-US-PGR": N_("USPTO post-grant review"),
        "R-TM-RENEW": N_("Trademark renewal (most offices)"),
        "R-EP-ANN": N_("EPO renewal fee"),
        "R-US-MAINT": N_("USPTO maintenance fee (3.5 years)"),
        "R-CN-ANN": N_("CNIPA annual fee"),
        "R-JP-ANN": N_("JPO annual fee (from year 4)"),
        "R-KR-ANN": N_("KIPO annual fee (from year 4)"),
        "R-CN-TERM": N_("CNIPA invention patent term (20 years)"),
        "R-US-ITC337-ANSWER": N_("ITC Section 337: respondent's answer to the complaint"),
        "R-EU-CUSTOMS-DETENTION": N_("EU customs detention: right-holder's action"),
        "R-FAIR-COMPLAINT": N_("Trade fair IP complaint: exhibitor's answer"),
        "R-US-ANSWER": N_("US district court: answer to the complaint"),
        "R-US-PTAB-BAR": N_("US inter partes review: one-year time bar"),
    },
    "rule_trigger": {
        "date the IB notifies the designation": N_("date the IB notifies the designation"),
        "expiry of the 12-month priority period": N_("expiry of the 12-month priority period"),
        "filing date": N_("filing date"),
        "filing date anniversary": N_("filing date anniversary"),
        "filing date of the first application": N_("filing date of the first application"),
        "grant date": N_("grant date"),
        "international registration date": N_("international registration date"),
        "mention of the grant": N_("mention of the grant"),
        "notification of the detention": N_("notification of the detention"),
        "patent gazette publication": N_("patent gazette publication"),
        "preliminary approval publication": N_("preliminary approval publication"),
        "priority date": N_("priority date"),
        "priority date (earliest)": N_("priority date (earliest)"),
        "publication in the Official Gazette": N_("publication in the Official Gazette"),
        "publication of the application": N_("publication of the application"),
        "publication of the registration": N_("publication of the registration"),
        "publication of the registration gazette": N_("publication of the registration gazette"),
        "receipt of the complaint": N_("receipt of the complaint"),
        "registration (or filing) date": N_("registration (or filing) date"),
        "registration date": N_("registration date"),
        "service of the complaint alleging infringement": N_("service of the complaint alleging infringement"),
        "service of the complaint and notice of investigation":
            N_("service of the complaint and notice of investigation"),
        "service of the summons and complaint": N_("service of the summons and complaint"),
    },
    # --- policy ---------------------------------------------------------------------------------------
    "rag": {"red": N_("Red"), "amber": N_("Amber"), "green": N_("Green"), "grey": N_("No data"),
            "gray": N_("No data")},
    "report_status": {"not_started": N_("Not started"), "in_progress": N_("In progress"),
                      "completed": N_("Completed"), "delayed": N_("Delayed")},
    "indicator_kind": {"expected": N_("Expected"), "binding": N_("Binding")},
    "direction": {"higher": N_("Higher is better"), "lower": N_("Lower is better")},
    "evaluation_kind": {"mid_term": N_("Mid-term evaluation"), "final": N_("Final evaluation")},
    "comment_status": {"pending": N_("Awaiting moderation"), "approved": N_("Approved"), "rejected": N_("Rejected")},
    "agency_kind": {"agency": N_("Agency"), "generic": N_("Generic body"), "unknown": N_("Unknown"),
                    "ambiguous": N_("Ambiguous"), "unresolved": N_("Unresolved")},
    "responsibility": {"lead": N_("Lead unit"), "co": N_("Co-operating unit")},
    "dashboard_view": {"agency": N_("By agency"), "part": N_("By part"), "section": N_("By section"),
                       "tasks": N_("Tasks"), "indicators": N_("Indicators")},
    # Column names of the plan dashboard exports (CSV/XLSX with ``lang=``).
    "export_column": {
        "agency_key": N_("Agency key"), "agency": N_("Agency"), "registry_id": N_("Registry id"),
        "organisation_id": N_("Organisation id"), "lead": N_("Tasks led"), "co": N_("Tasks co-operated"),
        "tasks": N_("Tasks"), "completed": N_("Completed"), "overdue": N_("Overdue"), "reports": N_("Progress reports"),
        "red": N_("Red"), "amber": N_("Amber"), "green": N_("Green"), "completion": N_("Completion (%)"),
        "status": N_("Status"), "reason": N_("Reason"), "number": N_("Number"), "title": N_("Title"),
        "part": N_("Part"), "id": N_("Id"), "section": N_("Section"), "due_date": N_("Due date"),
        "rule": N_("Status rule"), "code": N_("Code"), "name": N_("Name"), "unit": N_("Unit"), "kind": N_("Kind"),
        "direction": N_("Direction"), "baseline": N_("Baseline"), "baseline_year": N_("Baseline year"),
        "target": N_("Target"), "target_year": N_("Target year"), "latest_year": N_("Latest year"),
        "latest": N_("Latest value"), "actuals": N_("Values by year"),
    },
    "reminder_channel": {"listed": N_("Listed on the page"), "email": N_("E-mail"), "failed": N_("Sending failed")},
}

_RESOLVERS: dict[str, Resolver] = {}

#: The label category of each dispute statistics dimension (pages, PDF, CSV).
DIMENSION_CATEGORIES: dict[str, str] = {"forum": "forum", "country": "country", "province": "region",
                                        "outcome": "case_outcome", "kind": "event_kind", "industry": "industry"}


def register(category: str, labels: Mapping[str, str]) -> None:
    """Add (or extend) a category: ``labels`` maps each code to an English msgid marked ``N_()``."""
    _REGISTRY.setdefault(category, {}).update({str(k): v for k, v in labels.items()})


def register_enum(category: str, enum: type[Enum], labels: Mapping[str, str]) -> None:
    """Register an enum's values; every member must have a label (a missing one is a bug, said at import)."""
    missing = [m.value for m in enum if str(m.value) not in labels]
    if missing:
        raise ValueError(f"label category {category!r}: no label for {missing}")
    register(category, labels)


def register_resolver(category: str, resolver: Resolver) -> None:
    """Back a category by a function ``(code, locale) -> label | None`` (data tables such as countries)."""
    _RESOLVERS[category] = resolver


def categories() -> list[str]:
    return sorted(set(_REGISTRY) | set(_RESOLVERS))


def codes(category: str) -> list[str]:
    """The registered codes of ``category`` (empty for resolver-only categories)."""
    return list(_REGISTRY.get(category, {}))


def msgid(category: str, code: str) -> str | None:
    return _REGISTRY.get(category, {}).get(code)


def has_label(category: str, code: object) -> bool:
    key = _key(code)
    if key in _REGISTRY.get(category, {}):
        return True
    resolver = _RESOLVERS.get(category)
    return resolver is not None and resolver(key, "en") is not None


def label(category: str, code: object, locale: str | None = None) -> str:
    """The words for ``code`` in ``locale`` (default: the current one).

    An empty code reads as ""; an unknown code reads humanised ("no_fee_data" → "no fee data") so a
    page never shows an underscore, while the registry test makes sure this fallback stays unused.
    """
    key = _key(code)
    if not key:
        return ""
    loc = i18n.normalize_locale(locale) if locale else i18n.get_locale()
    text = _REGISTRY.get(category, {}).get(key)
    if text is not None:
        return str(i18n.translations(loc).gettext(text))
    resolver = _RESOLVERS.get(category)
    if resolver is not None:
        found = resolver(key, loc)
        if found:
            return found
    return humanise(key)


def choices(category: str, locale: str | None = None, only: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a ``<select>``, in registry order."""
    keys = list(only) if only is not None else codes(category)
    return [(k, label(category, k, locale)) for k in keys]


#: One sentence per audit action: who did what to which record.
_AUDIT_SENTENCES: dict[str, str] = {
    "create": N_("%(actor)s created %(entity)s %(ref)s"),
    "update": N_("%(actor)s updated %(entity)s %(ref)s"),
    "delete": N_("%(actor)s deleted %(entity)s %(ref)s"),
    "grant": N_("%(actor)s granted access to %(entity)s %(ref)s"),
    "revoke": N_("%(actor)s revoked access to %(entity)s %(ref)s"),
    "login": N_("%(actor)s signed in"),
    "logout": N_("%(actor)s signed out"),
    "lockout": N_("%(actor)s was locked out after failed sign-ins"),
}


def actor_name(actor_label: str | None, display_name: str | None = None, locale: str | None = None) -> str:
    """A person's name (or e-mail), or the words for the process that acted ("System" when none)."""
    if display_name:
        return display_name
    raw = (actor_label or "").strip()
    if "@" in raw:
        return raw
    return label("actor", raw or "system", locale) if (raw or "system") in _REGISTRY["actor"] else raw


def audit_sentence(entry: object, locale: str | None = None, display_name: str | None = None) -> str:
    """An audit entry as a sentence: "张三 created docket entry 16" / "张三 新建了期限条目 16"."""
    action = str(getattr(entry, "action", "") or "")
    actor = actor_name(getattr(entry, "actor_label", ""), display_name, locale)
    entity = label("entity", getattr(entry, "object_type", ""), locale)
    ref = getattr(entry, "object_id", None)
    loc = i18n.normalize_locale(locale) if locale else i18n.get_locale()
    template = _AUDIT_SENTENCES.get(action)
    if template is None:
        return f"{actor} · {label('audit_action', action, loc)} · {entity} {ref or ''}".strip()
    text = str(i18n.translations(loc).gettext(template))
    return (text % {"actor": actor, "entity": entity, "ref": f"#{ref}" if ref else ""}).strip()


def humanise(code: str) -> str:
    return re.sub(r"[_]+", " ", code).strip()


def _key(code: object) -> str:
    if code is None:
        return ""
    if isinstance(code, Enum):
        return str(code.value)
    return str(code).strip()


def _country(code: str, locale: str) -> str | None:
    # The jurisdiction table is reference data (no domain logic); imported late to keep core light.
    from fenghuo.reference import country_name

    return country_name(code, locale)


register_resolver("country", _country)


# --- stored texts written in another language ----------------------------------------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class _Pattern:
    __slots__ = ("msgid", "regex", "names", "weight")

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid
        parts = _PLACEHOLDER.split(msgid)
        body, names = [], []
        for i, part in enumerate(parts):
            if i % 2:
                if part in names:  # the same parameter twice: match it lazily, keep the first
                    body.append(r"(?:.+?)")
                else:
                    names.append(part)
                    body.append(rf"(?P<{part}>.+?)")
            else:
                body.append(re.escape(part))
        self.regex = re.compile("^" + "".join(body) + "$", re.S)
        self.names = names
        self.weight = len(_PLACEHOLDER.sub("", msgid))


def _index(locale: str) -> tuple[dict[str, str], dict[str, list[_Pattern]], list[_Pattern]]:
    cached = _INDEXES.get(locale)
    if cached is not None:
        return cached
    catalog = getattr(i18n.translations(locale), "_catalog", {}) or {}
    exact: dict[str, str] = {}
    by_prefix: dict[str, list[_Pattern]] = {}
    wild: list[_Pattern] = []
    for key in catalog:
        if not isinstance(key, str) or not key:
            continue
        exact[key] = key
        if "%(" not in key:
            continue
        pattern = _Pattern(key)
        if pattern.weight < 3:
            continue
        head = key.split("%(", 1)[0]
        if len(head) >= 3:
            by_prefix.setdefault(head[:3], []).append(pattern)
        else:
            wild.append(pattern)
    for bucket in (*by_prefix.values(), wild):
        bucket.sort(key=lambda p: -p.weight)
    _INDEXES[locale] = (exact, by_prefix, wild)
    return _INDEXES[locale]


_INDEXES: dict[str, tuple[dict[str, str], dict[str, list[_Pattern]], list[_Pattern]]] = {}


def retranslate(text: object, locale: str | None = None, _depth: int = 0) -> str:
    """A text stored already translated (in English, by a job or the demo) read in ``locale``.

    Why: alert reasons, timeline notes, docket labels and saved plans were stored as the text the
    catalogue produced when they were written. The text is matched back to its catalogue msgid
    (placeholders become captures, themselves read again) and translated for the reader. Text
    that matches no msgid — a name, a note someone typed — is returned unchanged.
    """
    if text is None:
        return ""
    raw = str(text)
    loc = i18n.normalize_locale(locale) if locale else i18n.get_locale()
    if loc == i18n.DEFAULT_LOCALE or not raw.strip() or _depth > 3:
        return raw
    translations = i18n.translations(loc)
    exact, by_prefix, wild = _index(loc)
    stripped = raw.strip()
    if stripped in exact:
        return str(translations.gettext(stripped))
    if "; " in stripped:  # summaries and evidence lists joined by "; " ("a; b; c")
        parts = stripped.split("; ")
        done = [retranslate(p, loc, _depth + 1) for p in parts]
        if done != parts:
            return "；".join(done)
    for pattern in (*by_prefix.get(stripped[:3], ()), *wild):
        found = pattern.regex.match(stripped)
        if found is None:
            continue
        params = {name: retranslate(found.group(name), loc, _depth + 1) for name in pattern.names}
        try:
            return str(translations.gettext(pattern.msgid)) % params
        except (KeyError, TypeError, ValueError):
            return raw
    # Texts composed of catalogue strings ("US — <route>: <deadline>", "EUR 4475 (official fees only)").
    paren = re.match(r"^(.*\S) \((.+)\)$", stripped, re.S)
    if paren:
        head, inner = paren.group(1), paren.group(2)
        done_inner = retranslate(inner, loc, _depth + 1)
        if done_inner != inner:
            return f"{retranslate(head, loc, _depth + 1)}（{done_inner}）"
    for sep, joined in ((" — ", " — "), (": ", "：")):
        cuts = [m.start() for m in re.finditer(re.escape(sep), stripped)]
        best: tuple[int, str] | None = None
        for cut in reversed(cuts):  # the split whose both sides read again wins; else any that helps
            head, tail = stripped[:cut], stripped[cut + len(sep):]
            pair = (retranslate(head, loc, _depth + 1), retranslate(tail, loc, _depth + 1))
            changed = (pair[0] != head) + (pair[1] != tail)
            if changed and (best is None or changed > best[0]):
                best = (changed, joined.join(pair))
            if changed == 2:
                break
        if best is not None:
            return best[1]
    return raw
