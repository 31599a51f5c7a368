"""The portfolio CSV: ``mark_id, mark, classes, owner`` and optional ``jurisdictions``, ``aliases``,
``goods`` (lists separated by ``;``; an empty ``classes`` cell watches every class).

Bad rows become :class:`RecordError` naming the line, the mark id and the field; good rows come
through, so one typo never stops a watch.
"""

from __future__ import annotations

import csv
from pathlib import Path

from fenghuo.core.i18n import _
from fenghuo.tm.portfolio import length_problem
from fenghuo.tm.records import PortfolioMark, RecordError

REQUIRED = ("mark_id", "mark")
COLUMNS = ("mark_id", "mark", "classes", "owner", "jurisdictions", "aliases", "goods")


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def parse_classes(value: str, record: str, source: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in value.replace(",", ";").replace(" ", ";").split(";"):
        if not part.strip():
            continue
        try:
            number = int(part)
        except ValueError:
            raise RecordError(record, "classes", _("not a Nice class: %(value)s", value=part), source) from None
        if not 1 <= number <= 45:
            raise RecordError(record, "classes", _("Nice class out of range 1-45: %(value)s", value=number), source)
        out.append(number)
    return tuple(sorted(set(out)))


def read_portfolio(path: Path) -> tuple[list[PortfolioMark], list[RecordError]]:
    source = str(path)
    marks: list[PortfolioMark] = []
    errors: list[RecordError] = []
    seen: set[str] = set()
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                errors.append(RecordError("header", ", ".join(missing), _("missing column(s); expected %(cols)s",
                                                                          cols=", ".join(COLUMNS)), source))
                return marks, errors
            reader.fieldnames = header
            for row in reader:
                mark_id = (row.get("mark_id") or "").strip()
                record = f"line {reader.line_num}" + (f" ({mark_id[:40]})" if mark_id else "")
                try:
                    if not mark_id:
                        raise RecordError(record, "mark_id", _("missing"), source)
                    mark = (row.get("mark") or "").strip()
                    if not mark:
                        raise RecordError(record, "mark", _("missing"), source)
                    problem = length_problem(mark_id, mark, (row.get("owner") or "").strip(),
                                             _list(row.get("aliases")))
                    if problem is not None:
                        raise RecordError(record[:200], problem[0], problem[1], source)
                    if mark_id in seen:
                        raise RecordError(record, "mark_id", _("duplicate mark_id %(id)s", id=mark_id), source)
                    classes = parse_classes(row.get("classes") or "", record, source)
                    jurisdictions = tuple(j.upper() for j in _list(row.get("jurisdictions")))
                    bad = [j for j in jurisdictions if not (j.isalpha() and len(j) == 2)]
                    if bad:
                        raise RecordError(record, "jurisdictions", _("not ST.3 codes: %(codes)s",
                                                                     codes=", ".join(bad)), source)
                except RecordError as exc:
                    errors.append(exc)
                    continue
                seen.add(mark_id)
                extra = {"goods": row["goods"].strip()} if (row.get("goods") or "").strip() else {}
                marks.append(PortfolioMark(mark_id, mark, classes, (row.get("owner") or "").strip(), jurisdictions,
                                           _list(row.get("aliases")), extra=extra))
    except UnicodeDecodeError as exc:
        errors.append(RecordError("file", "encoding", _("not a UTF-8 CSV: %(error)s", error=str(exc)), source))
    except csv.Error as exc:  # e.g. a cell past the csv module's 131,072-character limit
        errors.append(RecordError(f"line {reader.line_num}", "csv", _("unreadable CSV from here on: %(error)s",
                                                                       error=str(exc)), source))
    return marks, errors
