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
