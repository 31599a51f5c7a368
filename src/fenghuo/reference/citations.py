"""Where a fact comes from, as a person may read it: the official source's name, its as-of date and
whether the row is confirmed — never the file it was derived from or a scraped web page.

Why derived, not typed per row: the reference CSVs (``reference/data``, ``filing/data``,
``deadlines/data``) keep the research trail in their ``source``/``confirmed``/``as_of`` columns
(file names, mirror URLs, notes) because it is what a maintainer re-checks. :func:`cite` turns
that trail into the citation shown on pages: the official publication it points to (WIPO's PCT
Applicant's Guide, a WIPO treaty status list, the Madrid fee schedule, CNIPA's PPH list…), in
English and Chinese. A trail that names no official source becomes "secondary sources", marked
unconfirmed, so a page never presents it as settled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fenghuo.core import i18n
from fenghuo.core.formatting import fmt_date
from fenghuo.core.i18n import N_

CONFIRMED, PARTIAL, UNCONFIRMED = "confirmed", "partial", "unconfirmed"

_UNIONS = {  # WIPO status-list names → (English, Chinese)
    "madrid": ("Madrid Union", "马德里联盟"),
    "hague": ("Hague Union", "海牙联盟"),
    "paris": ("Paris Union", "巴黎联盟"),
    "pct": ("PCT Union", "专利合作条约联盟"),
}


@dataclass(frozen=True)
class Citation:
    """An official source in both languages, its as-of date, and how far the row is confirmed."""

    title_en: str
    title_zh: str
    as_of: date | None
    as_of_text: str  # "2024" or "2025-01" when the source gives no day
    status: str  # confirmed | partial | unconfirmed
    official: bool = True

    def title(self, locale: str | None = None) -> str:
        loc = i18n.normalize_locale(locale) if locale else i18n.get_locale()
        return self.title_zh if loc == "zh_CN" else self.title_en

    @property
    def is_confirmed(self) -> bool:
        return self.status == CONFIRMED

    def as_of_display(self, locale: str | None = None) -> str:
        return fmt_date(self.as_of, locale) if self.as_of else self.as_of_text

    def text(self, locale: str | None = None) -> str:
        """One line: "WIPO PCT Applicant's Guide, national chapter US · as of 15 Sept 2023 · confirmed"."""
        loc = i18n.normalize_locale(locale) if locale else i18n.get_locale()
        tr = i18n.translations(loc).gettext
        parts = [self.title(loc)]
        when = self.as_of_display(loc)
        if when:
            parts.append(str(tr("as of %(day)s")) % {"day": when})
        parts.append(str(tr(_STATUS_MSGIDS[self.status])))
        return " · ".join(parts)

    def to_dict(self, locale: str | None = None) -> dict[str, object]:
        return {"title": self.title(locale), "title_en": self.title_en, "title_zh": self.title_zh,
                "as_of": self.as_of.isoformat() if self.as_of else (self.as_of_text or None),
                "status": self.status, "official": self.official}


_STATUS_MSGIDS = {CONFIRMED: N_("confirmed"), PARTIAL: N_("partly confirmed"), UNCONFIRMED: N_("not confirmed")}


def _status(confirmed: str, official: bool) -> str:
    value = confirmed.strip().lower()
    if value in ("yes", "true") or value.startswith("yes (as of"):
        status = CONFIRMED
    elif value.startswith("yes") or value.startswith("partial"):
        status = PARTIAL
    else:
        status = UNCONFIRMED
    if not official and status == CONFIRMED:
        return PARTIAL  # confirmed against secondary copies only
    return status


def _as_of(value: str) -> tuple[date | None, str]:
    raw = value.strip()
    match = re.match(r"(\d{4}-\d{2}-\d{2})", raw)
    if match:
        try:
            return date.fromisoformat(match.group(1)), match.group(1)
        except ValueError:
            pass
    match = re.match(r"(\d{4}(?:-\d{2})?)", raw)
    return None, match.group(1) if match else ""


_SECONDARY = re.compile(r"\b(?:[a-z0-9-]+\.)+(?:com|net|org|de|cn|kr|io|co|uk|jp|in)\b")
_WEB = re.compile(r"(?:https?://)?\b(?:[a-z0-9-]+\.)+(?:com|net|org|de|cn|kr|io|co|uk|jp|in|int|gov)\b\S*", re.I)
_FILE = re.compile(r"\b[\w./-]+\.(?:csv|md|json|xml|html?)\b")


def _title(source: str, confirmed: str, fallback: tuple[str, str] | None = None) -> tuple[str, str, bool]:
    """(English title, Chinese title, official?) for a raw ``source`` trail."""
    s = source.strip()
    low = s.lower()
    m = re.search(r"PCT Applicant's Guide(?: national chapter ([A-Z]{2})| ([A-Z]{2}) national chapter)", s)
    if m:
        code = m.group(1) or m.group(2)
        return (f"WIPO PCT Applicant's Guide, national chapter ({code})",
                f"WIPO《PCT申请人指南》国家阶段（{code}）", True)
    m = re.search(r"PCT Applicant's Guide Annex ([A-Z])\s*\(([A-Z]{2})\)", s)
    if m:
        return (f"WIPO PCT Applicant's Guide, Annex {m.group(1)} ({m.group(2)})",
                f"WIPO《PCT申请人指南》附件{m.group(1)}（{m.group(2)}）", True)
    m = re.search(r"WIPO treaty status list '([^']+)'", s)
    if m:
        name = m.group(1)
        union = next((v for k, v in _UNIONS.items() if k in name.lower()), (name, name))
        return f"WIPO treaty status list: {union[0]}", f"WIPO条约缔约方状态表：{union[1]}", True
    if "hague" in low and "fee" in low:
        official = "wipo.int" in low
        return "WIPO Hague System schedule of fees", "WIPO海牙体系规费表", official
    if low.startswith(("pct_national_phase_time_limits", "madrid_members")):
        return ("WIPO PCT Applicant's Guide; WIPO list of Madrid Union members",
                "WIPO《PCT申请人指南》；WIPO马德里联盟成员名单", True)
    if "wto" in low or "count sourced" in low or "wikipedia" in confirmed.lower():
        return "WTO list of members and observers", "世界贸易组织成员名单", True
    if "schedule of fees" in low or "wipo.int/madrid" in low:
        official = "wipo.int/madrid" in low and "setindiabiz" not in low
        return "WIPO Madrid System schedule of fees", "WIPO马德里体系规费表", official
    if fallback is not None and (not s or _SECONDARY.search(low) or "pph" in low):
        official = bool(re.search(r"kipo\.go\.kr|cnipa\.gov\.cn|wipo\.int", low))
        return fallback[0], fallback[1], official
    if "paris" in low and "wipo" in low:
        return "WIPO treaty status list: Paris Union", "WIPO条约缔约方状态表：巴黎联盟", True
    if not s or s.lower().startswith(("no ", "no-", "unconfirmed")):
        if fallback is not None:
            return fallback[0], fallback[1], False
        return "Not verified against an official source", "尚未与官方来源核对", False
    # Legal citations ("Paris Convention Art 4C(1)"; "PCT Rule 80.1") are shown as written, without
    # the file names and web addresses of the research trail.
    cleaned = _WEB.sub("", _FILE.sub("", s))
    cleaned = re.sub(r"\s*[;,]\s*(?=[;,]|$)", "", cleaned).strip(" ;,")
    if not cleaned or _SECONDARY.search(low):
        if fallback is not None:
            return fallback[0], fallback[1], False
        return "Secondary sources", "二手资料", False
    return cleaned, cleaned, True


def cite(source: str, confirmed: str = "", as_of: str = "", previous: Citation | None = None,
         fallback: tuple[str, str] | None = None) -> Citation:
    """The citation of one data row. ``previous`` resolves rows whose source says "same"; ``fallback``
    (English, Chinese) names the official publication a table's secondary sources stand in for."""
    if source.strip().lower() in ("same", "ditto", "idem") and previous is not None:
        day, text = _as_of(as_of)
        return Citation(previous.title_en, previous.title_zh, day or previous.as_of, text or previous.as_of_text,
                        _status(confirmed, previous.official), previous.official)
    title_en, title_zh, official = _title(source, confirmed, fallback)
    day, text = _as_of(as_of)
    return Citation(title_en, title_zh, day, text, _status(confirmed, official), official)


