"""Read any register input: a file, a folder (recursively) or a zip, format sniffed from content.

Why sniff content rather than trust extensions: bulk downloads arrive as ``.zip`` of ``.xml``
with office-specific roots, and a CSV may be named ``.txt``. Every record or error carries
``source`` (``archive.zip!inner.xml`` for zip members), and a file that cannot be read yields
one :class:`RecordError` for that file while the other files go on.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from fenghuo.tm.records import RecordError, RegisterRecord
from fenghuo.tm.sources import csv as csv_source
from fenghuo.tm.sources import euipo, il, st66, uspto

Item = RegisterRecord | RecordError
Parser = Callable[..., Iterator[Item]]

SOURCE_FORMATS: dict[str, str] = {
    euipo.FORMAT: "EUIPO trade mark XML (EM-TM-TradeMark)",
    st66.FORMAT: "WIPO ST.66 trademark XML",
    il.FORMAT: "Israel Patent Office TMBRAND XML",
    uspto.FORMAT: "USPTO daily trademark applications XML",
    csv_source.FORMAT: "register CSV (" + ", ".join(csv_source.COLUMNS) + ")",
}
_PARSERS: dict[str, Parser] = {
    euipo.FORMAT: euipo.iter_records,
    st66.FORMAT: st66.iter_records,
    il.FORMAT: il.iter_records,
    uspto.FORMAT: uspto.iter_records,
    csv_source.FORMAT: csv_source.iter_records,
}
_ROOT = re.compile(rb"<(?!\?|!)([\w:.-]+)")
SNIFF_BYTES = 8192


def sniff(head: bytes) -> str | None:
    """The format of a document from its first bytes, or None."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        match = _ROOT.search(stripped)
        root = match.group(1).split(b":")[-1] if match else b""
        if euipo.NAMESPACE.encode() in head:
            return euipo.FORMAT
        if root == b"Transaction" or b"wipo.int/standards/XMLSchema/trademarks" in head:
            return st66.FORMAT
        if root == b"TMBRAND":
            return il.FORMAT
        if root in (b"trademark-applications-daily", b"case-file") or b"<case-file>" in head:
            return uspto.FORMAT
        return None
    # Only the header line matters; the head may end inside a multi-byte character.
    line = stripped.split(b"\n", 1)[0]
    try:
        first = line.decode("utf-8", errors="strict").splitlines()[0]
    except (UnicodeDecodeError, IndexError):
        return None
    header = next(csv.reader([first]), [])
    if csv_source.looks_like_register_csv(header):
        return csv_source.FORMAT
    return None


def _parse(opener: Callable[[], IO[bytes]], source: str) -> Iterator[Item]:
    try:
        with opener() as fh:
            head = fh.read(SNIFF_BYTES)
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        yield RecordError(source, "file", f"cannot be read: {exc}", source)
        return
    if not head.strip():
        yield RecordError(source, "file", "empty file", source)
        return
    fmt = sniff(head)
    if fmt is None:
        yield RecordError(source, "format", "not a recognised register format (expected one of: "
                          + "; ".join(SOURCE_FORMATS.values()) + ")", source)
        return
    try:
        with opener() as fh:
            yield from _PARSERS[fmt](fh, source=source)
    except (zipfile.BadZipFile, zlib.error) as exc:  # a corrupt zip member: this member only
        yield RecordError(source, "file", f"corrupt archive member: {exc}", source)


def _iter_zip(path: Path) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        yield RecordError(path.name, "zip", f"not a readable zip file: {exc}", str(path))
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or Path(info.filename).name.startswith("."):
                continue
            source = f"{path.name}!{info.filename}"
            if info.filename.lower().endswith(".zip"):
                try:
                    nested = io.BytesIO(archive.read(info))
                    zipfile.ZipFile(nested).close()
                except (zipfile.BadZipFile, zlib.error) as exc:
                    yield RecordError(source, "zip", f"corrupt nested zip: {exc}", source)
                    continue
                with zipfile.ZipFile(nested) as inner:
                    for member in sorted(inner.namelist()):
                        if not member.endswith("/"):
                            yield from _parse(lambda m=member: inner.open(m), f"{source}!{member}")  # type: ignore[misc]
                continue
            yield from _parse(lambda i=info: archive.open(i), source)  # type: ignore[misc]


def iter_source(path: Path) -> Iterator[Item]:
    """Records and errors from a file, a folder (recursively, sorted) or a zip."""
    path = Path(path)
    if not path.exists():
        yield RecordError(str(path), "path", "no such file or folder", str(path))
        return
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                            and p.suffix.lower() not in (".xsd", ".dtd", ".part")):
            yield from iter_source(child)
        return
    if zipfile.is_zipfile(path):
        yield from _iter_zip(path)
        return
    yield from _parse(lambda: path.open("rb"), path.name if path.parent == Path() else str(path))


def count_items(path: Path) -> int | None:
    """A cheap size estimate for progress bars: the number of files (zip members count)."""
    path = Path(path)
    if path.is_dir():
        return sum(count_items(p) or 0 for p in path.rglob("*") if p.is_file())
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return sum(1 for i in archive.infolist() if not i.is_dir())
    return 1 if path.is_file() else None
