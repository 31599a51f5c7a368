"""Text normalization for policy plans: simplified characters, one width of punctuation, lines
joined back where a PDF hard-wrapped them, and web-page debris (site header, footer, disclaimer,
contact block) dropped.

Why fold full-width ASCII punctuation to half-width (``，`` → ``,``, ``（`` → ``(``) and not the
other way: the plan text Fenghuo implements circulates with half-width commas and brackets (the
seed scraped from a web page), and its part titles must come out "as written" there; folding every
variant onto that one form makes the full-width and the half-width texts parse to the same result.
``、``, ``。``, quotes and 《》 have no half-width twin and are kept.

Why t2s on every text: plans circulate in traditional characters; the simplified → traditional →
simplified round trip of the seed is exact (checked in the tests), so converting an already
simplified text changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from fenghuo.policy.model import Table

# --- characters ------------------------------------------------------------------------------

_FOLD: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({
    0x3000: " ",  # ideographic space
    0x00A0: " ",  # no-break space (web pages)
    0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200A: " ",
    0x200B: "", 0x200C: "", 0x200D: "", 0xFEFF: "",  # zero-width, BOM
    0xFE59: "(", 0xFE5A: ")",  # small parentheses
    0xFF5F: "(", 0xFF60: ")",  # white parentheses
})


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    from opencc import OpenCC

    converter = OpenCC("t2s")
    convert: Callable[[str], str] = converter.convert
    return convert


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (OpenCC ``t2s``)."""
    return _t2s()(text) if text else text


def fold_width(text: str) -> str:
    """Full-width ASCII-range characters → half-width; odd spaces → space; zero-width removed."""
    return text.translate(_FOLD)


_WS = re.compile(r"[ \t\r\f\v]+")
_CJKISH = r"\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u2014\u2026\u201c\u201d\u2018\u2019"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJKISH}(),.;:!?])\s+(?=[{_CJKISH}])|(?<=[{_CJKISH}])\s+(?=[(),.;:!?])")


def normalize_line(text: str) -> str:
    """One line: width folding, simplified characters, whitespace collapsed and stripped."""
    return _WS.sub(" ", to_simplified(fold_width(text))).strip()


def drop_cjk_spaces(text: str) -> str:
    """Remove spaces between Chinese characters and punctuation (PDF extraction and HTML source
    line breaks put them there); spaces between Latin words stay."""
    return _SPACE_IN_CJK.sub("", text)


