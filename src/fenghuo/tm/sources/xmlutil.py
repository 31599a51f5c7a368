"""Namespace-agnostic helpers for the office XML formats.

Why local names: EUIPO's schema, WIPO ST.66 and national variants put the same element names
in different namespaces (ST.66 files even mix the default and ``wo:`` namespaces inside one
record), so paths are matched on local names only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from lxml import etree

from fenghuo.core.limits import limits
from fenghuo.tm.records import RecordError


def local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in el:
        if local(child) == name:
            yield child


def find(el: etree._Element, path: str) -> etree._Element | None:
    """First element at ``path`` ("A/B/C", local names; "//" prefix = anywhere below)."""
    if path.startswith("//"):
        name = path[2:]
        for sub in el.iter():
            if sub is not el and local(sub) == name:
                return sub
        return None
    current: list[etree._Element] = [el]
    for part in path.split("/"):
        current = [c for node in current for c in children(node, part)]
        if not current:
            return None
    return current[0]


def find_all(el: etree._Element, path: str) -> list[etree._Element]:
    if path.startswith("//"):
        name = path[2:]
        return [sub for sub in el.iter() if sub is not el and local(sub) == name]
    current: list[etree._Element] = [el]
    for part in path.split("/"):
        current = [c for node in current for c in children(node, part)]
    return current


def text(el: etree._Element | None, path: str | None = None) -> str | None:
    node = find(el, path) if (el is not None and path) else el
    if node is None or node.text is None:
        return None
    value = " ".join(node.text.split())
    return value or None


_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")


def parse_date(value: str | None, *, record: str, field: str, source: str | None) -> date | None:
    """ISO (2020-07-27, with or without time) or compact (20200727) dates; anything else is a RecordError."""
    if not value:
        return None
    match = _DATE.match(value.strip())
    if not match:
        raise RecordError(record, field, f"not a date: {value!r}", source)
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise RecordError(record, field, f"not a valid date: {value!r}", source) from None


@dataclass
class OversizedRecord:
    """A record element that passed a size cap: it was dropped while parsing, not built.

    ``record`` is the record's id if its id element came before the cap was hit (else None:
    the caller names it by position); ``field`` the local name of the element whose text was
    too long (or the record element itself when the record as a whole was).
    """

    record: str | None
    field: str
    reason: str


def iter_elements(
    source: object, names: set[str], *, id_fields: frozenset[str] = frozenset()
) -> Iterator[etree._Element | OversizedRecord]:
    """Stream the elements whose local name is in ``names`` and free them after use (flat memory).

    ``source`` is a path or a binary file object. Malformed XML raises ``etree.XMLSyntaxError``.

    Bounded input: lxml's default limits stay on (no ``huge_tree``: a text node over 10 MB or
    nesting over 256 levels is a syntax error), and inside a record every element's text is
    measured as it ends: one text over ``limits().record_field_chars`` or a record over
    ``limits().record_bytes`` in total yields an :class:`OversizedRecord` instead of the
    element, whose remaining content is discarded as it is parsed (so memory stays bounded
    by the cap, not by the record). ``id_fields`` names the element holding the record id
    (``ApplicationNumber``) so the report can say which record it was.
    """
    caps = limits()
    context = etree.iterparse(source, events=("start", "end"), recover=False)
    depth = 0  # > 0 while inside a record element
    total = 0
    record_id: str | None = None
    oversized: tuple[str, str] | None = None
    for event, el in context:
        name = local(el)
        if event == "start":
            if depth or name in names:
                if depth == 0:
                    total, record_id, oversized = 0, None, None
                depth += 1
            continue
        if not depth:
            # Outside any record (headers, wrappers, whitespace): nothing reads it, free it too.
            _free(el, keep_tail=False)
            continue
        depth -= 1
        if oversized is None:
            size = len(el.text or "")
            total += size + sum(len(child.tail or "") for child in el)
            if size > caps.record_field_chars:
                oversized = (name, f"text of {size} characters, more than the limit of {caps.record_field_chars}")
            elif total > caps.record_bytes:
                oversized = (name, f"record text over {caps.record_bytes} characters in total")
            elif name in id_fields and record_id is None and el.text:
                record_id = " ".join(el.text.split())[:200] or None
        if oversized is not None and depth:
            el.clear(keep_tail=False)  # drop what was read; the record will not be built
            continue
        if depth:
            continue
        if oversized is None:
            yield el
        else:
            yield OversizedRecord(record_id, oversized[0], oversized[1])
        _free(el, keep_tail=True)


def _free(el: etree._Element, *, keep_tail: bool) -> None:
    el.clear(keep_tail=keep_tail)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
