"""Extract messages and update the en and zh_CN catalogues.

    .venv/bin/python scripts/update_catalogs.py [translations.json ...]

Runs ``pybabel extract`` over the source and templates, merges into
``src/fenghuo/locale/{en,zh_CN}/LC_MESSAGES/messages.po`` keeping existing translations, fills
English as identity, and takes new Chinese translations from the JSON files given (objects
mapping msgid → msgstr). Prints every msgid still untranslated in zh_CN (the test suite fails on
any), so a developer adding strings sees at once what to translate.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "fenghuo" / "locale"
POT = LOCALE / "messages.pot"


def extract() -> Catalog:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(POT),
         "--no-location", "--sort-output", "--project=fenghuo", str(ROOT)],
        check=True, cwd=ROOT,
    )
    with POT.open("rb") as fh:
        return read_po(fh)


def merge(template: Catalog, locale: str, extra: dict[str, str]) -> list[str]:
    path = LOCALE / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    old: dict[str, object] = {}
    if path.exists():
        with path.open("rb") as fh:
            for m in read_po(fh):
                if m.id and m.string:
                    old[m.id if isinstance(m.id, str) else m.id[0]] = m.string
    catalog = Catalog(locale=locale, project="fenghuo", charset="utf-8", fuzzy=False)
    missing: list[str] = []
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if locale == "en":
            string: object = message.id if isinstance(message.id, str) else list(message.id)
        else:
            string = extra.get(key) or old.get(key) or ""
        if not string:
            missing.append(key)
        catalog.add(message.id, string=string)  # type: ignore[arg-type]
    with path.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=120)
    return missing


def main(argv: list[str]) -> int:
    extra: dict[str, str] = {}
    for name in argv:
        extra.update(json.loads(Path(name).read_text(encoding="utf-8")))
    template = extract()
    merge(template, "en", {})
    missing = merge(template, "zh_CN", extra)
    for msgid in missing:
        print(f"untranslated (zh_CN): {msgid!r}")
    print(f"{len(template)} messages, {len(missing)} untranslated in zh_CN")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
