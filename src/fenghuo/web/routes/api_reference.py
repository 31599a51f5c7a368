"""Reference data API and page: jurisdictions and dated treaty memberships."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, StrictBool

from fenghuo import reference
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.reference.citations import Citation
from fenghuo.web.deps import Caller, require_caller
from fenghuo.web.params import IsoDate, one_of
from fenghuo.web.templating import render

router = APIRouter(tags=["reference"])


class CitationOut(BaseModel):
    """The official source of a row as pages show it: title in both languages, as-of date, status."""

    title_en: str
    title_zh: str
    as_of: str | None
    status: str  # confirmed | partial | unconfirmed


class MembershipOut(BaseModel):
    treaty: str
    in_force_from: IsoDate | None
    status: str
    detail: str
    confirmed: str
    is_confirmed: StrictBool
    source: str
    as_of: IsoDate | None
    citation: CitationOut


class JurisdictionOut(BaseModel):
    code: str
    name_en: str
    name_zh: str
    kind: str
    memberships: list[MembershipOut]


def _out(j: reference.Jurisdiction) -> JurisdictionOut:
    return JurisdictionOut(
        code=j.code, name_en=j.name_en, name_zh=j.name_zh, kind=j.kind,
        memberships=[MembershipOut(treaty=m.treaty, in_force_from=m.in_force_from, status=m.status, detail=m.detail,
                                   confirmed=m.confirmed, is_confirmed=m.is_confirmed, source=m.source, as_of=m.as_of,
                                   citation=_citation(m.citation))
                     for m in reference.memberships(j.code)],
    )


def _citation(c: Citation) -> CitationOut:
    return CitationOut(title_en=c.title_en, title_zh=c.title_zh, status=c.status,
                       as_of=c.as_of.isoformat() if c.as_of else (c.as_of_text or None))


def _treaty(treaty: str | None) -> str | None:
    if treaty and treaty not in reference.TREATIES:
        raise ValidationFailed(_("unknown treaty %(treaty)s (one of: %(treaties)s)", treaty=treaty,
                                 treaties=", ".join(reference.TREATIES)), field="treaty")
    return treaty or None


@router.get("/api/v1/reference/jurisdictions", response_model=list[JurisdictionOut],
            summary="Jurisdictions with their treaty memberships")
async def list_jurisdictions(
    treaty: str | None = Query(None, description="paris, pct, madrid, hague or wto",
                               json_schema_extra=one_of(*reference.TREATIES, None)),
    on: IsoDate | None = Query(None, description="Only memberships in force on this date"),
    caller: Caller = Depends(require_caller),
) -> list[JurisdictionOut]:
    return [_out(j) for j in reference.list_jurisdictions(_treaty(treaty), on)]


@router.get("/api/v1/reference/jurisdictions/{code}", response_model=JurisdictionOut, summary="One jurisdiction")
async def get_jurisdiction(code: str, caller: Caller = Depends(require_caller)) -> JurisdictionOut:
    return _out(reference.get_jurisdiction(code))


@router.get("/reference", include_in_schema=False)
async def reference_page(
    request: Request, treaty: str | None = None, caller: Caller = Depends(require_caller)
) -> Response:
    # The page reads the rows themselves: each membership's citation names its official source.
    rows = [{"code": j.code, "name_en": j.name_en, "name_zh": j.name_zh, "memberships": reference.memberships(j.code)}
            for j in reference.list_jurisdictions(_treaty(treaty), date.today() if treaty else None)]
    return render(request, "reference/jurisdictions.html",
                  {"rows": rows, "treaty": treaty or "", "treaties": reference.TREATIES})
