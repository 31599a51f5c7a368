"""Event intake: validate dispute events from files, forms, the API and feed adapters, and store them.

Why one validator for every path: a CSV row, a JSON object, a web form and a feed item all
become :class:`EventRecord` through :func:`parse_record`, so a bad value gets the same error
(naming the record and the field) wherever it came from. Storing is an upsert on the natural
key (kind, number) of the importing organisation, so importing the same file twice changes
nothing, and a bad record never stops the good ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import limits
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import N_, _
from fenghuo.core.models import Organisation, OrgKind, utcnow
from fenghuo.disputes.models import DisputeEvent
from fenghuo.reference import EU_MEMBER_STATES

#: Event kinds, with the roles their parties usually take.
KINDS: dict[str, str] = {
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
}
ROLES = ("complainant", "respondent", "petitioner", "patent_owner", "plaintiff", "defendant", "right_holder",
         "declarant", "opponent", "applicant", "other")
#: Roles that make an enterprise the target of the event (the side that must act).
TARGET_ROLES = frozenset({"respondent", "defendant", "patent_owner", "declarant", "applicant", "other"})
MAX_IMPORT_BYTES = 5 * 1024 * 1024
_ITC_NUMBER = re.compile(r"^337-TA-\d+(-[A-Z])?$", re.I)
FAIR_KINDS = ("fair_warning", "fair_injunction", "exhibition_complaint")
#: The form's fields per kind (the intake form shows only these; the server reads only these).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "itc337": ("complainants", "respondents", "temporary_relief", "served_on"),
    "us_district": ("plaintiffs", "defendants", "served_on", "forum"),
    "schedule_a": ("plaintiffs", "stores", "forum"),
    "ptab": ("petitioners", "patent_owners", "rights"),
    "eu_customs": ("right_holders", "respondents", "perishable", "forum", "products"),
    "de_protective_letter": ("complainants", "declarants", "forum"),
    "fair_warning": ("fair", "booth", "received_at", "complainants", "respondents"),
    "fair_injunction": ("fair", "booth", "received_at", "complainants", "respondents"),
    "exhibition_complaint": ("fair", "booth", "received_at", "complainants", "respondents", "rights"),
    "foreign_opposition": ("opponents", "applicants", "rights"),
}
#: Fields the intake form requires per kind (the field is named in the error).
FORM_REQUIRED: dict[str, tuple[str, ...]] = {
    "itc337": ("respondents",),
    "us_district": ("defendants",),
    "schedule_a": ("stores",),
    "ptab": ("patent_owners",),
    "eu_customs": ("respondents",),
    "de_protective_letter": ("declarants",),
    "fair_warning": ("fair", "respondents"),
    "fair_injunction": ("fair", "respondents"),
    "exhibition_complaint": ("fair", "booth", "respondents"),
    "foreign_opposition": ("applicants",),
}
COMMON_FORM_FIELDS = ("kind", "number", "title", "country", "filed_on")


class RecordError(ValueError):
    """One bad record in a bulk file: reported, the rest still imports."""

    def __init__(self, record: str, field: str, reason: str, number: str = "") -> None:
        super().__init__(f"{record}: {field}: {reason}")
        self.record = record
        self.field = field
        self.reason = reason
        #: The record's docket/notice number when it had one (the quarantine's key).
        self.number = number

    def as_dict(self) -> dict[str, str | None]:
        return {"record": self.record, "field": self.field, "message": self.reason}


@dataclass(frozen=True)
class Party:
    name: str
    role: str = "respondent"
    context: str = ""


@dataclass(frozen=True)
class EventRecord:
    kind: str
    number: str
    title: str = ""
    forum: str = ""
    country: str = ""
    filed_on: date | None = None
    served_on: date | None = None
    temporary_relief: bool = False
    perishable: bool = False
    parties: tuple[Party, ...] = ()
    rights: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    url: str | None = None
    source: str = "import"
    received_at: datetime | None = field(default=None, compare=False)

    def content_hash(self) -> str:
        data = asdict(self)
        data.pop("source", None)
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    quarantined: int = 0
    resolved: int = 0
    #: Of ``event_ids``, those waiting for a guidance centre's review (matched only once accepted).
    pending_ids: list[int] = field(default_factory=list)
    #: Every stored row (unchanged ones too) → its review status.
    statuses: dict[int, str] = field(default_factory=dict)

    @property
    def routable_ids(self) -> list[int]:
        """New or changed events that may be matched and alerted now."""
        return [i for i in self.event_ids if i not in self.pending_ids]

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [e.as_dict() for e in self.errors], "event_ids": self.event_ids,
                "pending_review": self.pending_ids,
                "quarantined": self.quarantined, "resolved": self.resolved}


def _list(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(";") if v.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise TypeError


def _date(value: Any, record: str, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RecordError(record, name, _("%(value)s is not a date (YYYY-MM-DD)", value=str(value)[:40])) from None


def _bool(value: Any, record: str, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("", "0", "false", "no", "n"):
        return False
    if text in ("1", "true", "yes", "y"):
        return True
    raise RecordError(record, name, _("%(value)s is not yes/no", value=text[:40]))


def parse_record(raw: Mapping[str, Any], record: str, *, source: str = "import") -> EventRecord:
    """Validate one event given as a mapping (CSV row, JSON object, form, feed item)."""
    try:
        return _parse_record(raw, record, source)
    except RecordError as exc:
        exc.number = exc.number or str(raw.get("number") or "").strip()[:120]
        raise


def form_record(raw: Mapping[str, Any]) -> EventRecord:
    """The intake form: only the fields of the chosen kind count, and the kind's required ones are checked."""
    kind = str(raw.get("kind") or "").strip().lower()
    number = str(raw.get("number") or "").strip() or "form"
    if kind not in KINDS:
        raise RecordError(number, "kind", _("must be one of %(values)s", values=", ".join(KINDS)))
    wanted = set(COMMON_FORM_FIELDS) | set(KIND_FIELDS.get(kind, ()))
    data = {k: v for k, v in raw.items() if k in wanted and v not in (None, "")}
    if kind == "itc337" and not _ITC_NUMBER.match(number):
        raise RecordError(number, "number", _("an ITC investigation number looks like 337-TA-1234"), number)
    for name in FORM_REQUIRED.get(kind, ()):
        if not str(data.get(name) or "").strip():
            raise RecordError(number, name, _("%(field)s is required for %(kind)s", field=name, kind=_(KINDS[kind])),
                              number)
    return parse_record(data, number, source="form")


