"""Pages of modules whose workflows are not in the web UI yet: each says what it will do and
what already works (CLI commands), so a user is never left with an empty page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from fenghuo.core.i18n import lazy_gettext
from fenghuo.web.deps import Caller, require_caller
from fenghuo.web.templating import render

router = APIRouter(include_in_schema=False)

MODULES = {
    "disputes": {
        "title": lazy_gettext("Dispute early warning and emergency response"),
        "purpose": lazy_gettext(
            "Watches ITC Section 337 investigations, US court complaints (including Schedule A cases), PTAB "
            "petitions, EU customs detentions, trade-fair warning letters and foreign oppositions; matches the "
            "parties to registered enterprises across Chinese and English names; alerts the enterprise and the "
            "responsible guidance-centre branch with the first legal clock; and runs the case against its deadlines."
        ),
        "works": [
            lazy_gettext("Legal clocks: fenghuo deadline R-US-ITC337-ANSWER --from DATE"),
            lazy_gettext("Cross-language company-name matching (see bench/README.md for its precision and recall)"),
        ],
    },
    "filing": {
        "title": lazy_gettext("Overseas filing planner"),
        "purpose": lazy_gettext(
            "Plans filings abroad from a Chinese application: which routes are open per country (Paris, PCT, "
            "Madrid, Hague, PPH) on the relevant date, every deadline on each office's calendar, official fees, "
            "and a docket with iCalendar export."
        ),
        "works": [
            lazy_gettext("Deadlines with a full trace: fenghuo deadline RULE_ID --from DATE --office CODE"),
            lazy_gettext("Treaty memberships with dates: Administration → Reference data"),
        ],
    },
    "plans": {
        "title": lazy_gettext("Plan implementation tracking"),
        "purpose": lazy_gettext(
            "Turns a policy plan into tasks per responsible agency (lead and co-responsible), tracks annual "
            "promotion plans, progress reports and indicators with a red/amber/green status and its reason, and "
            "produces mid-term and final evaluation reports."
        ),
        "works": [lazy_gettext("Parse a plan into its responsibility matrix: fenghuo policy parse FILE --format json")],
    },
}


def _page(name: str):  # type: ignore[no-untyped-def]
    async def page(request: Request, caller: Caller = Depends(require_caller)) -> Response:
        return render(request, "modules/module.html", {"module": MODULES[name], "key": name})

    return page


for _name in MODULES:
    router.add_api_route(f"/{_name}", _page(_name), methods=["GET"])
