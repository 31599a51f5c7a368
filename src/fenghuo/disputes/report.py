"""The yearly dispute statistics report: cases by forum, country, industry, province and outcome,
and the median response time, as HTML with inline SVG charts (Altair) and as a PDF (WeasyPrint),
in Chinese (zh_CN) or English.

Why only counts: the guidance centre and the administration see statistics over every case, so
the report shows the dimensions and the numbers and never a case title or an enterprise name —
whoever renders it, it holds nothing an enterprise's own case file would have to protect.
Across organisations small cells are suppressed as in :mod:`fenghuo.disputes.stats` ("<5" and a
footnote; the charts leave them out). The PDF and font handling are those of the policy
evaluation report (``policy.report``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment, select_autoescape
from sqlalchemy.orm import Session

from fenghuo.core import i18n
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.disputes import stats
from fenghuo.policy.report import FONT, LOCALES, html_to_pdf

REPORT_DIMENSIONS = ("forum", "country", "industry", "province", "outcome")

_TEMPLATE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: {{ font }}; font-size: 10pt; color: #222; }
h1 { font-size: 18pt; color: #c0392b; margin-bottom: 2mm; }
h2 { font-size: 13pt; margin-top: 7mm; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 2mm 0; }
td, th { border: 1px solid #ccc; padding: 1mm 3mm; text-align: left; }
td.n { text-align: right; }
.meta { color: #555; }
svg, img.chart { max-width: 100%; height: auto; }
th.n { text-align: right; }
</style></head><body>
<h1>{{ title }}</h1>
<p class="meta">{{ period }} · {{ generated }}</p>
<p>{{ total }}</p>
<p>{{ response }}</p>
{% for section in sections %}
<h2>{{ section.heading }}</h2>
<div class="chart">{{ section.chart | safe }}</div>
{% if section.rows %}
<table><thead><tr><th>{{ section.label }}</th><th class="n">{{ cases }}</th></tr></thead>
<tbody>{% for value, n in section.rows %}<tr><td>{{ value }}</td><td class="n">{{ n }}</td></tr>{% endfor %}</tbody>
</table>
{% endif %}
{% endfor %}
{% if footnote %}<p class="meta" id="suppression-note">* {{ footnote }}</p>{% endif %}
</body></html>
"""


def _locale(lang: str) -> str:
    locale = {"en": "en", "zh_cn": "zh_CN", "zh": "zh_CN"}.get((lang or "").replace("-", "_").lower(), "")
    if locale not in LOCALES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(LOCALES)), field="lang",
                               record="report")
    return locale


def build_context(session: Session, lang: str, year: int | None = None) -> dict[str, Any]:
    """Everything the report shows, its texts in ``lang`` (zh_CN or en)."""
    locale = _locale(lang)
    token = i18n.set_locale(locale)
    try:
        figures = stats.summary(session, year)
        threshold = figures["suppression"]["threshold"]
        hidden = "<" + str(threshold)
        sections = []
        for dim in REPORT_DIMENSIONS:
            # Whole headings per dimension, codes in words, the chart as an image (reports.charts);
            # suppressed cells read "<5" in the table and are left out of the chart.
            shown = [(c["value"], hidden if c["suppressed"] else c["cases"]) for c in figures[dim]]
            charted = [(c["value"], c["cases"]) for c in figures[dim] if not c["suppressed"]]
            sections.append({"heading": str(_(stats.HEADINGS[dim])), "label": str(_(stats.COLUMNS[dim])),
                             "rows": stats.labelled(dim, shown, locale),
                             "chart": stats.dimension_chart(dim, charted, output="img", locale=locale,
                                                            suppressed=len(charted) < len(shown))})
        median = figures["response_time"]["median_days"]
        return {
            "lang": "zh-CN" if locale == "zh_CN" else "en", "font": FONT,
            "title": str(_("Dispute statistics")),
            "period": str(_("Year %(year)s", year=year)) if year else str(_("All years")),
            "generated": str(_("Generated on %(date)s", date=date.today().isoformat())),
            "total": str(_("Cases: %(n)s", n=hidden if figures["total_suppressed"] else figures["total"])),
            "footnote": stats.suppression_note(threshold) if figures["suppression"]["any_suppressed"] else "",
            "response": str(_("Median days from alert to case: %(d)s", d="—" if median is None else median)),
            "cases": str(_("Number of cases")), "none": str(_("No cases.")), "sections": sections,
            "figures": figures,
        }
    finally:
        i18n.reset_locale(token)


def render_html(session: Session, lang: str, year: int | None = None) -> str:
    env = Environment(autoescape=select_autoescape(default_for_string=True, default=True))
    return env.from_string(_TEMPLATE).render(**build_context(session, lang, year))


def render_pdf(session: Session, lang: str = "en", year: int | None = None) -> bytes:
    """The statistics report as a PDF in ``lang`` (zh_CN or en), of ``year`` (all years if None)."""
    return html_to_pdf(render_html(session, lang, year))
