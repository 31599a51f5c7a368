"""The parsed shape of a Chinese policy plan: parts → sections → measures (+ items, boxes, tables).

Why plain dataclasses with a ``to_dict``: the JSON of ``fenghuo policy parse`` is a public
contract (acceptance checks compare its documented keys), so the documented keys are written in
one place here. Everything else a caller may want (the original text, numbered items, 专栏 boxes,
indicator tables, the raw annotation) goes under clearly named extra keys next to them.

Contract::

    {"title", "parts": [{"number", "title", "sections": [{"number", "title", "measures": [
        {"title", "text", "lead": [...], "co": [...], "open_ended": bool,
         "agencies": [{"name", "id", "role", "current_name"}]}]}]}]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["lead", "co"]
#: How an annotation name was resolved: a registry agency, a generic actor (有关部门, 各地区 …),
#: a name the registry does not know, one it knows under several agencies, or no registry loaded.
AgencyKind = Literal["agency", "generic", "unknown", "ambiguous", "unresolved"]


@dataclass(frozen=True)
class AgencyRef:
    """One name of a responsibility annotation, resolved (or not) against the agency registry.

    ``id`` and ``current_name`` are None unless the registry knows the name as exactly one agency:
    unknown names are reported, never guessed; generic actors are kept as written with id None.
    """

    name: str
    role: Role
    id: str | None = None
    current_name: str | None = None
    kind: AgencyKind = "unresolved"
    #: True/False when a date was given and the agency's validity is known at it; None if unsure.
    valid_on: bool | None = None
    checked_on: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "id": self.id, "role": self.role,
                               "current_name": self.current_name, "kind": self.kind}
        if self.checked_on is not None:
            out["valid_on"] = self.valid_on
            out["checked_on"] = self.checked_on
        return out


@dataclass(frozen=True)
class Responsibility:
    """The annotation that ends a measure: ``(A牵头,B、C等按职责分工负责)``."""

    lead: tuple[str, ...] = ()
    co: tuple[str, ...] = ()
    #: The list ended with 等 ("and others"): more bodies than the ones named take part.
    open_ended: bool = False
    #: The annotation as written, without its brackets (normalized text).
    annotation: str = ""
    #: Names among lead and co that are generic actors (有关部门, 地方各级人民政府, 各地区 …).
    generic: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"lead": list(self.lead), "co": list(self.co), "open_ended": self.open_ended,
                "annotation": self.annotation, "generic_actors": list(self.generic)}


@dataclass
class Table:
    """A table as rows of cell texts (indicator tables come from HTML/DOCX tables, not flat text)."""

    rows: list[list[str]]
    caption: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"caption": self.caption, "rows": [list(r) for r in self.rows]}


@dataclass
class Item:
    """A numbered item (``1.`` / ``1．`` / ``(1)``) inside a measure or a 专栏 box."""

    number: str
    title: str
    text: str
    original: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "text": self.text, "original": self.original}


@dataclass
class Box:
    """A special box (专栏): a numbered title and its items, lines and tables."""

    number: str | None
    title: str
    items: list[Item] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "items": [i.to_dict() for i in self.items],
                "lines": list(self.lines), "tables": [t.to_dict() for t in self.tables]}


@dataclass
class Measure:
    """A paragraph (or a few, when numbered items follow it) whose first sentence is its title."""

    title: str
    text: str
    original: str
    responsibility: Responsibility | None = None
    agencies: list[AgencyRef] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    #: The plan's own number when measures are numbered (``1.``), else None.
    number: str | None = None

    @property
    def lead(self) -> list[str]:
        return list(self.responsibility.lead) if self.responsibility else []

    @property
    def co(self) -> list[str]:
        return list(self.responsibility.co) if self.responsibility else []

    @property
    def open_ended(self) -> bool:
        return bool(self.responsibility and self.responsibility.open_ended)

    @property
    def closed(self) -> bool:
        """True once the responsibility annotation that ends the measure was read."""
        return self.responsibility is not None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "text": self.text,
            "lead": self.lead,
            "co": self.co,
            "open_ended": self.open_ended,
            "agencies": [a.to_dict() for a in self.agencies],
        }
        # extra keys (not part of the contract)
        out["number"] = self.number
        out["annotation"] = self.responsibility.annotation if self.responsibility else None
        out["generic_actors"] = list(self.responsibility.generic) if self.responsibility else []
        out["items"] = [i.to_dict() for i in self.items]
        out["original"] = self.original
        return out


@dataclass
class Section:
    """A section: ``(十三)主动参与知识产权全球治理。`` — number ``十三`` as the plan writes it."""

    number: str
    title: str
    measures: list[Measure] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "measures": [m.to_dict() for m in self.measures],
            "boxes": [b.to_dict() for b in self.boxes],
            "tables": [t.to_dict() for t in self.tables],
        }


@dataclass
class Part:
    """A part: ``六、推进知识产权国际合作,服务开放型经济发展``.

    ``measures`` holds paragraphs written directly under the part (plans whose last part has no
    sections); the contract only has ``sections`` so they are an extra key.
    """

    number: str | None
    title: str
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "sections": [s.to_dict() for s in self.sections],
            "measures": [m.to_dict() for m in self.measures],
            "boxes": [b.to_dict() for b in self.boxes],
            "tables": [t.to_dict() for t in self.tables],
        }

    def all_measures(self) -> list[Measure]:
        return [*self.measures, *(m for s in self.sections for m in s.measures)]


@dataclass
class Plan:
    """A parsed plan. ``title`` is the plan's own name (the 《…》 of a "印发《…》" headline)."""

    title: str | None
    parts: list[Part] = field(default_factory=list)
    headline: str | None = None
    document_number: str | None = None
    preamble: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    #: Lines dropped as web-page debris (site header, footer, disclaimer, contact block).
    ignored: list[str] = field(default_factory=list)

    def measures(self) -> list[Measure]:
        return [m for p in self.parts for m in p.all_measures()]

    def unknown_agencies(self) -> list[str]:
        """Names in annotations that are neither a known agency nor a generic actor (first-seen order)."""
        seen: dict[str, None] = {}
        for measure in self.measures():
            for ref in measure.agencies:
                if ref.kind in ("unknown", "ambiguous"):
                    seen.setdefault(ref.name, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "parts": [p.to_dict() for p in self.parts],
            # extra keys
            "headline": self.headline,
            "document_number": self.document_number,
            "preamble": list(self.preamble),
            "boxes": [b.to_dict() for b in self.boxes],
            "tables": [t.to_dict() for t in self.tables],
            "unknown_agencies": self.unknown_agencies(),
            "ignored_lines": list(self.ignored),
        }


def contract_view(data: dict[str, Any]) -> dict[str, Any]:
    """Only the documented contract keys of a ``Plan.to_dict()`` (what acceptance checks compare)."""
    return {
        "title": data["title"],
        "parts": [
            {
                "number": p["number"],
                "title": p["title"],
                "sections": [
                    {
                        "number": s["number"],
                        "title": s["title"],
                        "measures": [
                            {
                                "title": m["title"],
                                "text": m["text"],
                                "lead": m["lead"],
                                "co": m["co"],
                                "open_ended": m["open_ended"],
                                "agencies": [
                                    {k: a[k] for k in ("name", "id", "role", "current_name")}
                                    for a in m["agencies"]
                                ],
                            }
                            for m in s["measures"]
                        ],
                    }
                    for s in p["sections"]
                ],
            }
            for p in data["parts"]
        ],
    }
