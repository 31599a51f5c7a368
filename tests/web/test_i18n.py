"""The zh_CN and en catalogues are complete and current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "fenghuo" / "locale"


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with (LOCALE / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def test_zh_cn_has_no_untranslated_or_fuzzy_entry() -> None:
    catalog = _catalog("zh_CN")
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not missing, f"untranslated in zh_CN: {missing[:10]}"
    assert len(catalog) > 100


def test_every_source_string_is_in_the_catalogues(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(pot),
         "--no-location", str(ROOT)],
        check=True, cwd=ROOT, capture_output=True,
    )
    with pot.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert len(extracted) > 100  # the extraction really read the sources
    for locale in ("zh_CN", "en"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(locale) if m.id}
        missing = sorted(extracted - known)
        assert not missing, (
            f"{len(missing)} strings missing from {locale}; run scripts/update_catalogs.py: {missing[:10]}"
        )


def test_translation_is_used_at_runtime() -> None:
    from fenghuo.core.i18n import _, reset_locale, set_locale

    token = set_locale("zh_CN")
    try:
        assert _("Dashboard") == "工作台"
        assert _("organisation %(ref)s not found", ref=7) == "未找到机构 7"
    finally:
        reset_locale(token)
    assert _("Dashboard") == "Dashboard"
