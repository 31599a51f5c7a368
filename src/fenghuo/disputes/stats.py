"""Case statistics: counts by forum, country, industry, province and outcome, response times,
as tables, Altair charts and CSV exports with zh-CN or English headers.

Why two scopes: an enterprise sees statistics of the cases visible to it; the guidance centre
and the administration see counts over every case (no names, only the dimensions), which is what
the plan's monitoring asks for without opening any enterprise's case file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from statistics import median
from typing import Any, Literal

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


def summary(session: Session, year: int | None = None) -> dict[str, Any]:
    """Counts per dimension and response time, of the cases opened in ``year`` (all years if None)."""
    return {"total": len(_cases(session, year)), **{d: counts(session, d, year) for d in DIMENSIONS},
            "response_time": response_days(session, year)}


def csv_export(session: Session, dimension: str, lang: str = "en") -> str:
    lang = "zh_CN" if lang.lower().replace("-", "_") in ("zh", "zh_cn") else "en"
    head = HEADERS[lang]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([head["dimension"], head["value"], head["cases"]])
    from fenghuo.core.labels import label

    # Words in the file's language (label registry), never the stored codes.
    for value, n in labelled(dimension, counts(session, dimension), lang):
        writer.writerow([label("stats_dimension", dimension, lang), value, n])
    return ("\ufeff" if lang == "zh_CN" else "") + out.getvalue()


def labelled(dimension: str, rows: list[tuple[str, int]], locale: str | None = None) -> list[tuple[str, int]]:
    """Rows with each code in words (label registry) and "(unknown)" for an empty value."""
    from fenghuo.core.i18n import get_locale
    from fenghuo.core.labels import DIMENSION_CATEGORIES, label

    loc = locale or get_locale()
    unknown = UNKNOWN["zh_CN" if str(loc).startswith("zh") else "en"]
    category = DIMENSION_CATEGORIES.get(dimension, dimension)
    return [(label(category, value, loc) if value else unknown, n) for value, n in rows]


def dimension_chart(dimension: str, rows: list[tuple[str, int]], *, output: Literal["svg", "img"] = "svg",
                    locale: str | None = None) -> str:
    """The bar chart of one dimension (server-side SVG for pages, PNG ``<img>`` for PDFs)."""
    from fenghuo.reports.charts import bar_chart

    return bar_chart(labelled(dimension, rows, locale), title=str(_(HEADINGS[dimension])),
                     value_title=str(_("Number of cases")), output=output)


def chart(session: Session, dimension: str) -> dict[str, Any]:
    """A Vega-Lite bar chart (Altair) of cases per value of ``dimension``."""
    import altair as alt

    rows = [{"value": v or "?", "cases": n} for v, n in counts(session, dimension)]
    spec = alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("cases:Q", title=str(_("cases"))), y=alt.Y("value:N", sort="-x", title=dimension),
    ).properties(title=str(_(HEADINGS.get(dimension, HEADINGS["forum"]))), width=400)
    result: dict[str, Any] = spec.to_dict()
    return result
