"""Structure of a Chinese policy plan: title, parts (一、), sections ((一)/(十三)), measures,
numbered items, 专栏 boxes and tables, each measure with its responsibility annotation.

The rules (after :mod:`fenghuo.policy.normalize`):

* a part is a line ``六、…`` (or ``第六章 …``); a section is ``(十三)…`` (or ``第三节 …``); their
  numbers are kept in the plan's own numerals and their titles without a trailing ``。``;
* every other paragraph under a section (or directly under a part) is a measure whose first
  sentence is its title; the bracket that ends it is the responsibility annotation;
* a measure stays open until its annotation: numbered items (``1.``) that follow an open,
  unnumbered measure, and a paragraph after one ending with ``:``, belong to it; an annotation
  alone on a line closes the open measure; when measures are themselves numbered, each number
  starts a new measure;
* ``专栏N 标题`` opens a box that collects numbered items (and lines, while it has no items) until
  the next heading, box, or ordinary paragraph;
* lines before the first heading are the preamble: the first one that names a plan (规划, 计划,
  方案 …), preferring one with a whole 《…》, is the headline, and the 《…》 of "印发《…》" in it is
  the plan's title; lines above the headline are site furniture and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.policy.agencies import AgencyRegistry, RegistryError, load_registry
from fenghuo.policy.model import AgencyRef, Box, Item, Measure, Part, Plan, Responsibility, Role, Section, Table
from fenghuo.policy.normalize import (
    BOX_RE,
    CAPTION_RE,
    CHAPTER_RE,
    ITEM_RE,
    PART_RE,
    SECTION_RE,
    SUBCHAPTER_RE,
    Line,
    normalize_blocks,
)
from fenghuo.policy.readers import Block, ReadError, read_path, read_text
from fenghuo.policy.responsibility import is_generic_actor, parse_annotation, split_annotation


class PlanParseError(ValidationFailed):
    """The input is empty or has no recognizable plan structure."""


_TERMINALS = "。!?！？"
_OPENERS = "(《〔[“‘【"
_CLOSERS = ")》〕]”’】"
_PLAN_WORDS = re.compile(r"(规划|计划|方案|纲要|意见|要点|通知|办法|决定|战略|措施|行动)")
_ISSUED = re.compile(r"(?:印发|发布|公布|出台)[^《]*《(.+)》")
_BOOK_TITLE = re.compile(r"^《(.+)》")
_BOOKED = re.compile(r"《[^》]+》")
_FULLTEXT_NOTE = re.compile(r"\((?:附全文|全文|附解读|图解|全文发布)\)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[]\d{4}[〕\]]\d+号")
_TRAILING = "。.;:,、 "


def first_sentence(text: str) -> str:
    """Up to the first 。/!/? outside brackets and quotes, without it (the whole text if none)."""
    depth = 0
    for index, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and depth > 0:
            depth -= 1
        elif ch in _TERMINALS and depth == 0:
            return text[:index].strip()
    return text.strip().rstrip(_TRAILING)


def _clean_title(text: str) -> str:
    return text.strip().rstrip(_TRAILING)


def _heading(rest: str) -> tuple[str, str]:
    """A heading's title (first sentence) and whatever text follows it on the same line."""
    title = first_sentence(rest)
    remainder = rest[len(title):].lstrip(_TERMINALS + " ") if rest.startswith(title) else ""
    return _clean_title(title), remainder


def plan_title(headline: str) -> str:
    """``国务院印发《“十四五”国家知识产权保护和运用规划》(附全文)`` → ``“十四五”国家知识产权保护和运用规划``."""
    match = _ISSUED.search(headline) or _BOOK_TITLE.match(headline)
    if match:
        return match.group(1).strip()
    return _FULLTEXT_NOTE.sub("", headline).strip()