#: The official publications a table's secondary or missing sources stand in for.
FALLBACKS: dict[str, tuple[str, str]] = {
    "paris": ("WIPO treaty status list: Paris Union", "WIPO条约缔约方状态表：巴黎联盟"),
    "pct": ("WIPO treaty status list: PCT Union", "WIPO条约缔约方状态表：专利合作条约联盟"),
    "madrid": ("WIPO treaty status list: Madrid Union", "WIPO条约缔约方状态表：马德里联盟"),
    "hague": ("WIPO treaty status list: Hague Union", "WIPO条约缔约方状态表：海牙联盟"),
    "wto": ("WTO list of members and observers", "世界贸易组织成员名单"),
    "pph": ("CNIPA Patent Prosecution Highway programme list", "国家知识产权局专利审查高速路（PPH）合作名单"),
}

_BASIS = re.compile(r"^(?P<source>.*?)\s*\[(?P<as_of>[^\]]*)\](?:\s*\((?:unconfirmed|未确认)[:：]\s*(?P<c>.*)\))?\s*$",
                    re.S)


def from_basis(basis: str | None, route: str = "") -> Citation | None:
    """The citation of a stored "basis" text ("<source> [<as of>] (unconfirmed: <c>)") of a filing plan."""
    if not basis or not basis.strip():
        return None
    found = _BASIS.match(basis.strip())
    fallback = FALLBACKS.get(route) or FALLBACKS.get({"pct_np": "pct", "pct_intl": "pct"}.get(route, ""))
    if found is None:
        return cite(basis, "", "", fallback=fallback)
    confirmed = found.group("c") if found.group("c") is not None else "yes"
    return cite(found.group("source"), confirmed, found.group("as_of"), fallback=fallback)
