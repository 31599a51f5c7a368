"""Regenerate the golden files of the register source adapter tests.

    .venv/bin/python scripts/regen_tm_golden.py [--check] [SHARED_DIR]

Parses the chosen real records from ``$FENGHUO_SHARED`` (default ``../shared``) and writes
``RegisterRecord.to_dict()`` of each as pretty JSON (sorted keys, UTF-8 kept) to
``tests/tm/sources/golden/{format}-{office}-{application number}.json``. The ``source`` field holds
the file name only, so the golden files do not depend on where the shared data lives; the tests
find the data file again from it. ``--check`` writes nothing and exits 1 when a golden file is
missing or differs. Review the diff before committing regenerated files: a change here is a
change of what every adapter promises downstream.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "tm" / "sources" / "golden"

#: (format, data folder relative to the shared dir, file name, why this record was chosen)
CASES: tuple[tuple[str, str, str, str], ...] = (
    ("euipo", "data/trademarks/euipo-xml", "018222197.xml", "word mark, registered"),
    ("euipo", "data/trademarks/euipo-xml", "018222200.xml", "figurative mark with words"),
    ("euipo", "data/trademarks/euipo-xml", "018222714.xml", "figurative mark without words"),
    ("euipo", "data/trademarks/euipo-xml", "018222706.xml", "opposed (one opposition, grounds)"),
    ("euipo", "data/trademarks/euipo-xml", "018222713.xml", "3D mark"),
    ("st66", "data/trademarks/st66-samples", "altm-altm.xml", "AL: word mark, expired"),
    ("st66", "data/trademarks/st66-samples", "idtm-translation.xml", "ID: combined, with a translation"),
    ("st66", "data/trademarks/st66-samples", "khtm-khtm.xml", "KH: combined, registered"),
    ("st66", "data/trademarks/st66-samples", "pgtm-pgtm.xml", "PG: figurative, no verbal element"),
    ("st66", "data/trademarks/st66-samples", "smtm-test.xml", "SM: five classes, Italian"),
    ("il", "data/trademarks/st66-samples", "iltm-tlit.xml", "IL: Hebrew mark with transliteration"),
    ("il", "data/trademarks/st66-samples", "iltm-eventdata.xml", "IL: Hebrew + English, events"),
    ("il", "data/trademarks/st66-samples", "iltm-opposition.xml", "IL: opposition"),
)


def shared_dir(argv: list[str]) -> Path:
    if argv:
        return Path(argv[0])
    env = os.environ.get("FENGHUO_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def parser(fmt: str) -> Callable[..., Iterator[Any]]:
    from fenghuo.tm.sources import csv as csv_source
    from fenghuo.tm.sources import euipo, il, st66, uspto

    return {
        "euipo": euipo.iter_records,
        "st66": st66.iter_records,
        "il": il.iter_records,
        "uspto": uspto.iter_records,
        "csv": csv_source.iter_records,
    }[fmt]


def golden_name(fmt: str, office: str, application_number: str) -> str:
    return f"{fmt}-{office}-{re.sub(r'[^0-9A-Za-z]+', '_', application_number)}.json"


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def golden_files(shared: Path) -> dict[str, str]:
    """Golden file name → expected content, for every record of every chosen file."""
    from fenghuo.tm.records import RecordError

    out: dict[str, str] = {}
    for fmt, folder, name, _why in CASES:
        path = shared / folder / name
        items = list(parser(fmt)(str(path), source=name))
        errors = [str(i) for i in items if isinstance(i, RecordError)]
        if errors or not items:
            raise SystemExit(f"{path}: cannot make a golden file: {errors or 'no records'}")
        for record in items:
            out[golden_name(fmt, record.office, record.application_number)] = dump(record.to_dict())
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    shared = shared_dir(args)
    if not (shared / "data").is_dir():
        print(f"shared data not found at {shared} (set FENGHUO_SHARED)", file=sys.stderr)
        return 2
    expected = golden_files(shared)
    stale = sorted(p.name for p in GOLDEN.glob("*.json") if p.name not in expected)
    changed = [
        n
        for n, text in sorted(expected.items())
        if not (GOLDEN / n).exists() or (GOLDEN / n).read_text(encoding="utf-8") != text
    ]
    if check:
        for n in changed:
            print(f"differs or missing: {n}")
        for n in stale:
            print(f"stale: {n}")
        return 1 if changed or stale else 0
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for n in changed:
        (GOLDEN / n).write_text(expected[n], encoding="utf-8")
        print(f"wrote {n}")
    for n in stale:
        (GOLDEN / n).unlink()
        print(f"removed {n}")
    print(f"{len(expected)} golden files, {len(changed)} written, {len(stale)} removed")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