class _Builder:
    def __init__(self, is_known: Callable[[str], bool] | None) -> None:
        self.is_known = is_known
        self.plan = Plan(title=None)
        self.part: Part | None = None
        self.section: Section | None = None
        self.measure: Measure | None = None
        self.box: Box | None = None
        self.box_needs_title = False
        self.caption: str | None = None
        self.structured = False
        self.preamble: list[str] = []

    # -- containers --------------------------------------------------------------------------

    def _ensure_part(self) -> Part:
        if self.part is None:
            self.part = Part(number=None, title="")
            self.plan.parts.append(self.part)
        return self.part

    def _measures(self) -> list[Measure]:
        if self.section is not None:
            return self.section.measures
        return self._ensure_part().measures

    def _close_box(self) -> None:
        self.box = None
        self.box_needs_title = False

    # -- blocks ------------------------------------------------------------------------------

    def table(self, table: Table) -> None:
        if table.caption is None and self.caption:
            table.caption = self.caption
        self.caption = None
        if self.box is not None:
            self.box.tables.append(table)
        elif self.section is not None:
            self.section.tables.append(table)
        elif self.part is not None:
            self.part.tables.append(table)
        else:
            self.plan.tables.append(table)

    def line(self, line: Line) -> None:
        text = line.text
        if (m := PART_RE.match(text) or CHAPTER_RE.match(text)) is not None:
            self._start_part(m.group(1), m.group(2), line)
        elif (m := SECTION_RE.match(text) or SUBCHAPTER_RE.match(text)) is not None:
            self._start_section(m.group(1), m.group(2), line)
        elif (m := BOX_RE.match(text)) is not None:
            self._start_box(m.group(1), m.group(2))
        elif not self.structured:
            self.preamble.append(text)
        elif (m := CAPTION_RE.match(text)) is not None and len(text) <= 80 and "。" not in text:
            self.caption = text
        elif self.box is not None and self._box_line(line):
            pass
        else:
            self._paragraph(line)

    def _start_part(self, number: str, rest: str, line: Line) -> None:
        self.structured = True
        self._close_box()
        title, remainder = _heading(rest)
        self.part = Part(number=number, title=title)
        self.plan.parts.append(self.part)
        self.section = None
        self.measure = None
        if remainder:
            self._paragraph(Line(remainder, remainder))

    def _start_section(self, number: str, rest: str, line: Line) -> None:
        self.structured = True
        self._close_box()
        title, remainder = _heading(rest)
        self.section = Section(number=number, title=title)
        self._ensure_part().sections.append(self.section)
        self.measure = None
        if remainder:
            self._paragraph(Line(remainder, remainder))

    def _start_box(self, number: str | None, rest: str) -> None:
        self.structured = True
        box = Box(number=number, title=_clean_title(rest))
        if self.section is not None:
            self.section.boxes.append(box)
        elif self.part is not None:
            self.part.boxes.append(box)
        else:
            self.plan.boxes.append(box)
        self.box = box
        self.box_needs_title = not box.title
        self.measure = None

    def _box_line(self, line: Line) -> bool:
        """Add ``line`` to the open box; False when it ends the box (an ordinary paragraph)."""
        box = self.box
        assert box is not None
        text = line.text
        if self.box_needs_title:
            box.title = _clean_title(text)
            self.box_needs_title = False
            return True
        if (m := ITEM_RE.match(text)) is not None:
            number, rest = _item_parts(m)
            box.items.append(Item(number=number, title=first_sentence(rest), text=rest, original=line.original))
            return True
        _body, annotation = split_annotation(text)
        if annotation is not None and parse_annotation(annotation) is not None:
            self._close_box()
            return False
        if not box.items and not box.tables and len(text) <= 100:
            box.lines.append(text)
            return True
        self._close_box()
        return False

    def _paragraph(self, line: Line) -> None:
        text = line.text
        current = self.measure
        item = ITEM_RE.match(text)
        if item is not None:
            number, rest = _item_parts(item)
            if current is not None and not current.closed and current.number is None:
                body, responsibility = self._annotation(rest)
                current.items.append(Item(number=number, title=first_sentence(body), text=rest,
                                          original=line.original))
                self._extend(current, line, responsibility)
                return
            self._new_measure(line, body_text=rest, number=number)
            return
        body, responsibility = self._annotation(text)
        if current is not None and not current.closed:
            if not body and responsibility is not None:  # the annotation alone on a line
                self._extend(current, line, responsibility)
                return
            if current.text.rstrip().endswith(":"):
                self._extend(current, line, responsibility)
                return
        self._new_measure(line, body_text=text)

    def _annotation(self, text: str) -> tuple[str, Responsibility | None]:
        body, content = split_annotation(text)
        if content is None:
            return text, None
        responsibility = parse_annotation(content, self.is_known)
        return (body, responsibility) if responsibility is not None else (text, None)

    def _extend(self, measure: Measure, line: Line, responsibility: Responsibility | None) -> None:
        measure.text = f"{measure.text}\n{line.text}"
        measure.original = f"{measure.original}\n{line.original}"
        if responsibility is not None:
            measure.responsibility = responsibility

    def _new_measure(self, line: Line, body_text: str, number: str | None = None) -> None:
        body, responsibility = self._annotation(body_text)
        measure = Measure(title=first_sentence(body), text=line.text, original=line.original,
                          responsibility=responsibility, number=number)
        self._measures().append(measure)
        self.measure = measure

    # -- end ---------------------------------------------------------------------------------

    def finish(self) -> Plan:
        plan = self.plan
        candidates = [
            (bool(_BOOKED.search(text)), -index, index) for index, text in enumerate(self.preamble)
            if len(text) <= 120 and not text.endswith("。") and _PLAN_WORDS.search(text)
        ]
        headline: str | None = None
        preamble: list[str] = []
        if candidates:
            at = max(candidates)[2]
            headline = self.preamble[at]
            plan.ignored.extend(self.preamble[:at])  # above the title: site header, breadcrumb pieces
            preamble = [t for t in self.preamble[at + 1:] if t not in (headline, plan_title(headline))]
        else:
            preamble = list(self.preamble)
        plan.headline = headline
        plan.title = plan_title(headline) if headline else None
        plan.preamble = preamble
        for text in (headline or "", *preamble):
            if (m := _DOC_NUMBER.search(text)) is not None:
                plan.document_number = m.group(0)
                break
        return plan


