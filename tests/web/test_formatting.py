"""Dates, times, numbers, money and deadlines as a person of the locale writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from fenghuo.core import formatting as f
from fenghuo.web.templating import ENV


def test_dates_follow_the_locale() -> None:
    assert f.fmt_date(date(2026, 12, 2), "zh_CN") == "2026年12月2日"
    assert f.fmt_date(date(2026, 12, 2), "en") == "2 Dec 2026"
    assert f.fmt_date("2026-12-02", "en") == "2 Dec 2026"  # stored ISO text too
    assert f.fmt_date(None, "en") == "" and f.fmt_date("soon", "en") == "soon"


def test_datetimes_are_shown_in_the_readers_time_zone() -> None:
    stored = datetime(2026, 12, 2, 7, 16, tzinfo=UTC)
    assert f.fmt_datetime(stored, "zh_CN") == "2026年12月2日 15:16"  # Asia/Shanghai for Chinese
    assert f.fmt_datetime(stored, "en") == "2 Dec 2026, 07:16"  # UTC for English
    assert f.fmt_datetime(datetime(2026, 12, 2, 7, 16), "zh_CN") == "2026年12月2日 15:16"  # naive = UTC
    assert f.fmt_datetime("2026-12-02T07:16:00+00:00", "zh_CN") == "2026年12月2日 15:16"
    token = f.set_timezone("Europe/Berlin")
    try:
        assert f.fmt_datetime(stored, "zh_CN") == "2026年12月2日 08:16"  # the user's own zone wins
    finally:
        f.reset_timezone(token)
    assert "T07:16" not in f.fmt_datetime(stored, "en")


def test_numbers_and_money() -> None:
    assert f.fmt_number(1234567.5, "en") == "1,234,567.5"
    assert f.fmt_number("500000.00", "zh_CN", digits=0) == "500,000"
    assert f.fmt_money("500000.00", "CNY", "zh_CN") == "¥500,000"
    assert f.fmt_money(Decimal("500000.00"), "CNY", "en") == "CN¥500,000"
    assert f.fmt_money(12.5, "USD", "en") == "US$12.50"
    assert f.fmt_money(100, "EUR", "zh_CN") == "€100"
    assert f.fmt_money(10, "", "en") == "10"
    assert "500000.00" not in f.fmt_money("500000.00", "CNY", "en")


def test_relative_days_and_closed_windows() -> None:
    today = date(2026, 12, 2)
    assert f.relative_days(date(2026, 12, 14), today, "zh_CN") == "还剩 12 天"
    assert f.relative_days(date(2026, 12, 14), today, "en") == "12 days left"
    assert f.relative_days(date(2026, 11, 29), today, "zh_CN") == "已过 3 天"
    assert f.relative_days(date(2026, 11, 29), today, "en") == "3 days ago"
    assert f.relative_days(today, today, "en") == "due today"
    assert f.relative_days("2026-12-03", "2026-12-02", "en") == "1 day left"
    assert f.deadline_text(date(2020, 8, 4), today, "en") == "window closed on 4 Aug 2020"
    assert f.deadline_text(date(2020, 8, 4), today, "zh_CN") == "期限已于 2020年8月4日 届满"
    assert f.deadline_text(date(2026, 12, 14), today, "en") == "by 14 Dec 2026 (12 days left)"


def test_jinja_filters_and_label_global() -> None:
    from fenghuo.core.i18n import reset_locale, set_locale

    token = set_locale("zh_CN")
    try:
        out = ENV.from_string(
            "{{ d|fmt_date }}|{{ 500000|fmt_money('CNY') }}|{{ label('tm_alert_state', 'reviewing') }}|"
            "{{ label('region', 'Guangdong') }}|{{ label('country', 'DE') }}"
        ).render(d=date(2026, 12, 2))
    finally:
        reset_locale(token)
    assert out == "2026年12月2日|¥500,000|审查中|广东|德国"


def test_citations_name_the_official_source_not_the_file() -> None:
    from fenghuo.reference import membership
    from fenghuo.reference.citations import cite, from_basis

    pct = membership("US", "pct")
    assert pct is not None
    c = pct.citation
    assert c.title("en") == "WIPO PCT Applicant's Guide, national chapter (US)"
    assert c.title("zh_CN").startswith("WIPO《PCT申请人指南》")
    assert c.is_confirmed and c.as_of is not None
    text = c.text("en")
    assert "github" not in text and "pctlegal" not in text and ".md" not in text
    paris = membership("AD", "paris")
    assert paris is not None and paris.citation.status == "unconfirmed"
    assert "foundd" not in paris.confirmed
    assert paris.citation.title("en") == "WIPO treaty status list: Paris Union"
    secondary = cite("setindiabiz.com reproducing Madrid Schedule of Fees + zloadr.com", "partial (secondary)", "2023")
    assert secondary.status == "partial" and "setindiabiz" not in secondary.title("en")
    legal = cite("PCT Art 22/39; Rule 80.2/80.5; pct_national_phase_time_limits.csv", "yes", "")
    assert legal.title("en") == "PCT Art 22/39; Rule 80.2/80.5"
    stored = from_basis("senhaijixie.com 'Multilateral PPH Pilot Programs' [2026-11-24] (unconfirmed: partial)", "pph")
    assert stored is not None and stored.status == "partial"
    assert stored.title("zh_CN") == "国家知识产权局专利审查高速路（PPH）合作名单"


def test_exports_speak_the_requested_language() -> None:
    import io

    from openpyxl import load_workbook

    from fenghuo.policy.dashboard import to_csv, to_xlsx

    rows = [{"agency": "国家知识产权局", "tasks": 3, "status": "red", "reason": "no report"}]
    assert to_csv(rows).splitlines()[:2] == ["agency,tasks,status,reason", "国家知识产权局,3,red,no report"]
    zh = to_csv(rows, "zh_CN").splitlines()
    assert zh[0] == "责任单位,任务,状态,原因" and zh[1].startswith("国家知识产权局,3,红")
    en = to_csv(rows, "en").splitlines()
    assert en[0] == "Agency,Tasks,Status,Reason" and en[1].startswith("国家知识产权局,3,Red")
    book = load_workbook(io.BytesIO(to_xlsx({"agency": rows}, "zh_CN")))
    assert book.sheetnames == ["按单位"]
    assert [c.value for c in book["按单位"][1]] == ["责任单位", "任务", "状态", "原因"]


def test_dispute_statistics_csv_uses_labels() -> None:
    from fenghuo.disputes.stats import labelled

    assert labelled("province", [("Guangdong", 2), ("", 1)], "zh_CN")[0] == ("广东", 2)
    assert labelled("outcome", [("default_judgment", 1)], "en") == [("Default judgment", 1)]


def test_dispute_emails_read_in_the_recipients_language(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from fenghuo.disputes import notify

    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr(notify, "send_mail", lambda to, subject, body: sent.append((to, subject, body)))
    item = SimpleNamespace(title="Acme Ltd named in 337-TA-9001", body="Certain plugs")
    notify._email("a@example.com", "Fenghuo: 2 dispute notifications", [item], "zh_CN")  # type: ignore[list-item]
    assert sent[0][1] != "Fenghuo: 2 dispute notifications" and "2" in sent[0][1]
    assert "337-TA-9001" in sent[0][2] and "named in" not in sent[0][2]
    notify._email("a@example.com", "Fenghuo: 2 dispute notifications", [item], "en")  # type: ignore[list-item]
    assert sent[1][1] == "Fenghuo: 2 dispute notifications"
