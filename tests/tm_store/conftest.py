"""Fixtures for the stored early-warning workflow: a small invented register and portfolio."""

from __future__ import annotations

from pathlib import Path

import pytest

REGISTER_CSV = (
    "office,application_number,mark,classes,applicant,applicant_country,application_date,publication_date,status\n"
    """EM,019999001,YILI,29;30,Dairy Traders Kft,HU,2026-09-01,2026-10-01,pending
EM,019999002,WONG LO KAT,32,Dairy Traders Kft,HU,2026-09-02,2026-10-02,pending
EM,019999003,HAIXIN,9,Dairy Traders Kft,HU,2026-09-03,2026-10-03,pending
US,99000001,HERO,16,Pens Inc,US,2026-08-01,2026-10-20,pending
EM,019999005,YILI,29,Inner Mongolia Yili Industrial Group Co Ltd,CN,2026-09-03,2026-10-03,pending
EM,019999006,ZEPHYRIA,29,Unrelated GmbH,DE,2026-09-03,2026-10-03,pending
"""
)

PORTFOLIO_CSV = """mark_id,mark,classes,owner,jurisdictions,aliases
M1,伊利,29;30,Inner Mongolia Yili Industrial Group,,
M2,海信,9;11,Hisense Co Ltd,,HISENSE
M3,王老吉,32,Guangzhou Wanglaoji,,
M4,英雄,16,Shanghai Hero Pen,,
"""


@pytest.fixture
def register_csv(tmp_path: Path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    return path


@pytest.fixture
def portfolio_csv(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.csv"
    path.write_text(PORTFOLIO_CSV, encoding="utf-8")
    return path