#: Columns whose text is stored in a column of this width (the API's EventIn declares the same).
_TEXT_CAPS = {"title": limits.TITLE_CHARS, "forum": limits.FORUM_CHARS, "fair": limits.FORUM_CHARS,
              "url": 500, "number": limits.NUMBER_CHARS}


def _check_sizes(raw: Mapping[str, Any], record: str) -> None:
    """Every value within its cap, named by field: nothing is cut silently, nothing huge goes on."""
    cap = limits.limits().csv_field_chars
    for key, value in raw.items():
        field = str(key)[:60]
        if isinstance(value, str):
            limit = min(_TEXT_CAPS.get(field, cap), cap)
            if len(value.strip()) > limit:
                raise RecordError(record, field, _("at most %(n)s characters", n=limit))
        elif isinstance(value, list | tuple):
            if len(value) > limits.LIST_ITEMS_MAX:
                raise RecordError(record, field, _("at most %(n)s entries", n=limits.LIST_ITEMS_MAX))
            for i, item in enumerate(value):
                texts = item.values() if isinstance(item, Mapping) else (item,)
                if any(len(str(t)) > limits.NAME_CHARS for t in texts if isinstance(t, str)):
                    raise RecordError(record, f"{field}[{i}]", _("at most %(n)s characters", n=limits.NAME_CHARS))
        elif isinstance(value, Mapping):
            raise RecordError(record, field, _("must be text, a number or a list"))


