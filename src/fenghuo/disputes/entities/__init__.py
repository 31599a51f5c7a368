"""Cross-language matching of parties named in dispute events to registered enterprises."""

from fenghuo.disputes.entities.matching import (
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    EnterpriseIdentity,
    EntityMatch,
    MatchReason,
    best_matches,
    identifiers_in,
    match_party,
)
from fenghuo.disputes.entities.names import NameParts, split_name

__all__ = [
    "MATCH_THRESHOLD",
    "REVIEW_THRESHOLD",
    "EnterpriseIdentity",
    "EntityMatch",
    "MatchReason",
    "NameParts",
    "best_matches",
    "identifiers_in",
    "match_party",
    "split_name",
]
