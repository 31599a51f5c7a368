"""The register CSV: ``office, application_number, mark, classes, applicant, applicant_country,
application_date, publication_date, status`` (classes separated by ``;``, dates ISO).

A bad row yields a :class:`RecordError` naming the line, the application number when there is one,
and the field; the other rows still come through.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO

from fenghuo.core.limits import limits
from fenghuo.tm.records import GoodsServices, MarkFeature, Party, RecordError, RegisterRecord, VerbalElement
from fenghuo.tm.sources.status import normalize_status
from fenghuo.tm.sources.xmlutil import parse_date

FORMAT = "csv"
COLUMNS = ("office", "application_number", "mark", "classes", "applicant", "applicant_country",
           "application_date", "publication_date", "status")
REQUIRED = ("office", "application_number", "mark")


def looks_like_register_csv(header: list[str]) -> bool:
    names = {h.strip().lower().lstrip("\ufeff") for h in header}
    return set(REQUIRED) <= names and "classes" in names


def parse_classes(value: str, *, record: str, source: str | None) -> tuple[int, ...]:
    out = []
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            number = int(part)
        except ValueError:
            raise RecordError(record, "classes", f"not a Nice class: {part!r}", source) from None
        if not 1 <= number <= 45:
            raise RecordError(record, "classes", f"Nice class out of range 1-45: {number}", source)
        out.append(number)
    return tuple(sorted(set(out)))


def row_to_record(row: dict[str, str], *, line: int, source: str | None) -> RegisterRecord:
    number = (row.get("application_number") or "").strip()
    record = f"line {line}" + (f" ({number})" if number else "")
    cap = limits().csv_field_chars
    for name, value in row.items():
        if isinstance(value, str) and len(value) > cap:
            raise RecordError(record, str(name), f"{len(value)} characters, more than the limit of {cap}", source)
    for name in REQUIRED:
        if not (row.get(name) or "").strip():
            raise RecordError(record, name, "missing", source)
    office = row["office"].strip().upper()
    if not (office.isalpha() and len(office) == 2):
        raise RecordError(record, "office", f"not a two-letter ST.3 office code: {office!r}", source)
    classes = parse_classes(row.get("classes") or "", record=record, source=source)
    applicant = (row.get("applicant") or "").strip()
    country = (row.get("applicant_country") or "").strip().upper() or None
    status_text = (row.get("status") or "").strip() or None
    return RegisterRecord(
        office=office,
        application_number=number,
        verbal_elements=(VerbalElement(row["mark"].strip()),),
        feature=MarkFeature.WORD,
        goods_services=tuple(GoodsServices(c) for c in classes),
        applicants=(Party(applicant, country),) if applicant else (),
        application_date=parse_date(row.get("application_date"), record=record, field="application_date",
                                    source=source),
        publication_date=parse_date(row.get("publication_date"), record=record, field="publication_date",
                                    source=source),
        status=normalize_status(status_text),
        office_status=status_text,
        source=source,
    )


def iter_records(stream: str | IO[bytes], *, source: str | None = None) -> Iterator[RegisterRecord | RecordError]:
    if isinstance(stream, str):
        handle: IO[str] = open(stream, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    else:
        handle = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(handle)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            yield RecordError("header", ", ".join(missing), "missing column(s); expected " + ", ".join(COLUMNS),
                              source)
            return
        reader.fieldnames = header
        for row in reader:
            line = reader.line_num
            try:
                yield row_to_record(row, line=line, source=source)
            except RecordError as exc:
                yield exc
    except csv.Error as exc:  # a field past the csv module's own limit (131,072 characters), a stray quote
        yield RecordError(f"line {reader.line_num}", "csv", f"unreadable CSV from here on: {exc}", source)
    except UnicodeDecodeError as exc:
        yield RecordError("file", "encoding", f"not a UTF-8 CSV: {exc}", source)
    finally:
        if isinstance(stream, str):
            handle.close()
        elif isinstance(handle, io.TextIOWrapper):
            handle.detach()  # leave the caller's binary stream open
