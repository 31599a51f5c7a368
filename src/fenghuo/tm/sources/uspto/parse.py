"""USPTO daily trademark application XML (``apcYYMMDD.zip``; DTD "trademark-applications-daily").

Each ``<case-file>`` is one application: serial and registration numbers, the header (filing,
publication and registration dates, status code, mark identification, mark drawing code), the
goods and services statements (type code ``GS`` + class), the international classes and the
owners with nationality.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import IO

from lxml import etree

from fenghuo.tm.records import (
    GoodsServices,
    MarkFeature,
    MarkStatus,
    Party,
    RecordError,
    RegisterRecord,
    VerbalElement,
)
from fenghuo.tm.sources.xmlutil import OversizedRecord, find, find_all, iter_elements, parse_date, text

FORMAT = "uspto"
OFFICE = "US"

#: First digit of the mark drawing code (USPTO TSDR documentation).
DRAWING = {"1": MarkFeature.WORD, "2": MarkFeature.FIGURATIVE, "3": MarkFeature.COMBINED, "4": MarkFeature.WORD,
           "5": MarkFeature.COMBINED, "6": MarkFeature.OTHER}


def normalize_status_code(code: str | None) -> MarkStatus:
    """USPTO status codes → normalized status; the raw code is kept as ``office_status``.

    The USPTO table mixes live and dead codes inside each hundred, so ranges are narrow:
    600–615 abandoned (616 is "revived"); 630–699 examination, publication and allowance
    (pending: 686 published for opposition, 688 notice of allowance); 700–709 registered and
    maintenance accepted; 710–715 cancelled; 716–799 extensions, statements of use, appeals and
    oppositions (pending); 800 registered and renewed; 801–899 opposition papers and extensions
    (pending); 900 expired.
    """
    if not code or not code.strip().isdigit():
        return MarkStatus.UNKNOWN
    value = int(code)
    if 600 <= value <= 615:
        return MarkStatus.ENDED
    if 710 <= value <= 715:
        return MarkStatus.ENDED
    if 700 <= value <= 709 or value == 800:
        return MarkStatus.REGISTERED
    if value == 900:
        return MarkStatus.EXPIRED
    if 400 <= value <= 899:
        return MarkStatus.PENDING
    return MarkStatus.UNKNOWN


def case_file_to_record(case: etree._Element, *, source: str | None) -> RegisterRecord:
    serial = text(case, "serial-number")
    if not serial:
        raise RecordError("?", "serial-number", "missing", source)
    header = find(case, "case-file-header")

    def day(name: str) -> date | None:
        return parse_date(text(header, name) if header is not None else None, record=serial, field=name,
                          source=source)

    goods: dict[int, list[tuple[str, str]]] = {}
    for statement in find_all(case, "case-file-statements/case-file-statement"):
        code = text(statement, "type-code") or ""
        body = text(statement, "text")
        if code.startswith("GS") and body and code[2:5].isdigit():
            goods.setdefault(int(code[2:5]), []).append(("en", body))
    for cls in find_all(case, "classifications/classification"):
        for code in find_all(cls, "international-code"):
            value = text(code)
            if value and value.isdigit() and 1 <= int(value) <= 45:
                goods.setdefault(int(value), [])
            elif value and value.isdigit() and int(value) > 45:
                continue  # USPTO "A", "B", "200" codes for collective/certification marks
    owners = []
    for owner in find_all(case, "case-file-owners/case-file-owner"):
        name = text(owner, "party-name")
        if not name:
            continue
        country = text(owner, "nationality/country") or text(owner, "country") or (
            "US" if text(owner, "nationality/state") or text(owner, "state") else None)
        owners.append(Party(name, country, text(owner, "entry-number")))
    mark = text(header, "mark-identification") if header is not None else None
    drawing = (text(header, "mark-drawing-code") if header is not None else None) or ""
    status_code = text(header, "status-code") if header is not None else None
    registration = text(case, "registration-number")
    if registration and not registration.strip("0"):
        registration = None
    return RegisterRecord(
        office=OFFICE,
        application_number=serial,
        registration_number=registration,
        verbal_elements=(VerbalElement(mark, "en"),) if mark else (),
        feature=DRAWING.get(drawing[:1], MarkFeature.UNKNOWN),
        goods_services=tuple(GoodsServices(c, tuple(t)) for c, t in sorted(goods.items())),
        applicants=tuple(owners),
        application_date=day("filing-date"),
        publication_date=day("published-for-opposition-date"),
        registration_date=day("registration-date"),
        status=normalize_status_code(status_code),
        office_status=status_code,
        source=source,
        extra=tuple((k, v) for k, v in (("mark-drawing-code", drawing), ("status-date", text(header, "status-date")
                                        if header is not None else None)) if v),
    )


def iter_records(stream: str | IO[bytes], *, source: str | None = None) -> Iterator[RegisterRecord | RecordError]:
    position = 0
    try:
        for case in iter_elements(stream, {"case-file"}, id_fields=frozenset({"serial-number"})):
            position += 1
            if isinstance(case, OversizedRecord):
                yield RecordError(case.record or f"#{position}", case.field, case.reason, source)
                continue
            try:
                yield case_file_to_record(case, source=source)
            except RecordError as exc:
                if exc.record == "?":
                    exc.record = f"#{position}"
                yield exc
    except etree.XMLSyntaxError as exc:
        yield RecordError(f"#{position + 1}", "xml", f"malformed XML: {exc}", source)
