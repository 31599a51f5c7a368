"""The normalized trademark register record every source adapter produces.

Why one record for every source: the similarity engine, the index, the squatter detector
and the alert deadlines must not care whether a mark came from EUIPO XML, a WIPO ST.66
feed, a USPTO daily file or a CSV. Adapters turn bytes into :class:`RegisterRecord`;
``fenghuo.tm.ingest`` stores them; everything downstream reads only these fields.

Plain dataclasses (not ORM rows) so that source adapters stay free of the database and
records can be pickled to Dask workers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class MarkFeature(StrEnum):
    """What the mark consists of, normalized across offices' vocabularies."""

    WORD = "word"
    FIGURATIVE = "figurative"
    COMBINED = "combined"  # word + device ("Combined" in ST.66, "Figurative" with text at EUIPO)
    THREE_D = "3d"
    COLOUR = "colour"
    SOUND = "sound"
    POSITION = "position"
    PATTERN = "pattern"
    MOTION = "motion"
    MULTIMEDIA = "multimedia"
    HOLOGRAM = "hologram"
    OTHER = "other"
    UNKNOWN = "unknown"


class MarkStatus(StrEnum):
    """Normalized life-cycle status; the office's own wording is kept beside it."""

    PENDING = "pending"  # filed, examined, published, opposed — not yet registered
    REGISTERED = "registered"
    ENDED = "ended"  # refused, withdrawn, cancelled, surrendered, invalidated
    EXPIRED = "expired"  # not renewed
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class VerbalElement:
    """One verbal element of a mark with what the office says about it."""

    text: str
    language: str | None = None  # ISO 639-1 where the office gives one
    transliteration: str | None = None  # e.g. ST.66 MarkTransliteration
    translations: tuple[tuple[str, str], ...] = ()  # (language, text)


@dataclass(frozen=True)
class GoodsServices:
    """Goods/services of one Nice class; ``terms`` holds (language, term) pairs, all languages given."""

    nice_class: int
    terms: tuple[tuple[str, str], ...] = ()

    def terms_in(self, language: str) -> list[str]:
        return [t for lang, t in self.terms if lang == language]


@dataclass(frozen=True)
class Party:
    """An applicant, holder or representative."""

    name: str
    country: str | None = None  # ISO 3166 / ST.3 code
    identifier: str | None = None  # office's own id of the party, if any
    kind: str = "applicant"  # applicant | holder | representative


@dataclass(frozen=True)
class Opposition:
    identifier: str
    date: date | None = None
    grounds: tuple[str, ...] = ()
    status: str | None = None


@dataclass(frozen=True)
class RegisterRecord:
    """A trademark as published by an office, normalized.

    ``global_id`` is stable across re-ingests: ``"{office}:{application_number}"`` with the
    application number stripped of separators, so the same mark from two files upserts.
    """

    office: str  # ST.3 code of the office that holds the register: EM, US, MY, CN, WO, ...
    application_number: str
    verbal_elements: tuple[VerbalElement, ...] = ()
    registration_number: str | None = None
    feature: MarkFeature = MarkFeature.UNKNOWN
    goods_services: tuple[GoodsServices, ...] = ()
    applicants: tuple[Party, ...] = ()
    representatives: tuple[Party, ...] = ()
    application_date: date | None = None
    publication_date: date | None = None
    registration_date: date | None = None
    expiry_date: date | None = None
    status: MarkStatus = MarkStatus.UNKNOWN
    office_status: str | None = None  # the office's own status wording
    oppositions: tuple[Opposition, ...] = ()
    kind: str | None = None  # individual / collective / certification ...
    source: str | None = None  # file name or feed the record came from
    extra: tuple[tuple[str, str], ...] = ()  # office-specific fields worth keeping

    @property
    def global_id(self) -> str:
        return make_global_id(self.office, self.application_number)

    @property
    def mark_text(self) -> str:
        """The first verbal element, or '' for a purely figurative mark."""
        return self.verbal_elements[0].text if self.verbal_elements else ""

    @property
    def nice_classes(self) -> tuple[int, ...]:
        return tuple(sorted({g.nice_class for g in self.goods_services}))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings, enums as values); used by golden files."""
        return _jsonable(asdict(self))


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def record_from_dict(data: dict[str, Any]) -> RegisterRecord:
    """Inverse of :meth:`RegisterRecord.to_dict` (the stored JSON back into a record)."""
    return RegisterRecord(
        office=data["office"],
        application_number=data["application_number"],
        verbal_elements=tuple(
            VerbalElement(v["text"], v.get("language"), v.get("transliteration"),
                          tuple(tuple(t) for t in v.get("translations") or ()))
            for v in data.get("verbal_elements") or ()
        ),
        registration_number=data.get("registration_number"),
        feature=MarkFeature(data.get("feature") or "unknown"),
        goods_services=tuple(
            GoodsServices(int(g["nice_class"]), tuple(tuple(t) for t in g.get("terms") or ()))
            for g in data.get("goods_services") or ()
        ),
        applicants=tuple(Party(**p) for p in data.get("applicants") or ()),
        representatives=tuple(Party(**p) for p in data.get("representatives") or ()),
        application_date=_date(data.get("application_date")),
        publication_date=_date(data.get("publication_date")),
        registration_date=_date(data.get("registration_date")),
        expiry_date=_date(data.get("expiry_date")),
        status=MarkStatus(data.get("status") or "unknown"),
        office_status=data.get("office_status"),
        oppositions=tuple(
            Opposition(o["identifier"], _date(o.get("date")), tuple(o.get("grounds") or ()), o.get("status"))
            for o in data.get("oppositions") or ()
        ),
        kind=data.get("kind"),
        source=data.get("source"),
        extra=tuple(tuple(e) for e in data.get("extra") or ()),
    )


def make_global_id(office: str, application_number: str) -> str:
    cleaned = "".join(ch for ch in application_number if ch.isalnum())
    return f"{office.upper()}:{cleaned}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


@dataclass
class RecordError(Exception):
    """A record that cannot be normalized; ingest quarantines it with this reason.

    ``record`` names the record (application number or position in the file) and ``field``
    the offending field, so the user can find and fix it.
    """

    record: str
    field: str
    reason: str
    source: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}record {self.record}: field {self.field}: {self.reason}"


@dataclass(frozen=True)
class PortfolioMark:
    """A mark an enterprise watches. ``classes`` empty means every class is watched."""

    mark_id: str
    mark: str
    classes: tuple[int, ...] = ()
    owner: str = ""
    jurisdictions: tuple[str, ...] = ()  # ST.3 codes; empty = everywhere
    aliases: tuple[str, ...] = ()
    organisation_id: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
