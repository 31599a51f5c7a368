"""Dashboards of one plan — by agency ("what each ministry owes"), by part and by section — and
their CSV / XLSX export.

Why rows of plain dicts: the same rows feed the web page, the JSON API, the CSV and XLSX files and
the evaluation report's charts, so they are computed once here and only formatted elsewhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fenghuo.core import labels
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.policy.rag import AMBER, GREEN, RED, PlanStatus

VIEWS = ("agency", "part", "section", "tasks", "indicators")


def _counts(rags: Sequence[str]) -> dict[str, int]:
    return {RED: rags.count(RED), AMBER: rags.count(AMBER), GREEN: rags.count(GREEN)}


def by_agency(status: PlanStatus) -> list[dict[str, Any]]:
    """One row per responsible agency: tasks led and co-owned, completed, overdue and the worst status."""
    rows: dict[str, dict[str, Any]] = {}
    by_task = {t.id: t for t in status.tasks}
    for acc in status.accountabilities:
        if acc.generic or acc.task_id not in by_task:
            continue
        row = rows.setdefault(acc.agency_key, {
            "agency_key": acc.agency_key, "agency": acc.agency_name, "registry_id": acc.registry_id,
            "organisation_id": acc.agency_org_id, "lead": 0, "co": 0, "tasks": 0, "completed": 0, "overdue": 0,
            "reports": 0, "task_ids": []})
        row[acc.role] += 1
        row["tasks"] += 1
        row["task_ids"].append(acc.task_id)
        rag = status.task_rag[acc.task_id]
        row["completed"] += rag.rule == "completed"
        row["overdue"] += by_task[acc.task_id].due_date < status.today and rag.rule != "completed"
        if acc.agency_org_id is not None:
            row["organisation_id"] = acc.agency_org_id
    for report in status.reports:
        if report.agency_key in rows:
            rows[report.agency_key]["reports"] += 1
    out = []
    for key, row in rows.items():
        rags = [status.task_rag[t].colour for t in row.pop("task_ids")]
        overall = status.agency_rag(key)
        row.update(_counts(rags))
        row["completion"] = round(100 * row["completed"] / row["tasks"]) if row["tasks"] else 0
        row["status"] = overall.colour if overall else ""
        row["reason"] = overall.reason if overall else ""
        out.append(row)
    return sorted(out, key=lambda r: (-r["lead"] - r["co"], r["agency"]))


def _group(status: PlanStatus, key: str) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for task in status.tasks:
        number = task.part_number if key == "part" else task.section_number
        title = task.part_title if key == "part" else task.section_title
        row = rows.setdefault((number, title), {"number": number, "title": title, "part": task.part_number,
                                                "tasks": 0, "completed": 0, "rags": []})
        rag = status.task_rag[task.id]
        row["tasks"] += 1
        row["completed"] += rag.rule == "completed"
        row["rags"].append(rag.colour)
    out = []
    for row in rows.values():
        row.update(_counts(row.pop("rags")))
        row["completion"] = round(100 * row["completed"] / row["tasks"]) if row["tasks"] else 0
        out.append(row)
    return out


def by_part(status: PlanStatus) -> list[dict[str, Any]]:
    return _group(status, "part")


def by_section(status: PlanStatus) -> list[dict[str, Any]]:
    return [r for r in _group(status, "section") if r["number"] or r["title"]]


def task_rows(status: PlanStatus) -> list[dict[str, Any]]:
    out = []
    for task in status.tasks:
        accs = [a for a in status.accountabilities if a.task_id == task.id]
        rag = status.task_rag[task.id]
        out.append({"id": task.id, "part": task.part_number, "section": task.section_number, "title": task.title,
                    "lead": "、".join(a.agency_name for a in accs if a.role == "lead"),
                    "co": "、".join(a.agency_name for a in accs if a.role == "co"),
                    "due_date": task.due_date.isoformat(), "status": rag.colour, "rule": rag.rule,
                    "reason": rag.reason})
    return out


def indicator_rows(status: PlanStatus) -> list[dict[str, Any]]:
    out = []
    for ind, values, rag in status.indicators:
        latest = max(values) if values else None
        out.append({"id": ind.id, "code": ind.code, "name": ind.name, "unit": ind.unit, "kind": ind.kind,
                    "direction": ind.direction, "baseline": ind.baseline, "baseline_year": ind.baseline_year,
                    "target": ind.target, "target_year": ind.target_year,
                    "latest_year": latest, "latest": values.get(latest) if latest is not None else None,
                    "actuals": {str(y): v for y, v in sorted(values.items())},
                    "status": rag.colour, "rule": rag.rule, "reason": rag.reason})
    return out


def view_rows(status: PlanStatus, view: str) -> list[dict[str, Any]]:
    if view not in VIEWS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(VIEWS)), field="view",
                               record="dashboard")
    return {"agency": by_agency, "part": by_part, "section": by_section, "tasks": task_rows,
            "indicators": indicator_rows}[view](status)


def _flat(value: Any) -> Any:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value is None else value


#: Columns whose values are codes, with their label category (fenghuo.core.labels).
_VALUE_CATEGORIES = {"status": "rag", "kind": "indicator_kind", "direction": "direction"}


def _localise(rows: Sequence[dict[str, Any]], lang: str | None) -> tuple[list[str], list[list[Any]]]:
    """Header and values of ``rows``: as stored (``lang`` None, for machines) or in words of ``lang``."""
    if not rows:
        return [], []
    keys = list(rows[0])
    if lang is None:
        return keys, [[_flat(row.get(k)) for k in keys] for row in rows]
    header = [labels.label("export_column", k, lang) for k in keys]
    body = []
    for row in rows:
        values = []
        for k in keys:
            v = row.get(k)
            if k in _VALUE_CATEGORIES and isinstance(v, str):
                v = labels.label(_VALUE_CATEGORIES[k], v, lang) if v else ""
            elif k == "reason" and isinstance(v, str):
                v = labels.retranslate(v, lang)
            values.append(_flat(v))
        body.append(values)
    return header, body


def to_csv(rows: Sequence[dict[str, Any]], lang: str | None = None) -> str:
    """CSV with a header row (codes, or words of ``lang``); the caller adds a UTF-8 BOM for spreadsheets."""
    buffer = io.StringIO()
    header, body = _localise(rows, lang)
    if header:
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(body)
    return buffer.getvalue()


def to_xlsx(sheets: dict[str, Sequence[dict[str, Any]]], lang: str | None = None) -> bytes:
    """One worksheet per view (openpyxl); headers, sheet names and status words in ``lang`` when given."""
    from openpyxl import Workbook

    book = Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = (labels.label("dashboard_view", name, lang) if lang else name)[:31]
        header, body = _localise(rows, lang)
        if header:
            sheet.append(header)
            for values in body:
                sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
