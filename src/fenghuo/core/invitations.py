"""Membership by invitation: an organisation invites an e-mail address, the user accepts or declines.

Why: an organisation administrator used to add any existing account by e-mail and then see
its name and last login — without the user's consent — and the different answers for known
and unknown addresses told which accounts exist. Now the answer to an invitation is the same
for every address (the invitation names only what the administrator typed), the organisation
learns nothing of an account until its owner accepts, and an invitation waits for an address
that has no account yet (it can be accepted once an account with that address exists).
Invitations expire after :data:`INVITATION_LIFETIME` and can be revoked until accepted.
Platform administrators keep a direct path (``orgs.add_member``: the CLI and the platform API).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fenghuo.core import audit
from fenghuo.core.errors import Conflict, NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import Invitation, Membership, Organisation, User
from fenghuo.core.orgs import is_email, parse_role

INVITATION_LIFETIME = timedelta(days=14)
log = logging.getLogger(__name__)


def status_label(status: str) -> str:
    """The translated label of an invitation status (see ``Invitation.status``)."""
    labels = {"pending": _("awaiting acceptance"), "accepted": _("accepted"), "declined": _("declined"),
              "revoked": _("revoked"), "expired": _("expired")}
    return labels.get(status, status)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _summary(inv: Invitation) -> dict[str, str]:
    return {"email": inv.email, "role": inv.role, "expires_at": _aware(inv.expires_at).isoformat()}


def invite(
    session: Session,
    org_id: int,
    email: str,
    role: str = "member",
    *,
    invited_by_user_id: int | None = None,
    now: datetime | None = None,
    send: bool = True,
) -> Invitation:
    """Invite ``email`` to the organisation (renewing a pending invitation of the same address).

    The result does not depend on whether an account with that address exists; only an
    address that is already a member of this organisation (which the administrator sees in
    the member list anyway) is refused.
    """
    now = _now(now)
    address = email.strip().lower()
    if not is_email(address):
        raise ValidationFailed(_("%(email)s is not an email address", email=email), field="email")
    role_value = parse_role(role).value
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound(_("organisation %(ref)s not found", ref=org_id))
    member = session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == org_id, func.lower(User.email) == address)
    )
    if member is not None:
        raise Conflict(_("%(email)s is already a member of this organisation", email=address))
    inv = session.scalar(
        select(Invitation).where(
            Invitation.organisation_id == org_id, Invitation.email == address,
            Invitation.accepted_at.is_(None), Invitation.declined_at.is_(None), Invitation.revoked_at.is_(None),
        ).order_by(Invitation.id.desc())
    )
    if inv is None:
        inv = Invitation(organisation_id=org_id, email=address, role=role_value,
                         invited_by_user_id=invited_by_user_id, created_at=now, expires_at=now + INVITATION_LIFETIME)
        session.add(inv)
    else:  # pending or expired: renew it
        inv.role = role_value
        inv.expires_at = now + INVITATION_LIFETIME
        inv.invited_by_user_id = invited_by_user_id
    session.flush()
    audit.record(session, "invite", "invitations", inv.id, after=_summary(inv), organisation_id=org_id)
    if send:
        _send_invitation_mail(inv, org.name)
    return inv


def _send_invitation_mail(inv: Invitation, org_name: str) -> None:
    """Tell the address about the invitation when mail is configured (known and unknown alike)."""
    from fenghuo.core.mail import mail_configured, send_mail

    if not mail_configured():
        return
    subject = _("Invitation to join %(org)s on Fenghuo", org=org_name)
    body = _(
        "You are invited to join %(org)s on Fenghuo as %(role)s.\n\n"
        "Log in with this e-mail address and accept or decline the invitation on your account page. "
        "If you have no account yet, ask the platform administrator to create one for this address.\n\n"
        "The invitation expires on %(date)s.",
        org=org_name, role=inv.role, date=_aware(inv.expires_at).date().isoformat(),
    )
    try:
        send_mail(inv.email, subject, body)
    except Exception:  # noqa: BLE001 - the invitation stands; the mail is a courtesy
        log.warning("could not send the invitation mail of invitation %s", inv.id, exc_info=True)


def org_invitations(session: Session, org_id: int) -> list[Invitation]:
    """The organisation's invitations not yet accepted (pending, expired, declined, revoked)."""
    return list(session.scalars(
        select(Invitation).where(Invitation.organisation_id == org_id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.id.desc())
    ))


def pending_for(session: Session, user: User, *, now: datetime | None = None) -> list[Invitation]:
    """Pending, unexpired invitations addressed to ``user``'s e-mail."""
    now = _now(now)
    rows = session.scalars(
        select(Invitation).where(
            Invitation.email == user.email.strip().lower(), Invitation.accepted_at.is_(None),
            Invitation.declined_at.is_(None), Invitation.revoked_at.is_(None),
        ).order_by(Invitation.id)
    )
    return [inv for inv in rows if _aware(inv.expires_at) > now]


def _own_pending(session: Session, invitation_id: int, user: User, now: datetime) -> Invitation:
    inv = session.get(Invitation, invitation_id)
    if inv is None or inv.email != user.email.strip().lower():
        raise NotFound(_("invitation %(id)s not found", id=invitation_id))
    status = inv.status(now)
    if status == "expired":
        raise Conflict(_("invitation %(id)s has expired: ask the organisation to invite you again", id=inv.id))
    if status != "pending":
        raise Conflict(_("invitation %(id)s is no longer open", id=inv.id))
    return inv


def accept(session: Session, invitation_id: int, user: User, *, now: datetime | None = None) -> Membership:
    """The invitee joins the organisation with the invited role."""
    now = _now(now)
    inv = _own_pending(session, invitation_id, user, now)
    membership = session.scalar(
        select(Membership).where(Membership.organisation_id == inv.organisation_id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(organisation_id=inv.organisation_id, user_id=user.id, role=inv.role)
        session.add(membership)
    inv.accepted_at = now
    inv.accepted_user_id = user.id
    session.flush()
    audit.record(session, "invite_accept", "invitations", inv.id, after={"user_id": user.id, "role": inv.role},
                 organisation_id=inv.organisation_id)
    return membership


def decline(session: Session, invitation_id: int, user: User, *, now: datetime | None = None) -> Invitation:
    now = _now(now)
    inv = _own_pending(session, invitation_id, user, now)
    inv.declined_at = now
    audit.record(session, "invite_decline", "invitations", inv.id, organisation_id=inv.organisation_id)
    return inv


def revoke(session: Session, org_id: int, invitation_id: int, *, now: datetime | None = None) -> Invitation:
    """Withdraw an invitation that was not accepted (idempotent)."""
    now = _now(now)
    inv = session.get(Invitation, invitation_id)
    if inv is None or inv.organisation_id != org_id:
        raise NotFound(_("invitation %(id)s not found", id=invitation_id))
    if inv.accepted_at is not None:
        raise Conflict(_("invitation %(id)s was accepted: remove the member instead", id=inv.id))
    if inv.revoked_at is None:
        inv.revoked_at = now
        audit.record(session, "invite_revoke", "invitations", inv.id, before=_summary(inv), organisation_id=org_id)
    return inv
