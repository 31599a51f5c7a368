"""Israel Patent Office trademark XML (``<TMBRAND>``), as served in WIPO Global Brand Database samples.

One record per document: Hebrew and English mark names (the Latin transcription in
``MarkTranscription``), applicants with names in both languages, Nice classes with term lists per
language, events, oppositions and cancellations with opening and closing dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree

from fenghuo.tm.records import (
    GoodsServices,
    MarkFeature,
    Opposition,
    Party,
    RecordError,
    RegisterRecord,
    VerbalElement,
)
from fenghuo.tm.sources.status import normalize_status
from fenghuo.tm.sources.xmlutil import OversizedRecord, find, find_all, iter_elements, parse_date, text

FORMAT = "il-tmbrand"
OFFICE = "IL"


def _names(el: etree._Element) -> dict[str, str]:
    return {n.get("lang") or "": text(n) or "" for n in find_all(el, "NAMES/NAME") if text(n)}


def brand_to_record(doc: etree._Element, *, source: str | None) -> RegisterRecord:
    details = find(doc, "DETAILS")
    if details is None:
        raise RecordError("?", "DETAILS", "missing", source)
    number = text(details, "OFFICENUMBER")
    if not number:
        raise RecordError("?", "OFFICENUMBER", "missing", source)

    def day(el: etree._Element | None, name: str) -> object:
        return parse_date(text(el, name) if el is not None else None, record=number, field=name, source=source)

    brand_names = {n.get("lang") or "": text(n) or "" for n in find_all(details, "BRAND/NAME") if text(n)}
    transcription = text(details, "MarkTranscription")
    verbal: list[VerbalElement] = []
    if brand_names.get("he"):
        verbal.append(VerbalElement(brand_names["he"], "he", transcription,
                                    tuple((k, v) for k, v in brand_names.items() if k not in ("he",))))
    for lang, value in brand_names.items():
        if lang != "he":
            verbal.append(VerbalElement(value, lang or None))
    # Latin element first: it is what foreign marks are compared with.
    verbal.sort(key=lambda v: 0 if v.language == "en" else 1)
    goods = []
    for nice in find_all(doc, "NICEGROUP/NICECLASS"):
        class_text = text(nice, "TYPE")
        try:
            cls = int(class_text or "")
        except ValueError:
            raise RecordError(number, "NICECLASS/TYPE", f"not a Nice class: {class_text!r}", source) from None
        terms = tuple((lst.get("lang") or "", text(lst) or "") for lst in find_all(nice, "LIST") if text(lst))
        goods.append(GoodsServices(cls, terms))
    applicants = []
    for app in find_all(doc, "APPLICANTS/APPLICANT"):
        names = _names(app)
        address = {a.get("lang") or "": text(a) or "" for a in find_all(app, "ADDRESSES/ADDRESS")}
        country = "IL" if (address.get("en") or "").rstrip().endswith("Israel") else None
        applicants.append(Party(names.get("en") or next(iter(names.values()), ""), country, app.get("number")))
    reps = [Party(_names(r).get("en") or next(iter(_names(r).values()), ""), None, r.get("number"), "representative")
            for r in find_all(doc, "REPRESENTATIVES/REPRESENTATIVE")]
    oppositions = tuple(
        Opposition(identifier=f"opposition-{i + 1}", date=day(o, "OPENINGDATE"),  # type: ignore[arg-type]
                   status="closed" if text(o, "CLOSINGDATE") else "open")
        for i, o in enumerate(find_all(doc, "OPPOSITIONS/OPPOSITION"))
    )
    publication = None
    for event in find_all(doc, "EVENTS/EVENT"):
        when = day(event, "PublicationDate")
        if when and (publication is None or when < publication):  # type: ignore[operator]
            publication = when
    extra = [(k, v) for k, v in (("Internationality", text(details, "Internationality")),
                                 ("InternationalNumber", text(details, "INTERNATIONALNUMBER")),
                                 ("BrandType", text(details, "BRANDTYPE")),
                                 ("Cancellations", str(len(find_all(doc, "CANCELLATIONS/CANCELLATION")))))
             if v]
    office_status = text(details, "STATUS")
    return RegisterRecord(
        office=OFFICE,
        application_number=number,
        registration_number=number if text(details, "REGISTRATIONDATE") else None,
        verbal_elements=tuple(verbal),
        feature=MarkFeature.WORD if verbal and not text(doc, "IMAGEFILE") else (
            MarkFeature.COMBINED if verbal else MarkFeature.FIGURATIVE),
        goods_services=tuple(sorted(goods, key=lambda g: g.nice_class)),
        applicants=tuple(applicants),
        representatives=tuple(reps),
        application_date=day(details, "FILINGDATE"),  # type: ignore[arg-type]
        publication_date=publication,  # type: ignore[arg-type]
        registration_date=day(details, "REGISTRATIONDATE"),  # type: ignore[arg-type]
        expiry_date=day(details, "EXPIRATIONDATE"),  # type: ignore[arg-type]
        status=normalize_status(office_status),
        office_status=office_status,
        oppositions=oppositions,
        kind=text(details, "BRANDTYPE"),
        source=source,
        extra=tuple(extra),
    )


def iter_records(stream: str | IO[bytes], *, source: str | None = None) -> Iterator[RegisterRecord | RecordError]:
    try:
        for position, doc in enumerate(iter_elements(stream, {"TMBRAND"}, id_fields=frozenset({"OFFICENUMBER"})),
                                       start=1):
            if isinstance(doc, OversizedRecord):
                yield RecordError(doc.record or f"#{position}", doc.field, doc.reason, source)
                continue
            try:
                yield brand_to_record(doc, source=source)
            except RecordError as exc:
                if exc.record == "?":
                    exc.record = f"#{position}"
                yield exc
    except etree.XMLSyntaxError as exc:
        yield RecordError(source or "?", "xml", f"malformed XML: {exc}", source)
