"""The password policy: the probe's passwords ("1234567890", ten spaces, 200,000 characters) are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem, validate_password
from tests.webkit import PASSWORD


@pytest.mark.parametrize("password", [
    "1234567890",            # the probe's: too short
    " " * 10,                # the probe's: blank
    " " * 14,                # blank, long enough
    "a" * 200_000,           # the probe's: absurdly long
    "x" * (MAX_PASSWORD_LENGTH + 1),
    "123456789012",          # trivial sequence
    "aaaaaaaaaaaaaaaa",      # one character
    "abababababababab",      # too few different characters
    "password1234",          # common word plus digits
    "qwertyuiopasdf",        # keyboard walk
    "iloveyou1234",
    "1q2w3e4r5t6y",          # in zxcvbn's common-password list
])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_password(password)
    assert exc.value.field == "password" and exc.value.message


def test_length_messages_name_the_bounds() -> None:
    assert str(MIN_PASSWORD_LENGTH) in (password_problem("short") or "")
    assert str(MAX_PASSWORD_LENGTH) in (password_problem("x" * 200_000) or "")


def test_good_passwords_pass_and_the_fixtures_comply() -> None:
    for password in (PASSWORD, "Zhejiang-Trade-2026", "violet tractor umbrella", "x" * 100 + "Q7#mz!pL"):
        assert password_problem(password) is None, password


def test_password_built_from_the_email_is_refused(db_engine: Engine) -> None:
    with pytest.raises(ValidationFailed) as exc, session_scope(org_id=None, platform_admin=True) as s:
        orgs.create_user(s, "zhangwei.trademarks@example.com", "zhangwei.trademarks")
    assert exc.value.field == "password"
    with session_scope(org_id=None, platform_admin=True) as s:
        assert orgs.create_user(s, "zhangwei.trademarks@example.com", PASSWORD).id


def test_demo_password_complies() -> None:
    from fenghuo.demo import DEMO_PASSWORD

    assert password_problem(DEMO_PASSWORD) is None
