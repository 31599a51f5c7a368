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
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from fenghuo.core.limits import limits
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


def check_sizes(record: RegisterRecord) -> Item:
    """The record, or a :class:`RecordError` naming the field that is larger than its cap.

    Every parser's output passes here (XML, CSV, any office), so a mark of megabytes is
    quarantined before it reaches a watch run's similarity loop or a database row.
    """
    caps = limits()
    name = record.application_number or "?"
    for element in record.verbal_elements:
        if len(element.text) > caps.register_mark_chars:
            return RecordError(name, "mark", f"mark text of {len(element.text)} characters, more than the limit "
                               f"of {caps.register_mark_chars}", record.source)
    for party in (*record.applicants, *record.representatives):
        if len(party.name) > caps.register_name_chars:
            return RecordError(name, party.kind, f"name of {len(party.name)} characters, more than the limit "
                               f"of {caps.register_name_chars}", record.source)
    total = sum(len(t) for g in record.goods_services for _lang, t in g.terms)
    total += sum(len(v) for _k, v in record.extra) + sum(len(e.text) for e in record.verbal_elements)
    if total > caps.record_bytes:
        return RecordError(name, "record", f"record text over {caps.record_bytes} characters in total",
                           record.source)
    return record


class MemberTooLarge(OSError):
    """An archive member produced more bytes than ``limits().archive_member_bytes``."""


class _Capped(io.RawIOBase):
    """A read-only stream that fails once more than ``cap`` bytes were read from ``inner``.

    Why not trust the zip's declared size: it is written by whoever made the zip, and a
    member declaring 1 KB may inflate to gigabytes. The parsers read through this wrapper, so
    reading stops at the cap whatever the header said.
    """

    def __init__(self, inner: IO[bytes], cap: int) -> None:
        self.inner, self.cap, self.count = inner, cap, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(min(len(buffer), self.cap - self.count + 1))
        self.count += len(data)
        if self.count > self.cap:
            raise MemberTooLarge(f"larger than the limit of {self.cap} bytes")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


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
            for item in _PARSERS[fmt](fh, source=source):
                yield check_sizes(item) if isinstance(item, RegisterRecord) else item
    except MemberTooLarge as exc:  # records before the cap were yielded; the rest of the member is not read
        yield RecordError(source, "file", f"archive member {exc}", source)
    except (zipfile.BadZipFile, zlib.error) as exc:  # a corrupt zip member: this member only
        yield RecordError(source, "file", f"corrupt archive member: {exc}", source)


def _capped_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        return io.BufferedReader(_Capped(archive.open(info), cap))  # type: ignore[return-value]

    return open_member


def _iter_zip(archive_file: Path | IO[bytes], name: str, depth: int = 1, where: str | None = None) -> Iterator[Item]:
    """Members of a zip, in name order; zips inside it are spooled to a temporary file (never
    held in memory) and read the same way, at most ``limits().archive_depth`` levels deep."""
    caps = limits()
    try:
        archive = zipfile.ZipFile(archive_file)
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        label = "nested zip" if depth > 1 else "zip file"
        yield RecordError(name, "zip", f"not a readable {label}: {exc}", where or name)
        return
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir() and not Path(i.filename).name.startswith(".")]
        if len(members) > caps.archive_members:
            yield RecordError(name, "zip", f"{len(members)} members, more than the limit of {caps.archive_members}",
                              name)
            return
        for info in sorted(members, key=lambda i: i.filename):
            source = f"{name}!{info.filename}"
            if info.file_size > caps.archive_member_bytes:
                yield RecordError(source, "file", f"archive member declares {info.file_size} bytes, more than "
                                  f"the limit of {caps.archive_member_bytes}", source)
                continue
            opener = _capped_opener(archive, info, caps.archive_member_bytes)
            if info.filename.lower().endswith(".zip"):
                if depth >= caps.archive_depth:
                    yield RecordError(source, "zip", f"zip nested more than {caps.archive_depth} levels deep",
                                      source)
                    continue
                with tempfile.TemporaryFile() as spool:
                    try:
                        with opener() as member:
                            shutil.copyfileobj(member, spool, 1024 * 1024)
                    except MemberTooLarge as exc:
                        yield RecordError(source, "file", f"archive member {exc}", source)
                        continue
                    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
                        yield RecordError(source, "zip", f"corrupt nested zip: {exc}", source)
                        continue
                    spool.seek(0)
                    yield from _iter_zip(spool, source, depth + 1)
                continue
            yield from _parse(opener, source)


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
        yield from _iter_zip(path, path.name, where=str(path))
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