def visual_width(text: str) -> int:
    """Display columns: wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# --- structure markers shared with the parser -------------------------------------------------

CN_NUM = "一二三四五六七八九十百零〇两"
PART_RE = re.compile(rf"^([{CN_NUM}]+)\s*、\s*(.*)$")
CHAPTER_RE = re.compile(rf"^第([{CN_NUM}\d]+)[章篇]\s*(.*)$")
SECTION_RE = re.compile(rf"^\(\s*([{CN_NUM}]+)\s*\)\s*(.*)$")
SUBCHAPTER_RE = re.compile(rf"^第([{CN_NUM}\d]+)节\s*(.*)$")
ITEM_RE = re.compile(r"^(?:(\d{1,3})\s*[.、](?!\d)|\(\s*(\d{1,3})\s*\)|([\u2460-\u2473]))\s*(.*)$")
BOX_RE = re.compile(rf"^专栏\s*([\d{CN_NUM}]+)?\s*[:.、]?\s*(.*)$")
CAPTION_RE = re.compile(rf"^表\s*([\d{CN_NUM}]+)\s*[:.、]?\s*(.*)$")


def is_structural(text: str) -> bool:
    """True when a line starts a part, section, numbered item or 专栏 (never a wrapped continuation)."""
    return any(p.match(text) for p in (PART_RE, CHAPTER_RE, SECTION_RE, SUBCHAPTER_RE, ITEM_RE, BOX_RE))


# --- debris ----------------------------------------------------------------------------------

_DEBRIS_PATTERNS: tuple[str, ...] = (
    r"^首页(\s|[>›»/|]|$)",
    r"^(当前位置|您的位置|您现在的位置|所在位置|当前页面)",
    r"^(上一篇|下一篇|上一条|下一条|上一页|下一页)",
    r"^(返回顶部|回到顶部|返回首页|返回列表|关闭窗口|打印本页|【?打印】?$|【?关闭】?$|分享到|字号\s*[:：]?)",
    r"^(为您推荐|相关推荐|相关阅读|相关文章|相关链接|热门文章|推荐阅读|猜你喜欢|延伸阅读)",
    r"^(联系我们|联系方式|在线咨询|在线客服|客服热线|投诉建议)",
    r"^(邮箱|电子邮箱|电话|手机|传真|地址|邮编|QQ|微信号?)\s*[:：]",
    r"^(工作时间|服务时间|办公时间)",
    r"(扫一扫|关注微信|关注微博|关注我们|微信公众号)",
    r"^(免责声明|版权声明|特别声明)",
    r"^.{0,40}(版权所有|Copyright|©|ICP备|ICP证|公网安备|网站地图|主办单位|承办单位|技术支持)",
    r"^(来源|信息来源|文章来源|发布时间|发布日期|更新时间|浏览次数|阅读次数|点击数|作者|编辑|责任编辑)\s*[:：]",
    r"^\(?责任编辑",
    r"^(error|undefined|null|loading\.*)\s*:?\s*$",
    r"^[\d\s\-+()]{7,}$",
    r"^(https?://|www\.)\S+$",
    r"^[\W_]+$",
)
_DEBRIS = re.compile("|".join(f"(?:{p})" for p in _DEBRIS_PATTERNS), re.IGNORECASE)
#: Once the plan's structure has begun, these start the page footer: the line and all after it go.
_FOOTER_START = re.compile(
    r"^(免责声明|版权声明|特别声明|上一篇|下一篇|上一条|下一条|为您推荐|相关推荐|相关阅读|相关文章|推荐阅读|"
    r"猜你喜欢|延伸阅读|\(?责任编辑|【打印】|【关闭】|打印本页|关闭窗口|返回顶部)"
)


def is_debris(text: str) -> bool:
    """Site furniture: breadcrumbs, navigation, contact blocks, disclaimers, copyright lines."""
    return bool(_DEBRIS.search(text))


# --- lines and de-wrapping -------------------------------------------------------------------


@dataclass
class Line:
    """A (joined) line: ``text`` normalized, ``original`` as the source wrote it."""

    text: str
    original: str
    #: The last physical line joined into ``text`` (the wrap-width test looks at it).
    tail: str = ""


Block = Line | Table


@dataclass
class Normalized:
    blocks: list[Block]
    ignored: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Line)]


_TERMINAL_END = re.compile(r"[。!?;:)》”]$")
_ANNOTATION_END = re.compile(r"(负责|牵头|配合|参与|落实)\)[。.]?$")


def _wrap_width(lines: Sequence[Line]) -> tuple[Callable[[str], int], int] | None:
    """The column at which the text was hard-wrapped, if it was (most lines stop at it)."""
    best: tuple[float, Callable[[str], int], int] | None = None
    measures: tuple[Callable[[str], int], ...] = (len, visual_width)
    for metric in measures:
        lengths = [metric(line.text) for line in lines if line.text]
        long = [n for n in lengths if n >= 16]
        if len(long) < 5:
            continue
        counts = Counter(long)
        width = max(counts, key=lambda w: (counts[w] + counts[w - 1] + counts[w + 1], w))
        support = counts[width] + counts[width - 1] + counts[width + 1]
        share = support / max(1, sum(1 for n in long if n >= width - 1))
        if support >= 5 and share >= 0.4 and (best is None or share > best[0]):
            best = (share, metric, width)
    return (best[1], best[2]) if best else None


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def dewrap(lines: Sequence[Line]) -> list[Line]:
    """Join lines a PDF (or a mail client) hard-wrapped; blank lines (``text == ""``) stay.

    A line continues on the next when it reaches the wrap width, the next line does not start a
    part/section/item/专栏, and the line neither ends a responsibility annotation nor is site debris
    on its own (a breadcrumb that happens to fill the line). Across a blank
    line (a page break) the line must also not end with closing punctuation.
    """
    wrap = _wrap_width(lines)
    if wrap is None:
        return [Line(line.text, line.original) for line in lines]
    metric, width = wrap

    def full(text: str) -> bool:
        return width - 1 <= metric(text) <= width + 1

    out: list[Line] = []
    blank_since = False
    for line in lines:
        if not line.text:
            out.append(Line("", ""))
            blank_since = True
            continue
        prev_index = len(out) - 1
        while prev_index >= 0 and not out[prev_index].text:
            prev_index -= 1
        prev = out[prev_index] if prev_index >= 0 else None
        joinable = (
            prev is not None
            and full(prev.tail or prev.text)
            and not is_structural(line.text)
            and not _ANNOTATION_END.search(prev.text)
            and not is_debris(prev.text)  # a breadcrumb that happens to fill the line ends there
            and not (blank_since and _TERMINAL_END.search(prev.text))
        )
        if joinable and prev is not None:
            del out[prev_index + 1:]
            prev.text = _join(prev.text, line.text)
            prev.original = _join(prev.original, line.original)
            prev.tail = line.text
        else:
            out.append(Line(line.text, line.original, line.text))
        blank_since = False
    return out


# --- the pipeline ----------------------------------------------------------------------------


def normalize_blocks(raw: Iterable[str | Table]) -> Normalized:
    """Raw reader output (lines and tables) → normalized, de-wrapped paragraphs without debris."""
    segments: list[list[Line] | Table] = []
    current: list[Line] = []
    for block in raw:
        if isinstance(block, Table):
            segments.append(current)
            segments.append(_normalize_table(block))
            current = []
            continue
        for physical in block.split("\n"):
            current.append(Line(normalize_line(physical), physical.strip()))
    segments.append(current)

    blocks: list[Block] = []
    for segment in segments:
        if isinstance(segment, Table):
            blocks.append(segment)
        else:
            blocks.extend(line for line in dewrap(segment) if line.text)
    return _drop_debris(blocks)


def _normalize_table(table: Table) -> Table:
    rows = [[drop_cjk_spaces(normalize_line(cell)) for cell in row] for row in table.rows]
    rows = [row for row in rows if any(row)]
    caption = drop_cjk_spaces(normalize_line(table.caption)) if table.caption else None
    return Table(rows=rows, caption=caption)


def _drop_debris(blocks: list[Block]) -> Normalized:
    kept: list[Block] = []
    ignored: list[str] = []
    structure_seen = False
    cut = False
    for block in blocks:
        if cut:
            if isinstance(block, Line):
                ignored.append(block.original)
            continue
        if isinstance(block, Table):
            kept.append(block)
            continue
        if structure_seen and _FOOTER_START.match(block.text):
            cut = True
            ignored.append(block.original)
            continue
        if is_debris(block.text):
            ignored.append(block.original)
            continue
        block.text = drop_cjk_spaces(block.text)
        if is_structural(block.text) and not ITEM_RE.match(block.text):
            structure_seen = True
        kept.append(block)
    return Normalized(blocks=kept, ignored=ignored)


def normalize_text(text: str) -> Normalized:
    """Plain text → normalized paragraphs (see :func:`normalize_blocks`)."""
    return normalize_blocks(text.splitlines())
