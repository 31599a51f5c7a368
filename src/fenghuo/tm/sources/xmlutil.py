"""Namespace-agnostic helpers for the office XML formats.

Why local names: EUIPO's schema, WIPO ST.66 and national variants put the same element names
in different namespaces (ST.66 files even mix the default and ``wo:`` namespaces inside one
record), so paths are matched on local names only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from lxml import etree

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


def iter_elements(source: object, names: set[str]) -> Iterator[etree._Element]:
    """Stream the elements whose local name is in ``names`` and free them after use (flat memory).

    ``source`` is a path or a binary file object. Malformed XML raises ``etree.XMLSyntaxError``.
    """
    context = etree.iterparse(source, events=("end",), huge_tree=True, recover=False)
    for _event, el in context:
        if local(el) in names:
            yield el
            el.clear(keep_tail=True)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
