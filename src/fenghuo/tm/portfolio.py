"""An enterprise's watched marks: create, import, edit variants — always within its organisation.

Variants are expanded when a mark is created or its text changes, and stored on the row so the
user sees exactly what is watched and can switch variants off or add their own; a run uses the
stored list, never a silent re-expansion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import limits
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.tm.models import WatchedMark
from fenghuo.tm.records import PortfolioMark
from fenghuo.tm.variants import VARIANT_KINDS, Variant, expand

MAX_VARIANTS = 60


def _expanded(mark: str, aliases: Sequence[str]) -> list[dict[str, Any]]:
    # A generated variant longer than a user may type is of no use to matching; leaving it out
    # keeps every stored list one the user can save back unchanged.
    return [v.to_dict() for v in expand(mark, aliases) if len(v.text) <= limits.VARIANT_CHARS]


def to_portfolio_mark(row: WatchedMark) -> PortfolioMark:
    return PortfolioMark(row.mark_id, row.mark, tuple(row.classes or ()), row.owner or "",
                         tuple(row.jurisdictions or ()), tuple(row.aliases or ()), row.organisation_id)


def variants_of(row: WatchedMark) -> list[Variant]:
    return [Variant.from_dict(v) for v in row.variants or []]


def length_problem(mark_id: str, mark: str, owner: str, aliases: Sequence[str]) -> tuple[str, str] | None:
    """(field, message) for the first text longer than its column, else None.

    One rule for the API, the page form and the CSV import: a mark of 201–500 characters used
    to pass one and fail another (then break the list of marks for good).
    """
    for field, value, cap in (("mark_id", mark_id, limits.MARK_ID_CHARS), ("mark", mark, limits.MARK_CHARS),
                              ("owner", owner, limits.NAME_CHARS)):
        if len(value) > cap:
            return field, _("at most %(n)s characters", n=cap)
    if len(aliases) > limits.ALIASES_MAX:
        return "aliases", _("at most %(n)s aliases", n=limits.ALIASES_MAX)
    if any(len(a) > limits.ALIAS_CHARS for a in aliases):
        return "aliases", _("at most %(n)s characters", n=limits.ALIAS_CHARS)
    return None


def _validate(mark_id: str, mark: str, classes: Sequence[int], jurisdictions: Sequence[str], owner: str = "",
              aliases: Sequence[str] = ()) -> None:
    if not mark_id.strip():
        raise ValidationFailed(_("missing"), field="mark_id", record=mark_id or "?")
    problem = length_problem(mark_id, mark, owner, aliases)
    if problem is not None:
        raise ValidationFailed(problem[1], field=problem[0], record=mark_id[:40])
    if not mark.strip():
        raise ValidationFailed(_("missing"), field="mark", record=mark_id)
    bad = [c for c in classes if not 1 <= int(c) <= 45]
    if bad:
        raise ValidationFailed(_("Nice class out of range 1-45: %(value)s", value=bad[0]), field="classes",
                               record=mark_id)
    codes = [j for j in jurisdictions if not (len(j) == 2 and j.isalpha())]
    if codes:
        raise ValidationFailed(_("not ST.3 codes: %(codes)s", codes=", ".join(codes)), field="jurisdictions",
                               record=mark_id)


def upsert_mark(session: Session, org_id: int, mark: PortfolioMark) -> tuple[WatchedMark, bool]:
    """Create or update one watched mark by its ``mark_id``; returns (row, created)."""
    _validate(mark.mark_id, mark.mark, mark.classes, mark.jurisdictions, mark.owner, mark.aliases)
    row = session.scalar(select(WatchedMark).where(WatchedMark.organisation_id == org_id,
                                                   WatchedMark.mark_id == mark.mark_id))
    created = row is None
    if row is None:
        row = WatchedMark(organisation_id=org_id, mark_id=mark.mark_id, mark=mark.mark)
        session.add(row)
    text_changed = created or row.mark != mark.mark or list(row.aliases or []) != list(mark.aliases)
    row.mark = mark.mark
    row.classes = sorted(set(mark.classes))
    row.owner = mark.owner
    row.jurisdictions = sorted({j.upper() for j in mark.jurisdictions})
    row.aliases = list(mark.aliases)
    row.active = True
    if text_changed:
        row.variants = _expanded(mark.mark, mark.aliases)
        row.variants_edited = False
    session.flush()
    return row, created


def import_marks(session: Session, org_id: int, marks: Iterable[PortfolioMark]) -> tuple[int, int]:
    created = updated = 0
    for mark in marks:
        _row, is_new = upsert_mark(session, org_id, mark)
        created += is_new
        updated += not is_new
    return created, updated


def list_marks(session: Session, *, active_only: bool = True) -> list[WatchedMark]:
    """The caller's organisation's marks (tenancy filters the query)."""
    query = select(WatchedMark).order_by(WatchedMark.mark_id)
    if active_only:
        query = query.where(WatchedMark.active.is_(True))
    return list(session.scalars(query))


def get_mark(session: Session, mark_pk: int) -> WatchedMark:
    row = session.get(WatchedMark, mark_pk)
    if row is None or (session.info.get("org_id") is not None and row.organisation_id != session.info["org_id"]
                       and not session.info.get("platform_admin")):
        raise NotFound(_("No such watched mark: %(id)s", id=mark_pk))
    return row


def set_variants(session: Session, row: WatchedMark, variants: Sequence[dict[str, Any]]) -> WatchedMark:
    """Replace the variants with the user's edited list (text, kind, note, enabled)."""
    if len(variants) > MAX_VARIANTS:
        raise ValidationFailed(_("at most %(n)s variants", n=MAX_VARIANTS), field="variants", record=row.mark_id)
    cleaned: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for i, data in enumerate(variants):
        text = str(data.get("text", "")).strip()
        if not text:
            raise ValidationFailed(_("variant %(n)s has no text", n=i + 1), field="variants", record=row.mark_id)
        if len(text) > limits.VARIANT_CHARS or len(str(data.get("note") or "")) > limits.VARIANT_NOTE_CHARS:
            raise ValidationFailed(_("variant %(n)s: at most %(chars)s characters", n=i + 1,
                                     chars=limits.VARIANT_CHARS), field="variants", record=row.mark_id)
        kind = str(data.get("kind") or "user")
        if kind not in VARIANT_KINDS:
            raise ValidationFailed(_("unknown variant kind %(kind)s", kind=kind), field="variants",
                                   record=row.mark_id)
        if (text, kind) in seen:
            continue
        seen.add((text, kind))
        cleaned.append(Variant(text, kind, str(data.get("note") or ""), bool(data.get("enabled", True))).to_dict())
    row.variants = cleaned
    row.variants_edited = True
    session.flush()
    return row


def reset_variants(session: Session, row: WatchedMark) -> WatchedMark:
    row.variants = _expanded(row.mark, row.aliases or [])
    row.variants_edited = False
    session.flush()
    return row


def deactivate(session: Session, row: WatchedMark) -> None:
    row.active = False
    session.flush()