def _parse_record(raw: Mapping[str, Any], record: str, source: str) -> EventRecord:
    _check_sizes(raw, record)
    kind = str(raw.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise RecordError(record, "kind", _("must be one of %(values)s", values=", ".join(KINDS)))
    number = str(raw.get("number") or "").strip()
    if not number:
        raise RecordError(record, "number", _("the docket, investigation or notice number is required"))
    if len(number) > 120:
        raise RecordError(record, "number", _("at most %(n)s characters", n=120))
    if record.startswith(("row ", "item ")):
        record = f"{record} ({number})"
    parties: list[Party] = []
    raw_parties = raw.get("parties")
    if raw_parties:
        if not isinstance(raw_parties, list):
            raise RecordError(record, "parties", _("must be a list of {name, role}"))
        for i, item in enumerate(raw_parties):
            if not isinstance(item, Mapping) or not str(item.get("name") or "").strip():
                raise RecordError(record, f"parties[{i}].name", _("a party needs a name"))
            role = str(item.get("role") or "respondent").strip().lower()
            if role not in ROLES:
                raise RecordError(record, f"parties[{i}].role", _("must be one of %(values)s",
                                                                   values=", ".join(ROLES)))
            parties.append(Party(str(item["name"]).strip()[:500], role, str(item.get("context") or "")[:500]))
    for column, role in (("complainants", "complainant"), ("respondents", "respondent"),
                         ("plaintiffs", "plaintiff"), ("defendants", "defendant"),
                         ("petitioners", "petitioner"), ("patent_owners", "patent_owner"),
                         ("right_holders", "right_holder"), ("declarants", "declarant"),
                         ("opponents", "opponent"), ("applicants", "applicant")):
        try:
            context = ""
            if raw.get("booth") and role in ("respondent", "defendant"):
                context = _("booth %(booth)s", booth=str(raw["booth"]).strip()[:50])
            parties.extend(Party(n[:500], role, context) for n in _list(raw.get(column)))
        except TypeError:
            raise RecordError(record, column, _("must be a list or names separated by ;")) from None
    lists: dict[str, tuple[str, ...]] = {}
    for column in ("rights", "products", "stores"):
        try:
            lists[column] = _list(raw.get(column))
        except TypeError:
            raise RecordError(record, column, _("must be a list or names separated by ;")) from None
    if not parties and not lists["stores"]:
        raise RecordError(record, "parties", _("name at least one party (e.g. respondents)"))
    if kind == "schedule_a" and not lists["stores"] and not any(p.role in ("defendant", "respondent")
                                                                  for p in parties):
        raise RecordError(record, "stores", _("a Schedule A case lists the defendant store names"))
    country = str(raw.get("country") or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise RecordError(record, "country", _("a two-letter country code (e.g. US, DE)"))
    if kind in ("itc337", "us_district", "schedule_a", "ptab") and not country:
        country = "US"
    if kind == "eu_customs" and not country:
        raise RecordError(record, "country", _("the member state of the customs office is required"))
    if kind == "eu_customs" and country not in EU_MEMBER_STATES:
        raise RecordError(record, "country", _("%(country)s is not an EU member state", country=country))
    forum = str(raw.get("forum") or "").strip()
    if not forum and raw.get("fair"):
        forum = str(raw["fair"]).strip()
    received_at = None
    if raw.get("received_at"):
        try:
            received_at = datetime.fromisoformat(str(raw["received_at"]).strip())
        except ValueError:
            raise RecordError(record, "received_at", _("%(value)s is not a date-time (YYYY-MM-DDTHH:MM)",
                                                       value=str(raw["received_at"])[:40])) from None
    return EventRecord(
        kind=kind, number=number, title=str(raw.get("title") or "").strip()[:500],
        forum=forum[:200], country=country,
        filed_on=_date(raw.get("filed_on"), record, "filed_on"),
        served_on=_date(raw.get("served_on"), record, "served_on"),
        temporary_relief=_bool(raw.get("temporary_relief"), record, "temporary_relief"),
        perishable=_bool(raw.get("perishable"), record, "perishable"),
        parties=tuple(parties), rights=lists["rights"], products=lists["products"], stores=lists["stores"],
        url=(str(raw.get("url")).strip()[:500] or None) if raw.get("url") else None, source=source,
        received_at=received_at,
    )


_JSON_TOKEN = re.compile(r'\\.|["\[\]{}]')


def _json_too_deep(text: str, max_depth: int) -> bool:
    """Whether brackets nest deeper than ``max_depth`` (outside strings), checked before parsing.

    Why before: ``json.loads`` of 1,000,000 ``[`` recurses until ``RecursionError``, and even a
    depth the parser survives would be walked again by every consumer of the document.
    """
    depth = 0
    in_string = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == '"':
            in_string = not in_string
        elif in_string or token[0] == "\\":
            continue
        elif token in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


def read_records(data: bytes, filename: str, *, source: str = "import") -> tuple[list[EventRecord], list[RecordError]]:
    """Parse a CSV or JSON file of events; bad records come back as errors, good ones as records."""
    name = filename.lower()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("the file is not UTF-8 text"), field="file", record=filename) from None
    rows: list[tuple[str, Mapping[str, Any]]] = []
    if name.endswith(".json"):
        depth = limits.limits().json_depth
        if _json_too_deep(text, depth):
            raise ValidationFailed(_("JSON nested deeper than %(n)s levels", n=depth), field="file",
                                   record=filename)
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, a number of 5,000 digits
            raise ValidationFailed(_("not valid JSON: %(error)s", error=str(exc)), field="file",
                                   record=filename) from None
        items = doc.get("events") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise ValidationFailed(_("a JSON list of events (or {\"events\": [...]}) is expected"), field="file",
                                   record=filename)
        for i, item in enumerate(items, 1):
            rows.append((f"item {i}", item if isinstance(item, Mapping) else {}))
    elif name.endswith((".csv", ".txt")):
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "kind" not in reader.fieldnames or "number" not in reader.fieldnames:
            raise ValidationFailed(_("the CSV needs the columns kind and number"), field="file", record=filename)
        try:
            for i, row in enumerate(reader, 2):
                if i - 1 > limits.limits().csv_rows:
                    raise ValidationFailed(_("more than %(n)s rows", n=limits.limits().csv_rows), field="file",
                                           record=filename)
                rows.append((f"row {i}", {k: v for k, v in row.items() if k}))
        except csv.Error as exc:  # a cell past the csv module's own limit (131,072 characters), a stray quote
            raise ValidationFailed(_("unreadable CSV at line %(line)s: %(error)s", line=reader.line_num,
                                     error=str(exc)), field="file", record=filename) from None
    else:
        raise ValidationFailed(_("upload a .csv or .json file"), field="file", record=filename)
    records: list[EventRecord] = []
    errors: list[RecordError] = []
    seen: set[tuple[str, str]] = set()
    for label, raw in rows:
        try:
            rec = parse_record(raw, label, source=source)
        except RecordError as exc:
            errors.append(exc)
            continue
        if (rec.kind, rec.number) in seen:
            errors.append(RecordError(f"{label} ({rec.number})", "number", _("duplicate of an earlier record")))
            continue
        seen.add((rec.kind, rec.number))
        records.append(rec)
    return records, errors


def read_file(path: Path) -> tuple[list[EventRecord], list[RecordError]]:
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("the file is larger than %(n)s MB", n=MAX_IMPORT_BYTES // (1024 * 1024)),
                               field="file", record=path.name)
    return read_records(path.read_bytes(), path.name)


def _apply(row: DisputeEvent, rec: EventRecord) -> None:
    row.title, row.forum, row.country = rec.title, rec.forum, rec.country
    row.filed_on, row.served_on = rec.filed_on, rec.served_on
    row.temporary_relief, row.perishable = rec.temporary_relief, rec.perishable
    row.parties = [{"name": p.name, "role": p.role, "context": p.context} for p in rec.parties]
    row.rights, row.products, row.stores = list(rec.rights), list(rec.products), list(rec.stores)
    row.url, row.source, row.received_at = rec.url, rec.source, rec.received_at
    row.content_hash = rec.content_hash()
    row.updated_at = utcnow()


#: Organisations whose events are matched and alerted at once: guidance centres (and their
#: branches) and exhibition stations. Platform feeds and CLI imports run as the platform.
TRUSTED_SUBMITTERS = frozenset({OrgKind.GUIDANCE_CENTRE.value, OrgKind.EXHIBITION_STATION.value})
REVIEW_STATES = ("pending", "accepted", "rejected")


def trusted_submitter(session: Session) -> bool:
    """Whether events taken in by this session's organisation are processed without review.

    Why: an event names other enterprises and raises alerts with deadlines in their inboxes; from
    anybody else (an enterprise, an insurer, a trade-promotion body) it could be planted, so it
    waits for a guidance centre to accept it.
    """
    if session.info.get("platform_admin"):
        return True
    org = session.get(Organisation, session.info.get("org_id") or -1)
    return org is not None and org.kind in TRUSTED_SUBMITTERS


def upsert_event(session: Session, rec: EventRecord, *, trusted: bool = True) -> tuple[DisputeEvent, str]:
    """Store one event by its natural key; returns the row and created / updated / unchanged.

    An untrusted submitter's new or changed event is (again) pending review: accepting a harmless
    event and then changing it to name somebody else must not skip the review.
    """
    row = session.scalar(select(DisputeEvent).where(DisputeEvent.kind == rec.kind, DisputeEvent.number == rec.number,
                                                    DisputeEvent.organisation_id == session.info.get("org_id")))
    if row is not None and row.content_hash == rec.content_hash():
        return row, "unchanged"
    outcome = "updated"
    if row is None:
        row = DisputeEvent(kind=rec.kind, number=rec.number)
        session.add(row)
        outcome = "created"
    _apply(row, rec)
    if trusted:
        row.review_status = "accepted"
    else:
        row.review_status, row.review_reason = "pending", None
        row.reviewed_by_org_id = row.reviewed_by_user_id = row.reviewed_at = None
    session.flush()
    return row, outcome


def store_records(session: Session, records: Iterable[EventRecord], errors: Iterable[RecordError] = (),
                  *, source: str | None = None, trusted: bool | None = None) -> ImportSummary:
    """Store good records; with ``source`` (file name or feed) bad ones are quarantined, and quarantined
    records of that source which now import cleanly are resolved. ``trusted`` (default: from the
    session's organisation, :func:`trusted_submitter`) decides whether new and changed events may be
    routed now or wait for review (``pending_ids``)."""
    summary = ImportSummary(errors=list(errors))
    if trusted is None:
        trusted = trusted_submitter(session)
    stored: dict[str, int] = {}
    for rec in records:
        row, outcome = upsert_event(session, rec, trusted=trusted)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        stored[rec.number] = row.id
        summary.statuses[row.id] = row.review_status or "accepted"
        if outcome != "unchanged":
            summary.event_ids.append(row.id)
            if row.review_status != "accepted":
                summary.pending_ids.append(row.id)
    if source:
        summary.quarantined = quarantine(session, source, summary.errors)
        summary.resolved = resolve_quarantine(session, source, stored, summary.errors)
    return summary


# --- quarantine ------------------------------------------------------------------------------------------


def _quarantine_key(err: RecordError) -> str:
    return f"number:{err.number}"[:200] if err.number else f"record:{err.record}"[:200]


def quarantine(session: Session, source: str, errors: Iterable[RecordError]) -> int:
    """Keep each bad record of ``source`` (one row per source and number or position; seen again = counted)."""
    from fenghuo.disputes.models import QuarantinedRecord

    source = source.strip()[:255] or "import"
    now = utcnow()
    count = 0
    for err in errors:
        key = _quarantine_key(err)
        row = session.scalar(select(QuarantinedRecord).where(
            QuarantinedRecord.organisation_id == session.info.get("org_id"), QuarantinedRecord.source == source,
            QuarantinedRecord.record_key == key))
        if row is None:
            row = QuarantinedRecord(source=source, record_key=key, seen_count=0, first_seen_at=now)
            session.add(row)
        row.record, row.number = err.record[:300], err.number[:120]
        row.field, row.message = err.field[:100], err.reason
        row.seen_count = (row.seen_count or 0) + 1
        row.last_seen_at, row.resolved_at, row.resolved_event_id = now, None, None
        count += 1
    session.flush()
    return count


def resolve_quarantine(session: Session, source: str, stored: Mapping[str, int],
                       errors: Iterable[RecordError] = ()) -> int:
    """Resolve quarantined records of ``source`` that this import stored (same number), and number-less
    ones whose position reported no error this time."""
    from fenghuo.disputes.models import QuarantinedRecord

    failing = {_quarantine_key(e) for e in errors}
    failing_positions = {e.record for e in errors}
    now = utcnow()
    resolved = 0
    for row in session.scalars(select(QuarantinedRecord).where(
            QuarantinedRecord.source == source.strip()[:255], QuarantinedRecord.resolved_at.is_(None),
            QuarantinedRecord.organisation_id == session.info.get("org_id"))):
        if row.record_key in failing:
            continue
        if row.number and row.number in stored:
            row.resolved_at, row.resolved_event_id = now, stored[row.number]
            resolved += 1
        elif not row.number and row.record not in failing_positions and stored:
            row.resolved_at = now
            resolved += 1
    session.flush()
    return resolved


def list_quarantine(session: Session, *, include_resolved: bool = False) -> list[Any]:
    from fenghuo.disputes.models import QuarantinedRecord

    stmt = select(QuarantinedRecord).order_by(QuarantinedRecord.last_seen_at.desc(), QuarantinedRecord.id.desc())
    if not include_resolved:
        stmt = stmt.where(QuarantinedRecord.resolved_at.is_(None))
    return list(session.scalars(stmt.limit(1000)))


def quarantine_dict(row: Any) -> dict[str, Any]:
    return {"id": row.id, "source": row.source, "record": row.record, "number": row.number or None,
            "field": row.field, "message": row.message, "seen_count": row.seen_count,
            "first_seen_at": row.first_seen_at.isoformat() if row.first_seen_at else None,
            "last_seen_at": row.last_seen_at.isoformat() if row.last_seen_at else None,
            "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
            "resolved_event_id": row.resolved_event_id}


def get_event(session: Session, event_id: int) -> DisputeEvent:
    row = session.scalar(select(DisputeEvent).where(DisputeEvent.id == event_id))
    if row is None:
        raise NotFound(_("No such dispute event: %(id)s", id=event_id))
    return row


def list_events(session: Session, *, kind: str | None = None, limit: int = 200) -> list[DisputeEvent]:
    stmt = select(DisputeEvent).order_by(DisputeEvent.filed_on.desc().nulls_last(), DisputeEvent.id.desc())
    if kind:
        stmt = stmt.where(DisputeEvent.kind == kind)
    return list(session.scalars(stmt.limit(limit)))


def event_dict(row: DisputeEvent) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "number": row.number, "source": row.source, "title": row.title,
            "forum": row.forum, "country": row.country,
            "filed_on": row.filed_on.isoformat() if row.filed_on else None,
            "served_on": row.served_on.isoformat() if row.served_on else None,
            "temporary_relief": row.temporary_relief, "perishable": row.perishable,
            "parties": list(row.parties or []), "rights": list(row.rights or []),
            "products": list(row.products or []), "stores": list(row.stores or []), "url": row.url,
            "review_status": row.review_status or "accepted", "review_reason": row.review_reason,
            "reviewed_at": row.reviewed_at.isoformat() if row.reviewed_at else None}


def from_validation(exc: RecordError) -> ValidationFailed:
    return ValidationFailed(exc.reason, field=exc.field, record=exc.record)
