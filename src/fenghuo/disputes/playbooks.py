"""Playbooks per forum: the steps a respondent takes and the documents each step needs.

Why data, not code: guidance centres refine these after every case; a step has an offset in
days from the case's first legal clock (negative = before it) so tasks get due dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from fenghuo.core.i18n import LazyString
from fenghuo.core.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Step:
    title: LazyString
    days_before_clock: int
    documents: tuple[str, ...] = ()


PLAYBOOKS: dict[str, tuple[Step, ...]] = {
    "itc337": (
        Step(_l("Retain US ITC counsel and notify insurer"), 17, ("engagement letter", "insurance notice")),
        Step(_l("Collect accused product designs and sales data into the US"), 14, ("product list", "import volumes")),
        Step(_l("Assess non-infringement, invalidity and design-around with the expert"), 10, ("claim charts",)),
        Step(_l("Contact co-respondents about a joint defence agreement"), 10, ("joint defence agreement",)),
        Step(_l("File the answer to the complaint and notice of investigation"), 1, ("answer", "affirmative defences")),
    ),
    "us_district": (
        Step(_l("Retain US litigation counsel"), 18, ("engagement letter",)),
        Step(_l("Check service (waiver doubles the answer period)"), 16, ("summons", "proof of service")),
        Step(_l("Evaluate IPR petition before the one-year bar"), 10, ("prior art search",)),
        Step(_l("File answer or motion to dismiss"), 1, ("answer",)),
    ),
    "schedule_a": (
        Step(_l("Check which store names are yours and whether assets are frozen"), 18, ("store list", "TRO order")),
        Step(_l("Retain counsel; assess settlement against defending"), 14, ("engagement letter",)),
        Step(_l("Move to dissolve or modify the TRO/asset freeze if justified"), 10, ("motion",)),
        Step(_l("Appear and answer, or settle, before default"), 1, ("answer or settlement",)),
    ),
    "eu_customs": (
        Step(_l("Inspect the detained goods and samples"), 7, ("detention notice", "photos")),
        Step(_l("Decide: consent to destruction, or contest with evidence of non-infringement"), 3,
             ("statement to customs",)),
        Step(_l("Answer customs before the working-day limit"), 1, ("reply to customs",)),
    ),
    "exhibition_complaint": (
        Step(_l("Collect the complaint and the right holder's certificate"), 0, ("complaint", "right certificate")),
        Step(_l("Answer the station with non-infringement evidence within 24 hours"), 0, ("answer",)),
    ),
    "ptab": (
        Step(_l("Retain PTAB counsel"), 60, ("engagement letter",)),
        Step(_l("Prepare the patent owner preliminary response"), 20, ("preliminary response",)),
    ),
    "default": (
        Step(_l("Assess the claim with an expert"), 10, ("assessment memo",)),
        Step(_l("Respond before the deadline"), 1, ("response",)),
    ),
}


def playbook_for(kind: str) -> tuple[Step, ...]:
    return PLAYBOOKS.get(kind, PLAYBOOKS["default"])