def _item_parts(match: re.Match[str]) -> tuple[str, str]:
    number = match.group(1) or match.group(2) or match.group(3) or ""
    return number, match.group(4).strip()


# --- agencies --------------------------------------------------------------------------------


def agency_refs(responsibility: Responsibility, registry: AgencyRegistry | None,
                on: date | None = None) -> list[AgencyRef]:
    """Lead names then co names, each resolved; unknown names keep id None (never guessed)."""
    refs: list[AgencyRef] = []
    roles: list[tuple[str, Role]] = [(n, "lead") for n in responsibility.lead]
    roles += [(n, "co") for n in responsibility.co]
    checked = on.isoformat() if on else None
    for name, role in roles:
        if registry is None:
            refs.append(AgencyRef(name=name, role=role, kind="generic" if is_generic_actor(name) else "unresolved"))
            continue
        resolution = registry.resolve(name, on)
        if resolution.status == "agency":
            refs.append(AgencyRef(name=name, role=role, id=resolution.id, current_name=resolution.current_name,
                                  kind="agency", valid_on=resolution.valid_on, checked_on=checked))
        else:
            refs.append(AgencyRef(name=name, role=role, kind=resolution.status))
    return refs


def resolve_agencies(plan: Plan, registry: AgencyRegistry | None, on: date | None = None) -> Plan:
    for measure in plan.measures():
        measure.agencies = agency_refs(measure.responsibility, registry, on) if measure.responsibility else []
    return plan


def _registry(registry: AgencyRegistry | None, resolve: bool) -> AgencyRegistry | None:
    if registry is not None or not resolve:
        return registry
    try:
        return load_registry()
    except RegistryError:
        return None


# --- entry points ----------------------------------------------------------------------------


def parse_blocks(blocks: Iterable[Block], *, registry: AgencyRegistry | None = None, resolve: bool = True,
                 on: date | None = None) -> Plan:
    """Reader output (lines and tables) → :class:`Plan`.

    ``registry`` resolves annotation names; without one the shared CSV is loaded when present
    (``resolve=False`` skips resolution: every name is then "unresolved" or "generic").
    Raises :class:`PlanParseError` for an empty input or one without parts or sections.
    """
    normalized = normalize_blocks(blocks)
    if not normalized.blocks:
        raise PlanParseError(_("the file is empty (no text found)"))
    registry = _registry(registry, resolve)
    builder = _Builder(registry.knows if registry is not None else None)
    for block in normalized.blocks:
        if isinstance(block, Table):
            builder.table(block)
        else:
            builder.line(block)
    plan = builder.finish()
    plan.ignored = [*plan.ignored, *normalized.ignored]
    if not any(p.sections or p.measures for p in plan.parts):
        raise PlanParseError(_("no plan structure found: no parts (一、) or sections ((一)) with text"))
    return resolve_agencies(plan, registry, on)


def parse_text(text: str, *, registry: AgencyRegistry | None = None, resolve: bool = True,
               on: date | None = None) -> Plan:
    """Parse a plan given as plain text."""
    return parse_blocks(read_text(text), registry=registry, resolve=resolve, on=on)


def parse_file(path: str | Path, *, registry: AgencyRegistry | None = None, resolve: bool = True,
               on: date | None = None) -> Plan:
    """Parse a plan file: plain text, HTML or DOCX (decided from the content)."""
    try:
        blocks = read_path(path)
    except ReadError as exc:
        raise PlanParseError(str(exc), record=str(path)) from exc
    return parse_blocks(blocks, registry=registry, resolve=resolve, on=on)
