"""Claim correspondence: corresponding, narrower, broader and category-changing claims, with reasons."""

from __future__ import annotations

import pytest

from fenghuo.core.errors import ValidationFailed
from fenghuo.filing.claims import correspond, split_claims

ALLOWED = """1. A charging device comprising a housing, a lithium battery inside the housing, and a wireless coil,
wherein the coil is wound around a ferrite core.
2. The charging device of claim 1, wherein the housing is made of aluminium.
3. A method of charging a phone, comprising placing the phone on a wireless coil wound around a ferrite core and
detecting the phone by a hall sensor.
"""

EXAMINED = """1. A charging device comprising a housing, a lithium battery inside the housing and a wireless coil,
wherein the coil is wound around a ferrite core.
2. The charging device according to claim 1, wherein the housing is made of aluminium and has cooling fins.
3. A charging device comprising a housing and a wireless coil.
4. A method of charging a device comprising a housing, a lithium battery inside the housing and a wireless coil
wound around a ferrite core.
5. A method of charging a phone, comprising placing the phone on a wireless coil wound around a ferrite core and
detecting the phone by a hall sensor.
6. The method of claim 5, wherein the hall sensors detect the phone.
"""


def test_verdict_and_reason_per_claim() -> None:
    rows = {r.number: r for r in correspond(ALLOWED, EXAMINED)}
    assert rows[1].corresponds and rows[1].allowed == 1 and "adds nothing" in rows[1].reason
    assert rows[2].corresponds and rows[2].allowed == 2 and "narrower" in rows[2].reason
    assert "cooling fins" in rows[2].reason
    assert not rows[3].corresponds and "broader" in rows[3].reason and "ferrite core" in rows[3].reason
    assert not rows[4].corresponds and "changes category" in rows[4].reason
    assert rows[5].corresponds and rows[5].allowed == 3
    assert rows[6].corresponds and rows[6].allowed == 3  # plural "sensors" still matches


def test_split_claims_keeps_dependencies() -> None:
    claims = split_claims(ALLOWED, "allowed")
    assert sorted(claims) == [1, 2, 3] and claims[2].refs == (1,) and claims[3].category == "method"


@pytest.mark.parametrize(("text", "record"), [
    ("no numbers here", "examined"),
    ("1. A device.\n1. Another device.", "claim 1"),
    ("1. A device.\n2. The device of claim 3.", "claim 2"),
    ("1. A device.\n2. ", "claim 2"),
])
def test_bad_claims_name_the_record_and_field(text: str, record: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        correspond(ALLOWED, text)
    assert exc.value.field == "examined" and exc.value.record == record


CN_ALLOWED = (
    "1. 一种无线耳机，包括壳体、设置在所述壳体内的电池和与所述电池连接的蓝牙模块，"
    "其特征在于，所述壳体上设有触摸传感器。\n"
    "2. 根据权利要求1所述的无线耳机，其特征在于，所述触摸传感器为电容式传感器。\n"
)
CN_EXAMINED = CN_ALLOWED + """3. 一种无线耳机，包括壳体和电池。
4. 一种制造无线耳机的方法，包括组装壳体和电池的步骤。
5. 根据权利要求2所述的无线耳机，其特征在于，所述电池为锂电池。
"""


def test_chinese_claims_are_aligned_claim_by_claim() -> None:
    """CNIPA claims as pasted in Chinese: dependent claims align with their counterpart."""
    verdicts = {c.number: c for c in correspond(CN_ALLOWED, CN_EXAMINED)}
    assert (verdicts[1].corresponds, verdicts[1].allowed) == (True, 1)
    assert (verdicts[2].corresponds, verdicts[2].allowed) == (True, 2) and not verdicts[2].added
    assert not verdicts[3].corresponds and "broader" in verdicts[3].reason
    assert not verdicts[4].corresponds and "category" in verdicts[4].reason
    assert verdicts[5].corresponds and verdicts[5].allowed == 2 and "锂电池" in "".join(verdicts[5].added)
