"""The CLI side of issue #9: invitations, token expiry and the password policy from the operator's shell."""

from __future__ import annotations

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from fenghuo.cli.main import app
from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.models import ApiToken, Invitation
from tests.webkit import PASSWORD

runner = CliRunner()


def test_cli_invites_lists_and_revokes(db_engine: Engine) -> None:
    assert runner.invoke(app, ["org", "create", "ACME Ltd"]).exit_code == 0
    result = runner.invoke(app, ["org", "invite", "ACME Ltd", "bo@acme.example", "--role", "viewer"])
    assert result.exit_code == 0, result.output
    with session_scope(org_id=None, platform_admin=True) as s:
        inv = s.scalar(select(Invitation))
        assert inv is not None and inv.email == "bo@acme.example" and inv.role == "viewer" and inv.accepted_at is None
        inv_id = inv.id
    listed = runner.invoke(app, ["org", "invitations", "ACME Ltd", "--format", "json"])
    assert '"status": "pending"' in listed.output
    assert runner.invoke(app, ["org", "revoke-invitation", "ACME Ltd", str(inv_id)]).exit_code == 0
    assert '"status": "revoked"' in runner.invoke(app, ["org", "invitations", "ACME Ltd", "--format", "json"]).output
    assert runner.invoke(app, ["org", "invite", "ACME Ltd", "not-an-address"]).exit_code == 2


def test_cli_token_expiry_and_weak_password(db_engine: Engine) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, "ACME Ltd", "enterprise")
        user = orgs.create_user(s, "ann@acme.example", PASSWORD)
        orgs.add_member(s, org.id, user.id, "admin")
    result = runner.invoke(app, ["token", "create", "ann@acme.example", "--org", "ACME Ltd", "--expires-in-days", "30"])
    assert result.exit_code == 0, result.output
    with session_scope(org_id=None, platform_admin=True) as s:
        token = s.scalar(select(ApiToken))
        assert token is not None and token.expires_at is not None
    dated = runner.invoke(app, ["token", "create", "ann@acme.example", "--org", "ACME Ltd", "--expires-on",
                                "2001-01-01"])
    assert dated.exit_code == 2 and "expires_on" in dated.output
    weak = runner.invoke(app, ["user", "create", "bo@acme.example", "--password", "1234567890"])
    assert weak.exit_code == 2 and "password" in weak.output
