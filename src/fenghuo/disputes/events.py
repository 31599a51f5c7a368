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
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import N_, _
from fenghuo.core.models import utcnow
from fenghuo.disputes.models import DisputeEvent

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


class RecordError(ValueError):
    """One bad record in a bulk file: reported, the rest still imports."""

    def __init__(self, record: str, field: str, reason: str) -> None:
        super().__init__(f"{record}: {field}: {reason}")
        self.record = record
        self.field = field
        self.reason = reason

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

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [e.as_dict() for e in self.errors], "event_ids": self.event_ids}


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
            parties.extend(Party(n[:500], role) for n in _list(raw.get(column)))
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
    received_at = None
    if raw.get("received_at"):
        try:
            received_at = datetime.fromisoformat(str(raw["received_at"]).strip())
        except ValueError:
            raise RecordError(record, "received_at", _("%(value)s is not a date-time (YYYY-MM-DDTHH:MM)",
                                                       value=str(raw["received_at"])[:40])) from None
    return EventRecord(
        kind=kind, number=number, title=str(raw.get("title") or "").strip()[:500],
        forum=str(raw.get("forum") or "").strip()[:200], country=country,
        filed_on=_date(raw.get("filed_on"), record, "filed_on"),
        served_on=_date(raw.get("served_on"), record, "served_on"),
        temporary_relief=_bool(raw.get("temporary_relief"), record, "temporary_relief"),
        perishable=_bool(raw.get("perishable"), record, "perishable"),
        parties=tuple(parties), rights=lists["rights"], products=lists["products"], stores=lists["stores"],
        url=(str(raw.get("url")).strip()[:500] or None) if raw.get("url") else None, source=source,
        received_at=received_at,
    )


def read_records(data: bytes, filename: str, *, source: str = "import") -> tuple[list[EventRecord], list[RecordError]]:
    """Parse a CSV or JSON file of events; bad records come back as errors, good ones as records."""
    name = filename.lower()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("the file is not UTF-8 text"), field="file", record=filename) from None
    rows: list[tuple[str, Mapping[str, Any]]] = []
    if name.endswith(".json"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
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
        for i, row in enumerate(reader, 2):
            rows.append((f"row {i}", {k: v for k, v in row.items() if k}))
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


def upsert_event(session: Session, rec: EventRecord) -> tuple[DisputeEvent, str]:
    """Store one event by its natural key; returns the row and created / updated / unchanged."""
    row = session.scalar(select(DisputeEvent).where(DisputeEvent.kind == rec.kind, DisputeEvent.number == rec.number,
                                                    DisputeEvent.organisation_id == session.info.get("org_id")))
    if row is None:
        row = DisputeEvent(kind=rec.kind, number=rec.number)
        _apply(row, rec)
        session.add(row)
        session.flush()
        return row, "created"
    if row.content_hash == rec.content_hash():
        return row, "unchanged"
    _apply(row, rec)
    session.flush()
    return row, "updated"


def store_records(session: Session, records: Iterable[EventRecord], errors: Iterable[RecordError] = ()
                  ) -> ImportSummary:
    summary = ImportSummary(errors=list(errors))
    for rec in records:
        row, outcome = upsert_event(session, rec)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if outcome != "unchanged":
            summary.event_ids.append(row.id)
    return summary


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
            "products": list(row.products or []), "stores": list(row.stores or []), "url": row.url}


def from_validation(exc: RecordError) -> ValidationFailed:
    return ValidationFailed(exc.reason, field=exc.field, record=exc.record)
