"""What a watch alert tells the user to do, and by when: the opposition deadline of the office
that published the conflicting mark, and the next remedies once it has passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fenghuo.core.i18n import _, message_json, render_json
from fenghuo.deadlines.engine import DeadlineResult, compute

#: Office → (rule id, counted from publication or registration, extension note).
OPPOSITION_RULES: dict[str, tuple[str, str]] = {
    "EM": ("R-EM-TMOPP", "publication"),
    "US": ("R-US-TMOPP", "publication"),
    "CN": ("R-CN-TMOPP", "publication"),
    "GB": ("R-GB-TMOPP", "publication"),
    "KR": ("R-KR-TMOPP", "publication"),
    "JP": ("R-JP-TMOPP", "registration"),
    "DE": ("R-DE-TMOPP", "registration"),
}


@dataclass
class RemedyPlan:
    """The first remedy with its deadline (or None when the window is unknown) and the ones after."""

    office: str
    remedy: str
    deadline: date | None
    counted_from: str
    result: DeadlineResult | None
    extendable: str | None = None
    next_remedies: list[str] = field(default_factory=list)
    generic: bool = False

    def summary(self) -> str:
        parts = [self.remedy]
        if self.extendable:
            parts.append(self.extendable)
        parts.extend(self.next_remedies)
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "office": self.office, "remedy": self.remedy,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "counted_from": self.counted_from, "extendable": self.extendable, "next": self.next_remedies,
            "generic": self.generic, "rule": self.result.rule.rule_id if self.result else None,
            "trace": [{**t.to_dict(), "i18n": message_json(t.note)} for t in self.result.trace] if self.result else [],
            "provisional": self.result.provisional if self.result else False,
            "i18n": {"remedy": message_json(self.remedy), "extendable": message_json(self.extendable),
                     "next": [message_json(n) for n in self.next_remedies]},
        }


def localized_summary(detail: dict[str, object] | None, fallback: str = "") -> str:
    """A stored plan's summary (``RemedyPlan.to_dict``) in the current locale."""
    if not detail or not isinstance(detail.get("i18n"), dict):
        return fallback
    i18n: dict[str, object] = detail["i18n"]  # type: ignore[assignment]
    parts = [render_json(i18n.get("remedy"), str(detail.get("remedy") or ""))]
    if detail.get("extendable"):
        parts.append(render_json(i18n.get("extendable"), str(detail["extendable"])))
    stored_next = list(detail.get("next") or [])  # type: ignore[call-overload]
    for data, text in zip(i18n.get("next") or [], stored_next, strict=False):  # type: ignore[call-overload]
        parts.append(render_json(data, str(text)))
    return "; ".join(p for p in parts if p) or fallback


def localized_next_remedies(detail: dict[str, object] | None) -> list[str]:
    """What remains once the window has closed (a stored plan's ``next``), in the current locale."""
    if not detail:
        return []
    stored = [str(t) for t in (detail.get("next") or [])]  # type: ignore[attr-defined]
    data = (detail.get("i18n") or {}).get("next") or []  # type: ignore[attr-defined]
    return [render_json(d, t) for d, t in zip(list(data) + [None] * len(stored), stored, strict=False)]


def _next_remedies(office: str) -> list[str]:
    if office == "EM":
        return [_("after it: invalidity for bad faith at EUIPO (no time limit)"),
                _("non-use revocation once the mark is registered for 5 years")]
    if office == "CN":
        return [_("after it: invalidation within 5 years of registration (no limit for bad faith against a "
                  "well-known mark)"), _("non-use cancellation after 3 years")]
    if office == "US":
        return [_("after it: cancellation petition (5 years for most grounds; fraud at any time)"),
                _("abandonment (non-use) after 3 years")]
    return [_("after it: invalidity or cancellation for bad faith (usually 5 years from registration)"),
            _("non-use cancellation after 5 years from registration")]


def opposition_deadline(
    office: str, publication_date: date | None, registration_date: date | None, *, today: date | None = None
) -> RemedyPlan | None:
    """The opposition deadline for a mark of ``office``, or None when no date is known to count from."""
    office = office.upper()
    if office == "WO":
        return RemedyPlan(office, _("ask each designated office to refuse protection (12 or 18 months from the "
                                    "notification of the designation; see fenghuo deadline R-MAD-REFUSAL)"),
                          None, "designation", None, next_remedies=_next_remedies(office))
    rule = OPPOSITION_RULES.get(office)
    if rule is None:
        start = publication_date or registration_date
        return RemedyPlan(
            office, _("file an opposition or objection at %(office)s: check that office's period (generic advice, "
                      "no rule for this office yet)", office=office),
            None, "publication" if publication_date else "registration", None,
            next_remedies=_next_remedies(office), generic=True,
        ) if start else None
    rule_id, counted_from = rule
    start = publication_date if counted_from == "publication" else registration_date
    if start is None:
        return None
    result = compute(rule_id, start, office, today=today)
    extendable = {"US": _("extendable up to 180 days from publication on request"),
                  "GB": _("extendable to 3 months by filing a notice of threatened opposition")}.get(office)
    return RemedyPlan(office, _("file an opposition at %(office)s by %(day)s", office=office,
                                day=result.due.isoformat()),
                      result.due if isinstance(result.due, date) else None, counted_from, result, extendable,
                      _next_remedies(office))
