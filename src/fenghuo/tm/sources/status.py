"""Office status wording → normalized :class:`MarkStatus` (the office's own text is kept beside it)."""

from __future__ import annotations

from fenghuo.tm.records import MarkStatus

_PENDING = ("filed", "application filed", "published", "application published", "opposed", "application opposed",
            "under examination", "application under examination", "examined", "pending", "accepted", "depositado",
            "appeal pending", "registration pending", "opposition pending", "in opposition", "new application",
            "awaiting examination", "formalities", "publication", "allowed", "notice of allowance")
_REGISTERED = ("registered", "active", "registration cancellation pending", "renewed", "registrado", "protected",
               "live", "in force", "granted", "registered and renewed")
_ENDED = ("refused", "application refused", "withdrawn", "application withdrawn", "rejected", "cancelled",
          "canceled", "surrendered", "invalidated", "revoked", "abandoned", "deleted", "dead", "ceased", "opposed "
          "successfully", "removed", "lapsed", "ended", "closed", "arquivado", "indeferido", "extinto")
_EXPIRED = ("expired", "not renewed", "registration expired", "expirado")


def normalize_status(office_status: str | None) -> MarkStatus:
    if not office_status:
        return MarkStatus.UNKNOWN
    s = " ".join(office_status.lower().replace("_", " ").split())
    for words, status in ((_EXPIRED, MarkStatus.EXPIRED), (_ENDED, MarkStatus.ENDED),
                          (_REGISTERED, MarkStatus.REGISTERED), (_PENDING, MarkStatus.PENDING)):
        if s in words:
            return status
    for words, status in ((_EXPIRED, MarkStatus.EXPIRED), (_ENDED, MarkStatus.ENDED),
                          (_REGISTERED, MarkStatus.REGISTERED), (_PENDING, MarkStatus.PENDING)):
        if any(w in s for w in words if len(w) > 5):
            return status
    return MarkStatus.UNKNOWN
