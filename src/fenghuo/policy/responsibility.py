"""The responsibility annotation that ends a measure → lead, co-agencies, open-endedness.

Forms met in plans (after width folding, so brackets and commas are half-width)::

    (国家知识产权局牵头,中央宣传部、农业农村部、国家林草局等按职责分工负责)   lead + co, open-ended
    (中央宣传部、外交部、商务部、国家知识产权局等按职责分工负责)              no lead: all co-responsible
    (国家知识产权局牵头,有关部门与地方各级人民政府按职责分工负责)             generic actors joined by 与
    (市场监管总局、农业农村部、知识产权局负责)                                 annual plans: short names
    (中央宣传部(国家版权局)、商务部负责)                                       nested brackets

Why scan right-to-left with bracket matching: the annotation is the LAST bracketed group of the
paragraph and may itself contain brackets; a regex on ``\\(([^)]*)\\)$`` would cut it at the inner
bracket.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fenghuo.policy.model import Responsibility

_OPEN = "(《〔[“‘【"
_CLOSE = ")》〕]”’】"
_PAIR = dict(zip(_CLOSE, _OPEN, strict=True))

_GENERIC_PREFIX = re.compile(r"^(各|有关|相关|地方|县级以上|省级|市级|县级|市县|其他|其它)")
_GENERIC_SUFFIX = re.compile(r"(各成员单位|成员单位)$")
_INSTITUTION_END = re.compile(
    r"(部|委|局|署|院|办|会|行|政府|部门|单位|地区|各地|机构|组织|中心|台|社|厅|室|联|团|协|军)$"
)
_RESPONSIBLE_END = re.compile(r"(?:(?:按照?|根据)?职责分工|按照?职责|分工|分别|共同|协同|各自)?(?:负责|落实)$")
_SUPPORT_END = re.compile(r"(?:按照?职责分工|按照?职责|分工|共同)?(?:配合|参与)$")
_OPEN_ENDED = re.compile(r"等(?:有关|相关)?(?:部门|单位|机构|地区)?$")
_CONJUNCTIONS = ("以及", "与", "及", "和")
_SEPARATORS = "、,;"
#: A name longer than this is prose in brackets, not a body.
MAX_NAME = 40


def is_generic_actor(name: str) -> bool:
    """有关部门, 各有关部门, 地方各级人民政府, 各地区, 部际联席会议各成员单位 … (no one agency)."""
    return bool(_GENERIC_PREFIX.search(name) or _GENERIC_SUFFIX.search(name))


def split_annotation(text: str) -> tuple[str, str | None]:
    """``(body, annotation)``: the final bracketed group of a paragraph, matched right-to-left.

    ``annotation`` is its content without the outer brackets, or None when the paragraph does not
    end with a bracket. A ``。`` after the closing bracket is tolerated.
    """
    stripped = text.rstrip()
    if stripped.endswith(("。", ".")) and stripped[:-1].endswith(")"):
        stripped = stripped[:-1]
    if not stripped.endswith(")"):
        return text, None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        ch = stripped[index]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                return stripped[:index].rstrip(), stripped[index + 1:-1]
    return text, None


def split_top_level(text: str, separators: str = _SEPARATORS) -> list[str]:
    """Split on ``separators`` outside brackets, quotes and 《》."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, ch in enumerate(text):
        if ch in _OPEN and not (ch in _CLOSE and depth > 0):
            depth += 1
        elif ch in _CLOSE and depth > 0:
            depth -= 1
        elif ch in separators and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _find_top_level(text: str, needle: str) -> int:
    depth = 0
    for index, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth > 0:
            depth -= 1
        elif depth == 0 and text.startswith(needle, index):
            return index
    return -1


def _split_conjunctions(name: str, is_known: Callable[[str], bool] | None) -> list[str]:
    """``有关部门与地方各级人民政府`` → two names, but ``文化和旅游部`` stays one.

    A name is split on 与/及/和 only when it is not itself a known name and every piece ends like
    an institution (…部, …局, …政府, …部门, …地区) — a structural test, not a guess at identity.
    """
    if is_known is not None and is_known(name):
        return [name]
    for conj in _CONJUNCTIONS:
        if _find_top_level(name, conj) < 0:
            continue
        pieces = [p for p in (q.strip() for q in name.split(conj)) if p]
        if len(pieces) >= 2 and all(
            _INSTITUTION_END.search(p.rstrip("等")) or is_generic_actor(p) for p in pieces
        ):
            out: list[str] = []
            for piece in pieces:
                out.extend(_split_conjunctions(piece, is_known))
            return out
    return [name]


def split_names(text: str, is_known: Callable[[str], bool] | None = None) -> list[str]:
    names: list[str] = []
    for token in split_top_level(text):
        names.extend(_split_conjunctions(token, is_known))
    return names


def _strip_open_ended(names: list[str]) -> bool:
    if not names:
        return False
    match = _OPEN_ENDED.search(names[-1])
    if not match:
        return False
    rest = names[-1][: match.start()].rstrip(_SEPARATORS + " ")
    if rest:
        names[-1] = rest
    else:
        names.pop()
    return True


def parse_annotation(content: str, is_known: Callable[[str], bool] | None = None) -> Responsibility | None:
    """The content of a trailing bracket → :class:`Responsibility`, or None if it is not one.

    ``is_known`` (the agency registry's test) only keeps known names with 与/和 in them whole.
    """
    text = content.strip().rstrip("。.;")
    body: str
    support_only = False
    if (match := _RESPONSIBLE_END.search(text)) is not None:
        body = text[: match.start()]
    elif text.endswith("牵头"):
        body = text
    elif (match := _SUPPORT_END.search(text)) is not None:
        body = text[: match.start()]
        support_only = True
    else:
        return None
    body = body.strip().rstrip(_SEPARATORS + " ")
    if not body:
        return None

    lead_text, co_text = "", body
    index = _find_top_level(body, "牵头")
    if index < 0 and not support_only:
        index = _find_top_level(body, "会同")  # "A会同B负责": A leads
        index = index if index > 0 else -1
    if index >= 0:
        lead_text, co_text = body[:index], body[index + 2:]
    co_text = co_text.strip().lstrip(_SEPARATORS + " ")
    if (match := _SUPPORT_END.search(co_text)) is not None:
        co_text = co_text[: match.start()]
    co_text = co_text.rstrip(_SEPARATORS + " ")

    lead = split_names(lead_text.strip().rstrip(_SEPARATORS + " "), is_known)
    co = split_names(co_text, is_known)
    open_ended = _strip_open_ended(co) if co else False
    open_ended = _strip_open_ended(lead) or open_ended
    if not lead and not co:
        return None
    if any(len(name) > MAX_NAME or "。" in name for name in (*lead, *co)):
        return None
    generic = tuple(name for name in (*lead, *co) if is_generic_actor(name))
    return Responsibility(lead=tuple(lead), co=tuple(co), open_ended=open_ended, annotation=content.strip(),
                          generic=generic)
