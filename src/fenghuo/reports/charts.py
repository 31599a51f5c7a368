"""Charts for statistics pages and PDF reports, rendered on the server (Altair → Vega-Lite → SVG/PNG).

Why one module: every statistics page (disputes, trademark early warning, exhibition stations,
insurance, plan dashboards) and every PDF (dispute statistics, plan evaluation) draws the same
few kinds of chart, and they must all read well in Chinese and English. The rules live here once:

- horizontal bars, so category names (forums, agencies, provinces) are read left to right and the
  value axis title is horizontal — never a rotated single character (件);
- count axes show whole numbers only (``format="d"``, ``tickMinStep=1``): no 0.2 or 0.5 ticks;
- long labels are wrapped onto several lines instead of being cut ("US International Trade
  Commission" stays whole); width is measured with CJK characters counting double;
- a CJK-capable font stack (the system's Noto Sans CJK SC) so Chinese renders in SVG and PNG;
- no data → a small "No data yet" / "暂无数据" panel instead of empty axes.

Pages embed the SVG inline (no script, nothing loaded by the browser); PDFs embed a PNG as an
``<img>`` (WeasyPrint keeps it as an image in the PDF, at twice the resolution for print).
"""

from __future__ import annotations

import base64
import html
import json
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal

from fenghuo.core.i18n import _

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PRIMARY = "#c0392b"
RAG_COLOURS = {"red": "#c0392b", "amber": "#e6a23c", "green": "#27ae60"}
Output = Literal["svg", "img"]

#: Wrap category labels at this display width (a CJK character counts 2).
LABEL_WRAP = 30
_LINE_PX = 15


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap_label(text: str, width: int = LABEL_WRAP) -> str:
    """Break ``text`` into lines of at most ``width`` display columns (at spaces when it can)."""
    text = " ".join(str(text).split())
    if _width(text) <= width:
        return text
    lines: list[str] = []
    line = ""
    for word in text.split(" ") if " " in text else [text]:
        candidate = f"{line} {word}".strip()
        if _width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while _width(word) > width:  # one long word or a run of CJK characters: cut by width
            cut, used = "", 0
            for ch in word:
                w = _width(ch)
                if used + w > width:
                    break
                cut, used = cut + ch, used + w
            lines.append(cut)
            word = word[len(cut):]
        line = word
    if line:
        lines.append(line)
    return "\n".join(lines)


