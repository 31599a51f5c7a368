"""PPH eligibility against the shared CNIPA partner list: unconfirmed rows flagged, programmes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fenghuo.core.errors import ValidationFailed
from fenghuo.filing.pph import check


def _partners(shared: Path) -> list[dict[str, str]]:
    with (shared / "data/filing/cnipa_pph_partners.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_unconfirmed_partner_rows_are_flagged(shared_dir: Path) -> None:
    rows = _partners(shared_dir)
    unconfirmed = [r["partner_code"] for r in rows if r["confirmed"].strip().lower() != "yes"]
    assert len(unconfirmed) >= 10
    for code in unconfirmed:
        result = check(code)
        assert result.eligible == "unconfirmed", code
        assert any("unconfirmed" in w for w in result.warnings), code
        assert result.to_dict()["partner"]["confirmed"] != "yes"  # type: ignore[index]


def test_confirmed_partner_with_programmes(shared_dir: Path) -> None:
    row = next(r for r in _partners(shared_dir) if r["partner_code"] == "JP")
    assert row["confirmed"] == "yes"
    jp = check("JP")
    assert jp.eligible == "yes" and jp.partner is not None and jp.partner.start_date == row["start_date"]
    assert check("JP", "pct-pph").eligible == "yes"
    assert "WO/ISA" in " ".join(check("JP", "pct-pph").checklist)
    assert "correspondence table" in " ".join(jp.checklist)


def test_programme_not_offered_and_non_partner() -> None:
    de = check("DE", "pct-pph")  # DPMA: PCT work products excluded
    assert de.eligible == "no" and "does not offer" in de.summary
    assert check("EP", "bilateral").eligible == "no"  # EPO only via IP5
    assert check("EP", "ip5").eligible == "yes"
    none = check("TH")
    assert none.eligible == "no" and none.partner is None and "Global PPH" in none.summary


def test_regional_partner_reaches_member_state() -> None:
    ke = check("KE")  # Kenya → ARIPO partner
    assert ke.via == "AP" and ke.partner is not None and ke.partner.code == "AP"


@pytest.mark.parametrize(("office", "programme", "field"), [("JP", "global", "programme"), ("J1", None, "office")])
def test_bad_input_names_the_field(office: str, programme: str | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check(office, programme)
    assert exc.value.field == field and exc.value.record


def test_partner_terms_read_in_the_readers_language_without_research_notes() -> None:
    """The table's English research notes ("per cpahkltd") never reach a page; their meaning does."""
    from fenghuo.core.i18n import reset_locale, set_locale
    from fenghuo.filing.pph import describe_status, partners

    assert describe_status("extended 5 years to 2026-08-31 (per cpahkltd); unconfirmed after") == \
        "extended to 31 Aug 2026; later status unconfirmed"
    token = set_locale("zh_CN")
    try:
        assert describe_status("to 2021-09-01; later status unconfirmed") == "至2021年9月1日；此后状态未经确认"
        shown = [describe_status(p.status) for p in partners().values() if p.status]
    finally:
        reset_locale(token)
    assert shown and not [s for s in shown if any(w in s for w in ("extended", "unconfirmed", "per ", " to "))]


def test_charts_carry_no_english_descriptions() -> None:
    from fenghuo.reports.charts import bar_chart

    svg = bar_chart([("US ITC", 2), ("EDTX", 1)], title="按受理机构统计的案件", value_title="案件数")
    assert "Y-axis" not in svg and "X-axis" not in svg and 'aria-label="按受理机构统计的案件"' in svg
