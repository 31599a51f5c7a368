"""Case statistics: counts by forum, country, industry, province and outcome, response times,
as tables, Altair charts and CSV exports with zh-CN or English headers.

Why two scopes: an enterprise sees statistics of the cases visible to it; the guidance centre
and the administration see counts over every case (no names, only the dimensions), which is what
the plan's monitoring asks for without opening any enterprise's case file.

Why suppression in the wide scope: a count of 1 or 2 ("one case in Ningxia, furniture, at the
ITC") points at one enterprise. Over every organisation's cases, cells below
``FENGHUO_STATS_MIN_CELL`` (default 5) are shown as "<5" (``cases: null, suppressed: true`` in
JSON) with the footnote "cells with fewer than 5 are suppressed". The total is kept, so to stop
it from giving a hidden cell back (total − shown cells), the hidden cells of a dimension must
together reach the threshold and be at least two: the next-smallest cells are suppressed too
(complementary suppression; chosen over rounding the total because a rounded total next to
exact cells still narrows a hidden cell down to a few values). A total below the threshold
suppresses the total and every cell. An enterprise's own statistics are never suppressed.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any, Literal, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import N_, _
from fenghuo.core.models import Organisation, OrgKind
from fenghuo.core.tenancy import platform_scope
from fenghuo.disputes.models import Case, DisputeAlert

DIMENSIONS = ("forum", "country", "industry", "province", "outcome", "kind")
#: Dimension names as shown (translated where shown with ``_(DIMENSION_LABELS[d])``).
DIMENSION_LABELS = {"forum": N_("forum"), "country": N_("country"), "industry": N_("industry"),
                    "province": N_("province"), "outcome": N_("outcome"), "kind": N_("kind of event")}
WIDE_KINDS = frozenset({OrgKind.GUIDANCE_CENTRE.value, OrgKind.ADMINISTRATION.value})
HEADERS = {
    "en": {"dimension": "dimension", "value": "value", "cases": "cases"},
    "zh_CN": {"dimension": "维度", "value": "取值", "cases": "案件数"},
}
UNKNOWN = {"en": "(unknown)", "zh_CN": "（未知）"}
#: Each statistics heading as one whole sentence per dimension (not "Cases by" + a word): Chinese
#: word order and spacing differ ("按受理机构统计的案件"), so each is translated as a whole.
HEADINGS = {"forum": N_("Cases by forum"), "country": N_("Cases by country or region"),
            "industry": N_("Cases by industry"), "province": N_("Cases by province"),
            "outcome": N_("Cases by outcome"), "kind": N_("Cases by kind of event")}
#: Column headers of the statistics tables (capitalised nouns, unlike the lower-case DIMENSION_LABELS).
COLUMNS = {"forum": N_("Forum"), "country": N_("Country or region"), "industry": N_("Industry"),
           "province": N_("Province"), "outcome": N_("Outcome"), "kind": N_("Kind of event")}


MIN_CELL_ENV = "FENGHUO_STATS_MIN_CELL"
DEFAULT_MIN_CELL = 5


def min_cell() -> int:
    """The smallest count shown in statistics across organisations (``FENGHUO_STATS_MIN_CELL``)."""
    try:
        value = int(os.environ.get(MIN_CELL_ENV, "") or DEFAULT_MIN_CELL)
    except ValueError:
        return DEFAULT_MIN_CELL
    return max(value, 1)


def wide_scope(session: Session) -> bool:
    """Whether this session's statistics run over every organisation's cases (centres, administration)."""
    org = session.get(Organisation, session.info.get("org_id") or -1)
    return org is not None and org.kind in WIDE_KINDS


def suppression_note(threshold: int) -> str:
    return str(_("cells with fewer than %(n)s are suppressed", n=threshold))


@dataclass(frozen=True)
class Cell:
    """One value of a dimension and its count; ``cases`` is None when suppressed."""

    value: str
    cases: int | None
    suppressed: bool = False

    def shown(self, threshold: int) -> str:
        return f"<{threshold}" if self.suppressed else str(self.cases)

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "cases": self.cases, "suppressed": self.suppressed}


def suppress(rows: list[tuple[str, int]], threshold: int) -> list[Cell]:
    """Small-cell suppression with complementary cells (see the module docstring)."""
    total = sum(n for _v, n in rows)
    if total < threshold:
        return [Cell(v, None, True) for v, _n in rows]
    hidden = {i for i, (_v, n) in enumerate(rows) if n < threshold}
    if hidden:
        hidden_sum = sum(rows[i][1] for i in hidden)
        candidates = sorted((i for i in range(len(rows)) if i not in hidden), key=lambda i: (rows[i][1], i))
        for i in candidates:
            if len(hidden) >= 2 and hidden_sum >= threshold:
                break
            hidden.add(i)
            hidden_sum += rows[i][1]
    return [Cell(v, None, True) if i in hidden else Cell(v, n) for i, (v, n) in enumerate(rows)]


def _cases(session: Session, year: int | None = None) -> list[Case]:
    org = session.get(Organisation, session.info.get("org_id") or -1)
    if org is not None and org.kind in WIDE_KINDS:
        with platform_scope(session):
            rows = list(session.scalars(select(Case)))
    else:
        rows = list(session.scalars(select(Case)))
    return [c for c in rows if year is None or (c.opened_at is not None and c.opened_at.year == year)]


def counts(session: Session, dimension: str, year: int | None = None) -> list[tuple[str, int]]:
    if dimension not in DIMENSIONS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(DIMENSIONS)), field="dimension")
    tally = Counter(str(getattr(c, dimension) or "") for c in _cases(session, year))
    return sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))


def response_days(session: Session, year: int | None = None) -> dict[str, float | int | None]:
    """Days from the alert to the opened case (how fast enterprises respond)."""
    cases = [c for c in _cases(session, year) if c.alert_id]
    with platform_scope(session):
        alerts = {a.id: a for a in session.scalars(select(DisputeAlert).where(
            DisputeAlert.id.in_([c.alert_id for c in cases])))}
    days = [max((c.opened_at - alerts[c.alert_id].created_at).total_seconds() / 86400, 0.0)
            for c in cases if c.alert_id in alerts and c.opened_at and alerts[c.alert_id].created_at]
    return {"cases": len(days), "median_days": round(median(days), 2) if days else None,
            "max_days": round(max(days), 2) if days else None}


def cells(session: Session, dimension: str, year: int | None = None) -> list[Cell]:
    """The counts of one dimension as shown to this session (suppressed in the wide scope)."""
    rows = counts(session, dimension, year)
    return suppress(rows, min_cell()) if wide_scope(session) else [Cell(v, n) for v, n in rows]


def summary(session: Session, year: int | None = None) -> dict[str, Any]:
    """Counts per dimension and response time, of the cases opened in ``year`` (all years if None).

    Each dimension is a list of ``{"value", "cases", "suppressed"}``; ``suppression`` says whether
    small cells were hidden (statistics across organisations), the threshold and the footnote.
    """
    wide, threshold = wide_scope(session), min_cell()
    total = len(_cases(session, year))
    total_hidden = wide and total < threshold
    response = response_days(session, year)
    response_hidden = wide and int(response["cases"] or 0) < threshold
    if response_hidden:
        response = {"cases": None, "median_days": None, "max_days": None}
    dims: dict[str, list[dict[str, Any]]] = {}
    any_hidden = total_hidden or response_hidden
    for d in DIMENSIONS:
        shown = suppress(counts(session, d, year), threshold) if wide else [Cell(v, n) for v, n in
                                                                               counts(session, d, year)]
        any_hidden = any_hidden or any(c.suppressed for c in shown)
        dims[d] = [c.as_dict() for c in shown]
    return {"total": None if total_hidden else total, "total_suppressed": total_hidden, **dims,
            "response_time": {**response, "suppressed": response_hidden},
            "suppression": {"applied": wide, "threshold": threshold if wide else None,
                            "any_suppressed": any_hidden,
                            "note": suppression_note(threshold) if wide else None,
                            "method": "complementary" if wide else None}}


def csv_export(session: Session, dimension: str, lang: str = "en") -> str:
    """CSV of one dimension; suppressed cells read "<5", with the footnote as the last row."""
    lang = "zh_CN" if lang.lower().replace("-", "_") in ("zh", "zh_cn") else "en"
    head = HEADERS[lang]
    threshold = min_cell()
    shown = cells(session, dimension)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([head["dimension"], head["value"], head["cases"]])
    from fenghuo.core.labels import label

    # Words in the file's language (label registry), never the stored codes; "<5" where suppressed.
    words = labelled(dimension, [(c.value, c.shown(threshold)) for c in shown], lang)
    for value, n in words:
        writer.writerow([label("stats_dimension", dimension, lang), value, n])
    if any(c.suppressed for c in shown):
        from fenghuo.core import i18n

        token = i18n.set_locale(lang)
        try:
            writer.writerow([f"* {suppression_note(threshold)}", "", ""])
        finally:
            i18n.reset_locale(token)
    return ("\ufeff" if lang == "zh_CN" else "") + out.getvalue()


N = TypeVar("N", int, str)


def labelled(dimension: str, rows: Sequence[tuple[str, N]], locale: str | None = None) -> list[tuple[str, N]]:
    """Rows with each code in words (label registry) and "(unknown)" for an empty value; the
    second item (a count, or "<5" for a suppressed cell) is kept as it is."""
    from fenghuo.core.i18n import get_locale
    from fenghuo.core.labels import DIMENSION_CATEGORIES, label

    loc = locale or get_locale()
    unknown = UNKNOWN["zh_CN" if str(loc).startswith("zh") else "en"]
    category = DIMENSION_CATEGORIES.get(dimension, dimension)
    return [(label(category, value, loc) if value else unknown, n) for value, n in rows]


def dimension_chart(dimension: str, rows: list[tuple[str, int]], *, output: Literal["svg", "img"] = "svg",
                    locale: str | None = None, suppressed: bool = False) -> str:
    """The bar chart of one dimension (server-side SVG for pages, PNG ``<img>`` for PDFs).

    ``suppressed``: some counts were hidden, so an empty chart says so instead of "no data yet".
    """
    from fenghuo.reports.charts import bar_chart

    return bar_chart(labelled(dimension, rows, locale), title=str(_(HEADINGS[dimension])),
                     value_title=str(_("Number of cases")), output=output,
                     empty_message=str(_("Counts below the threshold are not charted")) if suppressed else None)


def chart(session: Session, dimension: str) -> dict[str, Any]:
    """A Vega-Lite bar chart (Altair) of cases per value of ``dimension`` (suppressed cells left out)."""
    import altair as alt

    shown = cells(session, dimension)
    rows = [{"value": c.value or "?", "cases": c.cases} for c in shown if not c.suppressed]
    title = str(_(HEADINGS.get(dimension, HEADINGS["forum"])))
    spec = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("cases:Q", title=str(_("cases"))), y=alt.Y("value:N", sort="-x", title=dimension),
    ).properties(title=alt.TitleParams(title, subtitle=[suppression_note(min_cell())])
                 if any(c.suppressed for c in shown) else title, width=400)
    result: dict[str, Any] = spec.to_dict()
    return result
