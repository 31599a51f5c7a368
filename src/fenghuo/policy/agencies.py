"""Registry of Chinese central agencies as plans name them, with validity and succession.

Read from ``$FENGHUO_SHARED/data/policy/central_agencies.csv`` (columns id, full_name,
official_short, aliases, category, managed_by, status, valid_from, valid_to, predecessor,
successor, note, evidence). Rows whose evidence starts with "unverified" are kept and flagged.

Resolution is exact after normalization (traditional → simplified, full-width → half-width,
spaces removed): a name is the full name, the official short name or an alias of exactly one
agency, or it is reported as unknown (or ambiguous). Nothing is guessed — no prefixing of 国家,
no fuzzy matching: an annotation naming a body the registry does not know must be seen by a person.

Why partial dates: the CSV gives some validity bounds as a year ("2018") or a month ("2020-10").
A date inside that period cannot be decided, so :meth:`AgencyRegistry.valid_on` answers None
there rather than pretending. When an agency's end is only a year and its single successor's
start is a full date inside that year (银保监会 → 国家金融监督管理总局, 2023-05-18), that date is
taken as the end.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from fenghuo.core.i18n import _
from fenghuo.core.settings import shared_dir
from fenghuo.policy.normalize import fold_width, to_simplified
from fenghuo.policy.responsibility import is_generic_actor

CSV_RELATIVE = Path("data/policy/central_agencies.csv")
GENERIC_CATEGORY_PREFIX = "泛指主体"
REQUIRED_COLUMNS = ("id", "full_name", "official_short", "aliases", "category", "status", "valid_from",
                    "valid_to", "predecessor", "successor")


class RegistryError(ValueError):
    """The agency CSV is missing or malformed (names the row and the column)."""


def name_key(name: str) -> str:
    """The lookup form of a name: simplified, half-width, no whitespace."""
    return re.sub(r"\s+", "", to_simplified(fold_width(name)))


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day (``2018``, ``2020-10``, ``2023-05-18``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        text = text.strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
        if not match:
            raise ValueError(text)
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if day is not None and month is not None:
            date(year, month, day)  # validates
        return cls(year, month, day)

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        if self.month is None:
            return date(self.year, 12, 31)
        nxt = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)

    @property
    def exact(self) -> bool:
        return self.day is not None

    def __str__(self) -> str:
        if self.day is not None and self.month is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class AgencyRecord:
    """One row of the registry."""

    id: str
    full_name: str
    short_name: str
    aliases: tuple[str, ...]
    category: str
    managed_by: str
    status: str
    valid_from: PartialDate | None
    valid_to: PartialDate | None
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    note: str = ""
    evidence: str = ""

    @property
    def generic(self) -> bool:
        """A generic actor row (各地区, 各有关部门 …): kept for reference, never resolved as an agency."""
        return self.category.startswith(GENERIC_CATEGORY_PREFIX)

    @property
    def confirmed(self) -> bool:
        return bool(self.evidence) and not self.evidence.lower().startswith("unverified")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.full_name, self.short_name, *self.aliases)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "full_name": self.full_name, "short_name": self.short_name,
            "aliases": list(self.aliases), "category": self.category, "managed_by": self.managed_by or None,
            "status": self.status, "valid_from": str(self.valid_from) if self.valid_from else None,
            "valid_to": str(self.valid_to) if self.valid_to else None,
            "predecessors": list(self.predecessors), "successors": list(self.successors),
            "note": self.note or None, "evidence": self.evidence or None, "confirmed": self.confirmed,
        }


Status = Literal["agency", "generic", "unknown", "ambiguous"]


@dataclass(frozen=True)
class Resolution:
    """What a name resolves to. ``status`` says whether to trust ``record``."""

    query: str
    status: Status
    record: AgencyRecord | None = None
    matched_by: str | None = None  # full_name | short_name | alias
    candidates: tuple[AgencyRecord, ...] = ()
    current: tuple[AgencyRecord, ...] = ()
    on: date | None = None
    valid_on: bool | None = None
    valid_from: date | None = None
    valid_until: date | None = None  # last day known valid (exclusive end − 1), when known exactly

    @property
    def id(self) -> str | None:
        return self.record.id if self.record and self.status == "agency" else None

    @property
    def current_name(self) -> str | None:
        """The full name of the body that carries on today (itself if still active)."""
        return self.current[0].full_name if len(self.current) == 1 else None

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "status": self.status,
            "id": self.id,
            "matched_by": self.matched_by,
            "record": self.record.to_dict() if self.record else None,
            "candidates": [c.id for c in self.candidates],
            "current_name": self.current_name,
            "current": [{"id": c.id, "full_name": c.full_name} for c in self.current],
            "on": self.on.isoformat() if self.on else None,
            "valid_on": self.valid_on,
        }


_PRIORITY = {"full_name": 0, "short_name": 1, "alias": 2}
_HISTORICAL_ALIAS = re.compile(r"^(.+?)\((\d{4})(前|以前|后|以后)\)$")


@dataclass
class AgencyRegistry:
    records: dict[str, AgencyRecord]
    source: str = ""
    _index: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[int, str, str]]] = {}
        full_names = {name_key(r.full_name) for r in self.records.values()}
        for record in self.records.values():
            names: list[tuple[str, str]] = [("full_name", record.full_name)]
            # "中央纪律检查委员会 国家监察委员会": two bodies' names under one roof, each its own name.
            names += [("full_name", part) for part in record.full_name.split() if part != record.full_name]
            names.append(("short_name", record.short_name))
            for alias in record.aliases:
                historical = _HISTORICAL_ALIAS.match(fold_width(alias))
                if historical:
                    # "农业部(2018前)": the name of another (older) body; that body's row answers for it.
                    if name_key(historical.group(1)) in full_names:
                        continue
                    alias = historical.group(1)
                names.append(("alias", alias))
            for how, name in names:
                key = name_key(name)
                if not key:
                    continue
                entry = (_PRIORITY[how], record.id, how)
                bucket = index.setdefault(key, [])
                if not any(e[1] == record.id for e in bucket):
                    bucket.append(entry)
                else:  # keep the best way this record is known by the name
                    bucket[:] = [min(e, entry) if e[1] == record.id else e for e in bucket]
        self._index = index

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def from_csv(cls, path: str | Path) -> AgencyRegistry:
        path = Path(path)
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise RegistryError(f"{path}: {exc.strerror or exc}") from exc
        with handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RegistryError(_("%(path)s: missing columns %(columns)s", path=path,
                                      columns=", ".join(missing)))
            records = list(_records(reader, path))
        return cls.from_records(records, source=str(path))

    @classmethod
    def from_records(cls, records: Iterable[AgencyRecord], source: str = "") -> AgencyRegistry:
        by_id: dict[str, AgencyRecord] = {}
        for record in records:
            if record.id in by_id:
                raise RegistryError(_("%(path)s: duplicate id %(id)s", path=source, id=record.id))
            by_id[record.id] = record
        return cls(records=by_id, source=source)

    # -- lookups ---------------------------------------------------------------------------

    def get(self, agency_id: str) -> AgencyRecord | None:
        return self.records.get(agency_id)

    def __len__(self) -> int:
        return len(self.records)

    def knows(self, name: str) -> bool:
        """True when ``name`` is some record's name (even ambiguously, even a generic row)."""
        return name_key(name) in self._index

    def _lookup(self, name: str) -> tuple[list[AgencyRecord], str | None]:
        bucket = self._index.get(name_key(name), [])
        if not bucket:
            return [], None
        best = min(e[0] for e in bucket)
        top = [e for e in bucket if e[0] == best]
        return [self.records[e[1]] for e in top], top[0][2]

    def resolve(self, name: str, on: date | None = None) -> Resolution:
        """Resolve a name as written in a plan; ``on`` asks whether that body existed at that date."""
        found, how = self._lookup(name)
        if not found:
            status: Status = "generic" if is_generic_actor(name_key(name)) else "unknown"
            return Resolution(query=name, status=status, on=on)
        if len(found) > 1:
            return Resolution(query=name, status="ambiguous", candidates=tuple(found), matched_by=how, on=on)
        record = found[0]
        if record.generic:
            return Resolution(query=name, status="generic", record=record, matched_by=how, on=on)
        start, end = self.validity(record)
        return Resolution(
            query=name, status="agency", record=record, matched_by=how, current=self.current(record), on=on,
            valid_on=self.valid_on(record, on) if on else None,
            valid_from=start.first_day() if start and start.exact else None,
            valid_until=date.fromordinal(end.first_day().toordinal() - 1) if end and end.exact else None,
        )

    def by_name(self, name: str) -> AgencyRecord | None:
        """The one record a name denotes (generic rows included), else None."""
        found, _how = self._lookup(name)
        return found[0] if len(found) == 1 else None

    # -- succession and validity -------------------------------------------------------------

    def successors(self, record: AgencyRecord) -> tuple[AgencyRecord, ...]:
        out: list[AgencyRecord] = []
        for name in record.successors:
            successor = self.by_name(name)
            if successor is not None and successor.id != record.id:
                out.append(successor)
        return tuple(out)

    def current(self, record: AgencyRecord) -> tuple[AgencyRecord, ...]:
        """The bodies carrying on ``record`` today: itself if it has no successor, else the ends of
        its successor chains (银监会 → 银保监会 → 国家金融监督管理总局). Several when it was split."""
        out: dict[str, AgencyRecord] = {}
        seen: set[str] = set()
        stack = [record]
        while stack:
            node = stack.pop()
            if node.id in seen:
                continue
            seen.add(node.id)
            nxt = self.successors(node)
            if not nxt:
                out.setdefault(node.id, node)
            stack.extend(reversed(nxt))
        return tuple(out.values())

    def validity(self, record: AgencyRecord) -> tuple[PartialDate | None, PartialDate | None]:
        """(start, end) with end exclusive; a year-only end is sharpened by the successor's exact start."""
        end = record.valid_to
        if end is not None and not end.exact:
            starts = [s.valid_from for s in self.successors(record) if s.valid_from and s.valid_from.exact]
            if len(starts) == 1 and end.first_day() <= starts[0].first_day() <= end.last_day():
                end = starts[0]
        return record.valid_from, end

    def valid_on(self, record: AgencyRecord, on: date) -> bool | None:
        """True/False when the registry's dates decide it, None when ``on`` falls in an imprecise bound."""
        start, end = self.validity(record)
        if start is not None:
            if on < start.first_day():
                return False
            if on <= start.last_day() and not start.exact:
                return None
        if end is not None:
            if on >= end.last_day() and (end.exact or on > end.last_day()):
                return False
            if on >= end.first_day():
                return None
        if start is None and end is None and record.status not in ("active", ""):
            return None
        return True


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def _records(reader: csv.DictReader[str], path: Path) -> Iterable[AgencyRecord]:
    for line, row in enumerate(reader, start=2):
        def cell(name: str, row: dict[str, str] = row) -> str:
            return (row.get(name) or "").strip()

        if not cell("id") or not cell("full_name"):
            raise RegistryError(_("%(path)s:%(line)s: id and full_name are required", path=path, line=line))
        dates: dict[str, PartialDate | None] = {}
        for column in ("valid_from", "valid_to"):
            try:
                dates[column] = PartialDate.parse(cell(column))
            except ValueError as exc:
                raise RegistryError(_("%(path)s:%(line)s: %(column)s: not a date: %(value)s", path=path, line=line,
                                      column=column, value=cell(column))) from exc
        yield AgencyRecord(
            id=cell("id"),
            full_name=cell("full_name"),
            short_name=cell("official_short") or cell("full_name"),
            aliases=_split_list(cell("aliases")),
            category=cell("category"),
            managed_by=cell("managed_by"),
            status=cell("status"),
            valid_from=dates["valid_from"],
            valid_to=dates["valid_to"],
            predecessors=_split_list(cell("predecessor")),
            successors=_split_list(cell("successor")),
            note=cell("note"),
            evidence=cell("evidence"),
        )


def default_registry_path() -> Path:
    """``$FENGHUO_SHARED/data/policy/central_agencies.csv``."""
    return shared_dir() / CSV_RELATIVE


_CACHE: dict[Path, tuple[float, AgencyRegistry]] = {}


def load_registry(path: str | Path | None = None) -> AgencyRegistry:
    """The registry from ``path`` (default: the shared CSV), cached until the file changes."""
    resolved = Path(path) if path is not None else default_registry_path()
    try:
        mtime = resolved.stat().st_mtime
    except OSError as exc:
        raise RegistryError(f"{resolved}: {exc.strerror or exc}") from exc
    cached = _CACHE.get(resolved)
    if cached and cached[0] == mtime:
        return cached[1]
    registry = AgencyRegistry.from_csv(resolved)
    _CACHE[resolved] = (mtime, registry)
    return registry
