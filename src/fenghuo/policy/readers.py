"""Plain text, HTML and DOCX → a flat sequence of text lines and tables (reading order).

Why tables stay tables: indicator tables (指标 | 2020年 | 2025年 | 属性) lose their columns when
flattened to text; HTML ``<table>`` and DOCX tables are kept as :class:`~fenghuo.policy.model.Table`.
A one-column table is a frame, not data (专栏 boxes are often drawn as a one-cell table, old
government sites lay whole pages out in tables): its content is read as lines.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from fenghuo.core.i18n import _
from fenghuo.policy.model import Table

Block = str | Table

#: Elements whose content is never plan text.
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
                        "button", "select", "option", "iframe", "svg", "canvas", "head", "title", "meta", "link"})
_BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                         "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "table", "tbody", "thead", "tfoot",
                         "tr", "td", "th", "caption", "figure", "figcaption", "hr", "address", "body", "html"})
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


class ReadError(ValueError):
    """The file cannot be read as text, HTML or DOCX."""


def decode(data: bytes) -> str:
    """Bytes → text: BOM, then UTF-8, then GB18030 (Chinese Windows and older government sites)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError(_("not UTF-8 or GB18030 text")) from exc


# --- plain text ------------------------------------------------------------------------------


def read_text(text: str) -> list[Block]:
    """Lines of a plain text; runs of two or more tab-separated lines become a table."""
    blocks: list[Block] = []
    pending: list[list[str]] = []

    def flush() -> None:
        if len(pending) >= 2:
            blocks.append(Table(rows=[list(r) for r in pending]))
        else:
            blocks.extend("\t".join(r) for r in pending)
        pending.clear()

    for line in text.splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if "\t" in line.strip() and sum(1 for c in cells if c) >= 2:
            pending.append(cells)
            continue
        flush()
        blocks.append(line)
    flush()
    return blocks


# --- HTML ------------------------------------------------------------------------------------


def _html_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    match = _CHARSET.search(data[:4096])
    if match:
        charset = match.group(1).decode("ascii").lower()
        # Pages declare gb2312/gbk but hold GB18030 (browsers decode them as its superset too).
        charset = "gb18030" if charset in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936") else charset
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def read_html(data: bytes | str) -> list[Block]:
    """Visible text of an HTML page, one line per block element; data tables kept as tables.

    ``nav``/``header``/``footer``/``aside``/``script`` are dropped here; the rest of a page's
    furniture (breadcrumbs, disclaimers, contact blocks in plain ``div``s) is recognized as text
    by :mod:`fenghuo.policy.normalize`.
    """
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", _html_text(data))
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(_("not HTML: %(error)s", error=str(exc))) from exc
    out: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        line = "".join(buffer)
        buffer.clear()
        for part in line.split("\n"):
            if part.strip():
                out.append(part.strip())

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if not tag:  # comments, processing instructions
            if el.tail:
                buffer.append(_inline(el.tail))
            return
        if tag in _DROP_TAGS:
            if el.tail:
                buffer.append(_inline(el.tail))
            return
        if tag == "br":
            flush()
        elif tag == "table" and (table := _data_table(el)) is not None:
            flush()
            out.append(table)
        else:
            block = tag in _BLOCK_TAGS
            if block:
                flush()
            if el.text:
                buffer.append(el.text if tag == "pre" else _inline(el.text))
            for child in el:
                walk(child)
            if block:
                flush()
        if el.tail:
            buffer.append(_inline(el.tail))

    walk(root)
    flush()
    return out


def _inline(text: str) -> str:
    return re.sub(r"[\r\n\t ]+", " ", text)


def _cell_text(cell: object) -> str:
    text_content = getattr(cell, "text_content", None)
    raw = text_content() if callable(text_content) else ""
    return re.sub(r"\s+", " ", str(raw)).strip()


def _data_table(table: Any) -> Table | None:
    """A table with at least two columns and no nested table; None for a layout or frame table."""
    xpath = table.xpath
    if xpath(".//table"):
        return None
    rows: list[list[str]] = []
    for tr in xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells: list[str] = []
        for cell in tr.xpath("./td|./th"):
            span = int(cell.get("colspan", "1") or 1) if str(cell.get("colspan", "1")).isdigit() else 1
            cells.extend([_cell_text(cell)] + [""] * (max(span, 1) - 1))
        rows.append(cells)
    if not rows or max(len(r) for r in rows) < 2:
        return None
    caption = xpath("./caption")
    return Table(rows=rows, caption=_cell_text(caption[0]) if caption else None)


# --- DOCX ------------------------------------------------------------------------------------


def read_docx(source: str | Path | bytes) -> list[Block]:
    """Paragraphs and tables of a .docx body in document order (python-docx).

    Soft line breaks inside a paragraph become separate lines. Automatic list numbering (Word's
    numbering definitions) is not in the text and is not reconstructed.
    """
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    stream: object = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        document = docx.Document(stream)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(_("not a DOCX file: %(error)s", error=str(exc))) from exc
    out: list[Block] = []

    def emit_table(table: DocxTable) -> None:
        rows: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            previous: object = None
            for cell in row.cells:
                if cell._tc is previous:  # merged cells repeat
                    cells.append("")
                    continue
                previous = cell._tc
                cells.append(re.sub(r"\s+", " ", cell.text).strip())
            rows.append(cells)
        if rows and max(len(r) for r in rows) >= 2:
            out.append(Table(rows=rows))
            return
        for row in table.rows:  # a frame (专栏): its paragraphs are lines
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    out.extend(paragraph.text.split("\n"))
                for inner in cell.tables:
                    emit_table(inner)

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.extend(Paragraph(child, document).text.split("\n"))
        elif tag == "tbl":
            emit_table(DocxTable(child, document))
    return out


# --- dispatch --------------------------------------------------------------------------------


def sniff(data: bytes, suffix: str = "") -> str:
    """``docx``, ``html`` or ``text`` from the bytes (and the file name's suffix as a hint)."""
    suffix = suffix.lower()
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        raise ReadError(_("a ZIP archive that is not a DOCX document"))
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        return "html"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<p" in head[:200]:
        return "html"
    if suffix == ".docx":
        raise ReadError(_("not a DOCX file"))
    return "text"


def read_bytes(data: bytes, suffix: str = "") -> list[Block]:
    kind = sniff(data, suffix)
    if kind == "docx":
        return read_docx(data)
    if kind == "html":
        return read_html(data)
    return read_text(decode(data))


def read_path(path: str | Path) -> list[Block]:
    """Read a plan file of any supported kind (decided from its content, the suffix as a hint)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(str(exc.strerror or exc)) from exc
    return read_bytes(data, path.suffix)

