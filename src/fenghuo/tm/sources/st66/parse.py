"""WIPO ST.66 trademark XML (``<Transaction>`` … ``<TradeMark>``), streamed.

EUIPO's EM-TM-TradeMark schema is an ST.66 profile, so ``fenghuo.tm.sources.euipo`` reuses
:func:`trademark_to_record` with EUIPO's office code and party keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree

from fenghuo.tm.records import (
    GoodsServices,
    Opposition,
    Party,
    RecordError,
    RegisterRecord,
    VerbalElement,
)
from fenghuo.tm.sources.features import normalize_feature
from fenghuo.tm.sources.status import normalize_status
from fenghuo.tm.sources.xmlutil import OversizedRecord, find, find_all, iter_elements, parse_date, text

FORMAT = "st66"


def _party(el: etree._Element, book: str, kind: str) -> Party | None:
    lines = [text(line) for line in find_all(el, f"{book}/FormattedNameAddress/Name/FreeFormatName/"
                                                 "FreeFormatNameDetails/FreeFormatNameLine")]
    names = [n for n in lines if n]
    if not names:
        names = [n for n in (text(el, f"{book}/FormattedNameAddress/Name/FormattedName/OrganizationName"),
                             text(el, f"{book}/FormattedNameAddress/Name/FormattedName/LastName")) if n]
    identifier = text(el, f"{kind.capitalize()}Identifier") or text(el, "Identifier")
    if not names and identifier is None:
        key = find(el, f"{kind.capitalize()}Key")
        identifier = text(key, "Identifier") if key is not None else None
    if not names and identifier is None:
        return None
    # The first line in the English or Latin form when the office gives several languages.
    english = [text(line) for line in find_all(el, f"{book}/FormattedNameAddress/Name/FreeFormatName/"
                                                   "FreeFormatNameDetails/FreeFormatNameLine")
               if line.get("languageCode") == "en"]
    name = (english[0] if english and english[0] else (names[0] if names else ""))
    country = (text(el, f"{book}/FormattedNameAddress/Address/AddressCountryCode")
               or text(el, f"{kind.capitalize()}NationalityCode") or text(el, "//AddressCountryCode"))
    return Party(name=name or "", country=country, identifier=identifier, kind=kind)


def _parties(tm: etree._Element, details: str, item: str, book: str, kind: str) -> tuple[Party, ...]:
    out: list[Party] = []
    for el in find_all(tm, f"{details}/{item}"):
        party = _party(el, book, kind)
        if party is not None:
            out.append(party)
    for key in find_all(tm, f"{details}/{item}Key"):  # EUIPO: only the office's party key
        identifier = text(key, "Identifier")
        if identifier:
            out.append(Party(name="", identifier=identifier, kind=kind))
    return tuple(out)


def _goods(tm: etree._Element, record: str, source: str | None) -> tuple[GoodsServices, ...]:
    out: dict[int, list[tuple[str, str]]] = {}
    for desc in find_all(tm, "//ClassDescription"):
        number = text(desc, "ClassNumber")
        if number is None:
            continue
        try:
            nice = int(number)
        except ValueError:
            raise RecordError(record, "ClassNumber", f"not a Nice class: {number!r}", source) from None
        if not 1 <= nice <= 45:
            raise RecordError(record, "ClassNumber", f"Nice class out of range 1-45: {nice}", source)
        terms = out.setdefault(nice, [])
        for g in find_all(desc, "GoodsServicesDescription"):
            value = text(g)
            if value:
                terms.append((g.get("languageCode") or "", value))
    return tuple(GoodsServices(k, tuple(v)) for k, v in sorted(out.items()))


def _verbal(tm: etree._Element) -> tuple[VerbalElement, ...]:
    out: list[VerbalElement] = []
    for spec in find_all(tm, "//WordMarkSpecification"):
        value = text(spec, "MarkVerbalElementText")
        if not value:
            continue
        element = find(spec, "MarkVerbalElementText")
        translations = tuple(
            (t.get("languageCode") or "", text(t) or "") for t in find_all(spec, "MarkTranslation") if text(t)
        )
        out.append(VerbalElement(
            text=value,
            language=element.get("languageCode") if element is not None else None,
            transliteration=text(spec, "MarkTransliteration") or text(tm, "//MarkTransliteration"),
            translations=translations,
        ))
    return tuple(out)


def _oppositions(tm: etree._Element, record: str, source: str | None) -> tuple[Opposition, ...]:
    out = []
    for opp in find_all(tm, "//Opposition"):
        ident = text(opp, "OppositionIdentifier") or ""
        # Grounds come one per line inside one element ("Identity of marks and G&S\nLikelihood of confusion").
        grounds = tuple(
            " ".join(line.split())
            for x in find_all(opp, "//OppositionGroundText") for line in (x.text or "").splitlines() if line.strip()
        )
        out.append(Opposition(
            identifier=ident,
            date=parse_date(text(opp, "OppositionDate"), record=record, field="OppositionDate", source=source),
            grounds=grounds,
            status=text(opp, "OppositionCurrentStatusCode"),
        ))
    return tuple(out)


def trademark_to_record(tm: etree._Element, *, source: str | None, office: str | None = None) -> RegisterRecord:
    """One ``<TradeMark>`` element → :class:`RegisterRecord` (raises :class:`RecordError`)."""
    number = text(tm, "ApplicationNumber")
    record = number or "?"
    if not number:
        raise RecordError(record, "ApplicationNumber", "missing", source)
    office_code = text(tm, "RegistrationOfficeCode") or office
    if not office_code:
        raise RecordError(record, "RegistrationOfficeCode", "missing", source)

    def day(path: str) -> object:
        return parse_date(text(tm, path), record=record, field=path.rsplit("/", 1)[-1], source=source)

    office_status = text(tm, "MarkCurrentStatusCode") or text(tm, "//MarkCurrentStatusCode")
    publication = None
    for pub in find_all(tm, "PublicationDetails/Publication"):
        when = parse_date(text(pub, "PublicationDate"), record=record, field="PublicationDate", source=source)
        if when and (publication is None or when < publication):
            publication = when  # the first publication opens the opposition period
    extra = []
    for name in ("ApplicationLanguageCode", "SecondLanguageCode", "MarkCurrentStatusDate"):
        value = text(tm, name)
        if value:
            extra.append((name, value))
    for image in find_all(tm, "MarkImageDetails/MarkImage"):
        uri = text(image, "MarkImageURI") or text(image, "MarkImageFilename")
        if uri:
            extra.append(("MarkImage", uri))
    return RegisterRecord(
        office=office_code.upper(),
        application_number=number,
        registration_number=text(tm, "RegistrationNumber"),
        verbal_elements=_verbal(tm),
        feature=normalize_feature(text(tm, "MarkFeature")),
        goods_services=_goods(tm, record, source),
        applicants=_parties(tm, "ApplicantDetails", "Applicant", "ApplicantAddressBook", "applicant"),
        representatives=_parties(tm, "RepresentativeDetails", "Representative", "RepresentativeAddressBook",
                                 "representative"),
        application_date=day("ApplicationDate"),  # type: ignore[arg-type]
        publication_date=publication,
        registration_date=day("RegistrationDate"),  # type: ignore[arg-type]
        expiry_date=day("ExpiryDate"),  # type: ignore[arg-type]
        status=normalize_status(office_status),
        office_status=office_status,
        oppositions=_oppositions(tm, record, source),
        kind=text(tm, "KindMark"),
        source=source,
        extra=tuple(extra),
    )


def iter_records(
    stream: str | IO[bytes], *, source: str | None = None, office: str | None = None
) -> Iterator[RegisterRecord | RecordError]:
    """Every ``<TradeMark>`` of an ST.66 document, in order; a bad record yields a RecordError."""
    position = 0
    try:
        for tm in iter_elements(stream, {"TradeMark"}, id_fields=frozenset({"ApplicationNumber"})):
            position += 1
            if isinstance(tm, OversizedRecord):
                yield RecordError(tm.record or f"#{position}", tm.field, tm.reason, source)
                continue
            try:
                yield trademark_to_record(tm, source=source, office=office)
            except RecordError as exc:
                if exc.record == "?":
                    exc.record = f"#{position}"
                yield exc
    except etree.XMLSyntaxError as exc:
        yield RecordError(f"#{position + 1}", "xml", f"malformed XML: {exc}", source)
