"""Overseas infringement insurance: policies and claims linked to cases.

Why grants on both sides: a policy is the insurer's row (its organisation id) and is granted
read-only to the insured enterprise when issued; a claim is the enterprise's row and is granted
to the insurer when filed. The central tenancy filter then gives each side exactly its own
policies and claims — an insurer never sees another insurer's policies, an enterprise never
another enterprise's.

Why an offer first: the insurer chooses the insured enterprise, so without the enterprise's
consent any insurer could put a policy into any enterprise's list. A new policy is ``pending``;
the enterprise sees it among its offers and accepts or declines it (audited, the insurer is told
and sees the status); only accepted policies are in the enterprise's list and can be claimed on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import audit, grants
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import Organisation, OrgKind, utcnow
from fenghuo.core.tenancy import platform_scope
from fenghuo.disputes.cases import get_case
from fenghuo.disputes.models import InsuranceClaim, InsurancePolicy, Notification

CLAIM_STATES = ("filed", "accepted", "paid", "rejected")
POLICY_STATES = ("pending", "accepted", "declined")
POLICY_DECISIONS = {"accept": "accepted", "decline": "declined"}


@dataclass(frozen=True)
class PolicyIn:
    number: str
    insured_org_id: int
    limit_amount: str
    starts_on: date
    ends_on: date
    currency: str = "CNY"
    products: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


def _kind(session: Session) -> str | None:
    org = session.get(Organisation, session.info.get("org_id") or -1)
    return org.kind if org else None


def _amount(value: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(_("%(value)s is not an amount", value=str(value)[:40]), field=field) from None
    if amount < 0 or amount.is_nan():
        raise ValidationFailed(_("the amount cannot be negative"), field=field)
    return amount.quantize(Decimal("0.01"))


def issue_policy(session: Session, data: PolicyIn) -> InsurancePolicy:
    """An insurer issues a policy to an enterprise; the enterprise is granted read access (audited)."""
    if _kind(session) != OrgKind.INSURER.value:
        raise PermissionDenied(_("only an insurer can issue policies"))
    if not data.number.strip():
        raise ValidationFailed(_("the policy number is required"), field="number")
    insured = session.get(Organisation, data.insured_org_id)
    if insured is None or insured.kind != OrgKind.ENTERPRISE.value:
        raise ValidationFailed(_("the insured must be a registered enterprise"), field="insured_org_id")
    if data.ends_on < data.starts_on:
        raise ValidationFailed(_("the policy cannot end before it starts"), field="ends_on")
    if len(data.currency) != 3 or not data.currency.isalpha():
        raise ValidationFailed(_("a three-letter currency code (e.g. CNY, USD)"), field="currency")
    if session.scalar(select(InsurancePolicy).where(InsurancePolicy.number == data.number.strip(),
                                                    InsurancePolicy.organisation_id == session.info.get("org_id"))):
        raise ValidationFailed(_("policy %(number)s already exists", number=data.number), field="number")
    row = InsurancePolicy(number=data.number.strip()[:100], insured_org_id=insured.id,
                          limit_amount=_amount(data.limit_amount, "limit_amount"), currency=data.currency.upper(),
                          starts_on=data.starts_on, ends_on=data.ends_on, products=list(data.products),
                          countries=[c.upper() for c in data.countries])
    session.add(row)
    session.flush()
    grants.grant(session, row, insured.id, "read")
    return row


def list_policies(session: Session) -> list[InsurancePolicy]:
    """An insurer's issued policies (any status); an enterprise's accepted policies only."""
    org_id = session.info.get("org_id")
    stmt = select(InsurancePolicy).order_by(InsurancePolicy.id)
    if _kind(session) != OrgKind.INSURER.value:
        stmt = stmt.where(InsurancePolicy.insured_org_id == org_id, InsurancePolicy.status == "accepted")
    return list(session.scalars(stmt))


def list_offers(session: Session) -> list[InsurancePolicy]:
    """Policies offered to the calling enterprise that wait for its decision."""
    return list(session.scalars(select(InsurancePolicy).where(
        InsurancePolicy.insured_org_id == session.info.get("org_id"), InsurancePolicy.status == "pending")
        .order_by(InsurancePolicy.id)))


def respond_to_policy(session: Session, policy_id: int, decision: str) -> InsurancePolicy:
    """The insured enterprise accepts or declines an offered policy (audited; the insurer is told).

    The row is the insurer's and the enterprise holds only a read grant, so the one change it may
    make — the answer to the offer — is written in a platform scope after these checks.
    """
    if decision not in POLICY_DECISIONS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(POLICY_DECISIONS)), field="decision")
    org_id = session.info.get("org_id")
    row = get_policy(session, policy_id)
    if row.insured_org_id != org_id:
        raise PermissionDenied(_("only the insured enterprise answers a policy offer"))
    if row.status != "pending":
        raise ValidationFailed(_("this policy was already answered (%(status)s)", status=row.status),
                               field="decision", record=row.number)
    org = session.get(Organisation, org_id)
    with platform_scope(session):
        row.status = POLICY_DECISIONS[decision]
        row.responded_at, row.responded_by_user_id = utcnow(), session.info.get("user_id")
        title = (_("Policy %(number)s was accepted by %(enterprise)s", number=row.number,
                   enterprise=org.name if org else "?") if row.status == "accepted" else
                 _("Policy %(number)s was declined by %(enterprise)s", number=row.number,
                   enterprise=org.name if org else "?"))
        session.add(Notification(organisation_id=row.organisation_id, kind="policy_answer", title=title,
                                 link="/disputes/insurance"))
        session.flush()
    audit.record(session, f"disputes.policy_{row.status}", "disputes_policies", row.id,
                 after={"status": row.status, "insurer_org_id": row.organisation_id}, organisation_id=org_id)
    return row


def get_policy(session: Session, policy_id: int) -> InsurancePolicy:
    row = session.scalar(select(InsurancePolicy).where(InsurancePolicy.id == policy_id))
    if row is None:
        raise NotFound(_("No such policy: %(id)s", id=policy_id))
    return row


def file_claim(session: Session, policy_id: int, *, costs_incurred: str, currency: str = "CNY",
               case_id: int | None = None, note: str = "") -> InsuranceClaim:
    """The insured enterprise claims costs of a case under its policy; the insurer is granted the claim."""
    policy = get_policy(session, policy_id)
    org_id = session.info.get("org_id")
    if policy.insured_org_id != org_id:
        raise PermissionDenied(_("only the insured enterprise can claim under this policy"))
    if policy.status != "accepted":
        raise ValidationFailed(_("accept the policy before claiming under it"), field="policy_id",
                               record=policy.number)
    if case_id is not None:
        case = get_case(session, case_id)
        if case.organisation_id != org_id:
            raise ValidationFailed(_("the case must be your own"), field="case_id")
        if policy.countries and case.country and case.country not in policy.countries:
            raise ValidationFailed(_("the policy does not cover %(country)s", country=case.country), field="case_id")
    row = InsuranceClaim(policy_id=policy.id, case_id=case_id, costs_incurred=_amount(costs_incurred,
                                                                                      "costs_incurred"),
                         currency=currency.upper()[:3], note=note.strip())
    session.add(row)
    session.flush()
    grants.grant(session, row, policy.organisation_id, "write")
    return row


def list_claims(session: Session) -> list[InsuranceClaim]:
    return list(session.scalars(select(InsuranceClaim).order_by(InsuranceClaim.id)))


def get_claim(session: Session, claim_id: int) -> InsuranceClaim:
    row = session.scalar(select(InsuranceClaim).where(InsuranceClaim.id == claim_id))
    if row is None:
        raise NotFound(_("No such claim: %(id)s", id=claim_id))
    return row


def decide_claim(session: Session, claim_id: int, status: str) -> InsuranceClaim:
    """The insurer moves a claim to accepted, paid or rejected (through its write grant)."""
    row = get_claim(session, claim_id)
    policy = session.scalar(select(InsurancePolicy).where(InsurancePolicy.id == row.policy_id))
    if policy is None or policy.organisation_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the insurer of the policy decides claims"))
    if status not in CLAIM_STATES[1:]:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(CLAIM_STATES[1:])), field="status")
    row.status = status
    return row


def policy_dict(row: InsurancePolicy) -> dict[str, Any]:
    return {"id": row.id, "number": row.number, "insurer_org_id": row.organisation_id,
            "insured_org_id": row.insured_org_id, "products": list(row.products or []),
            "countries": list(row.countries or []), "limit_amount": str(row.limit_amount), "currency": row.currency,
            "starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat(),
            "status": row.status or "pending",
            "responded_at": row.responded_at.isoformat() if row.responded_at else None}


def claim_dict(row: InsuranceClaim) -> dict[str, Any]:
    return {"id": row.id, "policy_id": row.policy_id, "case_id": row.case_id,
            "costs_incurred": str(row.costs_incurred), "currency": row.currency, "status": row.status,
            "note": row.note, "filed_at": row.filed_at.isoformat() if row.filed_at else None}