def integer_ticks(maximum: float, most: int = 6) -> list[int]:
    """Whole-number tick values from 0 covering ``maximum`` (steps 1, 2, 5, 10, 20, 50, …).

    Why explicit values: Vega's own ticks on a 0–1 domain are 0, 0.5, 1 — with a "d" format the
    middle one reads "1" twice; a count axis must only show counts that can happen.
    """
    top = max(1, int(-(-maximum // 1)))
    step = 1
    factors = (1, 2, 5)
    k = 0
    while top / step > most - 1:
        k += 1
        step = factors[k % 3] * 10 ** (k // 3)
    last = -(-top // step) * step
    return list(range(0, last + 1, step))


def no_data_svg(title: str = "", message: str | None = None, width: int = 440) -> str:
    """The "no data yet" panel drawn where a chart would be (same box in pages and PDFs)."""
    text = message or str(_("No data yet"))
    height = 90 if title else 64
    heading = html.escape(title)
    y_title = f'<text x="12" y="22" font-size="13" font-weight="bold" fill="#222">{heading}</text>' if title else ""
    y_text = height - 24
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" class="fh-chart-empty" role="img" aria-label="{html.escape(text)}" '
            f'font-family="{FONT}"><rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" rx="6" '
            f'fill="#f8f9fa" stroke="#dee2e6"/>{y_title}<text x="{width // 2}" y="{y_text}" text-anchor="middle" '
            f'font-size="13" fill="#6c757d">{html.escape(text)}</text></svg>')


def _safe_char(ch: str) -> str:
    if ch == "\n":
        return ch
    category = unicodedata.category(ch)
    return " " if category == "Cc" else "\ufffd" if category == "Cs" else ch


def chart_safe(value: Any) -> Any:
    """``value`` with every string fit for the chart renderer.

    vl-convert's embedded JavaScript engine aborts the whole process (not an exception: a Rust
    panic that kills the server) on a control character such as NUL or ESC in any label, and
    refuses lone surrogates. Labels come from tenants' data (party names, forums, countries), so
    every spec is cleaned here: control characters become spaces (the line breaks that wrap long
    labels stay), lone surrogates "\ufffd".
    """
    if isinstance(value, str):
        return "".join(_safe_char(ch) for ch in value)
    if isinstance(value, dict):
        return {chart_safe(k): chart_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [chart_safe(v) for v in value]
    return value


def _render(spec: dict[str, Any], output: Output, alt_text: str) -> str:
    import vl_convert

    text = json.dumps(chart_safe(spec))
    if output == "img":
        png = vl_convert.vegalite_to_png(text, scale=2)
        data = base64.b64encode(png).decode()
        # Drawn at twice the resolution: shown at its natural size (PNG IHDR width / 2) for print quality.
        width = int.from_bytes(png[16:20], "big") // 2
        return (f'<img class="chart" width="{width}" alt="{html.escape(alt_text)}" '
                f'src="data:image/png;base64,{data}">')
    svg = str(vl_convert.vegalite_to_svg(text))
    # An accessible name for the figure; the SVG has no script and loads nothing.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(alt_text)}" ', 1)


def _config(chart: Any) -> Any:
    # aria=False: Vega would describe every axis and mark in English ("Y-axis for a discrete scale…")
    # inside the SVG, also on Chinese pages; the figure's own aria-label (in the reader's language)
    # names the chart instead.
    return chart.configure(font=FONT, aria=False).configure_axis(labelFontSize=11, titleFontSize=11, labelLimit=600,
                                                    titleFontWeight="normal").configure_title(
        fontSize=13, anchor="start").configure_view(stroke=None)


def _title(title: str) -> Any:
    """A chart title, wrapped onto several lines when long (Vega draws a list as lines)."""
    import altair as alt

    return alt.TitleParams(text=wrap_label(title, 60).split("\n"))


def _empty(output: Output, title: str, message: str | None = None) -> str:
    svg = no_data_svg(title, message)
    if output == "img":
        data = base64.b64encode(svg.encode()).decode()
        return f'<img class="chart chart-empty" alt="{html.escape(message or str(_("No data yet")))}" ' \
               f'src="data:image/svg+xml;base64,{data}">'
    return svg


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str = "", value_title: str = "",
              percent: bool = False, color: str = PRIMARY, output: Output = "svg", width: int = 420,
              empty_message: str | None = None) -> str:
    """Horizontal bars of (label, value): counts (whole-number axis) or, with ``percent``, 0–100 %.

    Rows keep their order (sort them before). All-zero or no rows give the "no data yet" panel, or
    ``empty_message`` where the emptiness has another reason (every count suppressed).
    """
    import altair as alt

    if not rows or (not percent and not any(v for _label, v in rows)):  # 0 % done is data; 0 cases is not
        return _empty(output, title, empty_message)
    data: list[dict[str, Any]] = [{"label": wrap_label(str(label)), "value": value, "order": i}
                                  for i, (label, value) in enumerate(rows)]
    lines = max(d["label"].count("\n") + 1 for d in data)
    ticks = list(range(0, 101, 20)) if percent else integer_ticks(max(float(v) for _label, v in rows))
    axis = alt.Axis(format="d", values=ticks, title=value_title or None, titleAngle=0, grid=True)
    scale = alt.Scale(domain=[0, ticks[-1]], nice=False)
    chart = alt.Chart(alt.Data(values=data)).mark_bar(color=color).encode(
        x=alt.X("value:Q", axis=axis, scale=scale),
        y=alt.Y("label:N", sort=alt.EncodingSortField(field="order", order="ascending"), title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=600, titleAngle=0)),
        tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("value:Q", title=value_title or None)],
    ).properties(width=width, height=alt.Step(max(20, _LINE_PX * lines + 6)))
    if title:
        chart = chart.properties(title=_title(title))
    return _render(_config(chart).to_dict(), output, title or value_title)


def stacked_bar_chart(rows: Sequence[dict[str, Any]], label_key: str,
                      series: Sequence[tuple[str, str, str]], *, title: str = "", value_title: str = "",
                      output: Output = "svg", width: int = 420) -> str:
    """Horizontal stacked counts: ``series`` is (row key, legend name, colour), e.g. red/amber/green tasks."""
    import altair as alt

    data: list[dict[str, Any]] = [
        {"label": wrap_label(str(r[label_key])), "series": name, "order": i, "row": n, "value": r.get(key) or 0}
        for n, r in enumerate(rows) for i, (key, name, _c) in enumerate(series) if r.get(key)]
    if not data:
        return _empty(output, title)
    lines = max(d["label"].count("\n") + 1 for d in data)
    names = [name for _k, name, _c in series]
    totals: dict[int, float] = {}
    for d in data:
        totals[d["row"]] = totals.get(d["row"], 0) + float(d["value"])
    ticks = integer_ticks(max(totals.values()))
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("value:Q", stack="zero", scale=alt.Scale(domain=[0, ticks[-1]], nice=False),
                axis=alt.Axis(format="d", values=ticks, title=value_title or None)),
        y=alt.Y("label:N", sort=alt.EncodingSortField(field="row", order="ascending"), title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=600)),
        color=alt.Color("series:N", title=None, sort=names,
                        scale=alt.Scale(domain=names, range=[c for _k, _n, c in series]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
    ).properties(width=width, height=alt.Step(max(20, _LINE_PX * lines + 6)))
    if title:
        chart = chart.properties(title=_title(title))
    return _render(_config(chart).to_dict(), output, title or value_title)


def line_chart(points: Sequence[dict[str, Any]], *, x_title: str, y_title: str, title: str = "",
               integer: bool = False, colors: Sequence[str] = (PRIMARY, "#7f8c8d"), output: Output = "svg",
               width: int = 320, height: int = 160) -> str:
    """Lines of ``{"x", "value", "series"}`` points (x ordinal: years, months)."""
    import altair as alt

    if not points:
        return _empty(output, title)
    title_at: dict[str, Any] = {"title": y_title, "titleAngle": 0, "titleAlign": "left", "titleY": -8, "titleX": 0}
    if integer:  # counts: whole-number ticks only
        y_axis = alt.Axis(format="d", values=integer_ticks(max(float(p["value"]) for p in points)), **title_at)
    else:
        y_axis = alt.Axis(**title_at)
    base = alt.Chart(alt.Data(values=list(points))).encode(
        x=alt.X("x:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", axis=y_axis),
        color=alt.Color("series:N", title=None, scale=alt.Scale(range=list(colors)),
                        legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("series:N", legend=None),
    )
    chart = base.mark_line(point=True).properties(width=width, height=height)
    if title:
        chart = chart.properties(title=_title(title))
    return _render(_config(chart).to_dict(), output, title or y_title)
