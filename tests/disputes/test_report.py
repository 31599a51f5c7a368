"""`fenghuo disputes stats --pdf FILE --lang zh_CN|en`: the statistics report as a PDF."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from tests.disputes.test_cli import fenghuo


def test_stats_pdf_command(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert fenghuo("org", "create", "Centre", "--kind", "guidance_centre", home=home).returncode == 0
    for lang, heading in (("zh_CN", "纠纷统计"), ("en", "Dispute statistics")):
        out = tmp_path / f"report-{lang}.pdf"
        run = fenghuo("disputes", "stats", "--org", "Centre", "--pdf", str(out), "--lang", lang, home=home)
        assert run.returncode == 0, run.stderr
        assert out.stat().st_size > 1000
        assert heading in "".join(p.extract_text() or "" for p in PdfReader(out).pages)
    bad = fenghuo("disputes", "stats", "--org", "Centre", "--pdf", str(tmp_path / "x.pdf"), "--lang", "fr", home=home)
    assert bad.returncode != 0
