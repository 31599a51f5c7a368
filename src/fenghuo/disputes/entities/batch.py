"""Link a batch of party names (an imported feed, a Schedule A list) against every registered
enterprise name and alias with splink 4 on DuckDB, keeping the pairwise matcher's decisions.

Why splink here and not only :func:`match_party`: the pairwise matcher scores one party against
one enterprise, so a feed of N parties against M registered names costs N×M scorings. splink
generates candidate pairs with blocking rules on cheap keys (romanized-brand prefixes and
suffixes, the normalized full name, registry identifiers, acronyms) inside DuckDB and scores
them with a Fellegi–Sunter model; only the candidates are then scored by :func:`match_party`,
which takes the decision and gives the reasons — so every batch match carries the same reasons
and the same decision as the pairwise path.

Why m/u probabilities are set by hand and not trained with EM: a batch is often a few dozen
names, far too few for expectation maximisation to converge (and EM on different batches would
give different models). The probabilities below encode what the pairwise matcher already knows —
a shared romanization of the brand or an identical normalized name is rare between unrelated
firms (low u) and usual for the same firm (high m); place and industry agree across many
unrelated firms (high u) — so the result is deterministic and needs no training data. The match
probability is only a candidate filter, set low enough that no pair the pairwise matcher would
send to a match or to review is dropped on the labelled pairs of ``bench/data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fenghuo.disputes.entities.matching import (
    EnterpriseIdentity,
    MatchReason,
    _industry_concepts,
    _latin,
    identifiers_in,
    match_party,
    normalize_alias,
)
from fenghuo.disputes.entities.names import NameParts, initials, split_name
from fenghuo.disputes.entities.romanize import spellings

RegistryEntry = EnterpriseIdentity
"""One registered enterprise: its names in any language, aliases and identifiers."""

CANDIDATE_PROBABILITY = 0.0002  # see the module docstring: a filter, not the decision
KEY_LENGTH = 3
PRIOR = 0.001  # probability that a party and a registered name picked at random are the same firm


@dataclass(frozen=True)
class BatchMatch:
    party_index: int
    party: str
    enterprise_id: int | str
    score: float
    decision: str  # "match" | "review"
    reasons: tuple[MatchReason, ...]
    probability: float  # splink's match probability of the best name pair (the candidate filter)


@dataclass
class BatchResult:
    matches: list[BatchMatch] = field(default_factory=list)
    all_pairs: int = 0  # parties × registered names: what comparing everything would cost
    compared: int = 0  # name pairs produced by the blocking rules and scored by splink
    candidates: int = 0  # (party, enterprise) pairs over the probability filter, scored by match_party


def _roman(parts: NameParts) -> list[str]:
    if parts.is_chinese:
        return [s for s in spellings(parts.brand) if s.isascii()] or [parts.brand]
    latin = _latin(parts.brand)
    return [latin] if latin else []


def _keys(romans: list[str], first_word: str) -> tuple[list[str], list[str]]:
    prefixes = {r[:KEY_LENGTH] for r in romans if len(r) >= 2}
    if len(first_word) >= 2:
        prefixes.add(first_word[:KEY_LENGTH])
    suffixes = {r[-KEY_LENGTH:] for r in romans if len(r) >= 2}
    return sorted(prefixes), sorted(suffixes)


def _features(name: str, *, context: str = "", acronym: str | None = None,
              codes: Sequence[str] = ()) -> dict[str, Any]:
    parts = split_name(name)
    romans = _roman(parts)
    first = _latin(parts.brand.split()[0]) if not parts.is_chinese and parts.brand.split() else ""
    prefixes, suffixes = _keys(romans, first)
    concepts = sorted(_industry_concepts(parts.industries))
    stripped = normalize_alias(" ".join((*parts.places, parts.brand, *parts.industries)))
    ids = sorted({c.upper() for c in codes if c} | identifiers_in(name + " " + context))
    return {
        "name": name,
        "brand_roman": romans or None,
        "brand_key": romans[0] if romans else None,
        "name_norm": stripped or None,
        "exact_key": normalize_alias(name) or None,
        "place": parts.places[0] if parts.places else None,
        "industry": concepts[0] if concepts else None,
        "ids": ids or None,
        "prefixes": prefixes or None,
        "suffixes": suffixes or None,
        "acronym": acronym,
    }


def _registry_acronym(alias: str) -> str | None:
    # The rule of matching._profile: an all-capital Latin alias of 2 to 6 letters.
    if alias.isascii() and alias.replace(" ", "").isalpha() and 2 <= len(alias) <= 6 \
            and alias.upper() == alias.replace(" ", "").upper():
        return alias.upper()
    return None


def _settings() -> Any:
    import splink.comparison_level_library as cll
    from splink import SettingsCreator, block_on
    from splink.comparison_library import CustomComparison

    def levels(*pairs: tuple[Any, float, float]) -> list[Any]:
        return [lvl.configure(m_probability=m, u_probability=u) for lvl, m, u in pairs]

    comparisons = [
        # The brand decides: a shared romanization (京东 / JINGDONG) is as good as equal.
        CustomComparison(output_column_name="brand", comparison_levels=[
            cll.NullLevel("brand_key"),
            *levels((cll.ArrayIntersectLevel("brand_roman", 1), 0.80, 0.0005),
                    (cll.JaroWinklerLevel("brand_key", 0.9), 0.12, 0.005),
                    (cll.JaroWinklerLevel("brand_key", 0.75), 0.04, 0.04),
                    # The English name may carry the brand's first syllables only (京东世纪 / Jingdong Century).
                    (cll.ArrayIntersectLevel("prefixes", 1), 0.03, 0.02),
                    (cll.ElseLevel(), 0.01, 0.9345)),
        ]),
        # The whole name without its legal form: equal names are strong, near names some support.
        CustomComparison(output_column_name="name_norm", comparison_levels=[
            cll.NullLevel("name_norm"),
            *levels((cll.ExactMatchLevel("name_norm"), 0.30, 0.0005),
                    (cll.JaroWinklerLevel("name_norm", 0.88), 0.20, 0.01),
                    (cll.ElseLevel(), 0.50, 0.9895)),
        ]),
        # The recorded name or alias written exactly.
        CustomComparison(output_column_name="exact_key", comparison_levels=[
            cll.NullLevel("exact_key"),
            *levels((cll.ExactMatchLevel("exact_key"), 0.40, 0.00001), (cll.ElseLevel(), 0.60, 0.99999)),
        ]),
        # Place and industry agree across many unrelated firms: weak support, weak contradiction.
        CustomComparison(output_column_name="place", comparison_levels=[
            cll.NullLevel("place"),
            *levels((cll.ExactMatchLevel("place"), 0.70, 0.15), (cll.ElseLevel(), 0.30, 0.85)),
        ]),
        CustomComparison(output_column_name="industry", comparison_levels=[
            cll.NullLevel("industry"),
            *levels((cll.ExactMatchLevel("industry"), 0.60, 0.20), (cll.ElseLevel(), 0.40, 0.80)),
        ]),
        # Initials of an English name against an acronym the enterprise recorded (CATL, XCMG).
        CustomComparison(output_column_name="acronym", comparison_levels=[
            cll.NullLevel("acronym"),
            *levels((cll.ExactMatchLevel("acronym"), 0.90, 0.0001), (cll.ElseLevel(), 0.10, 0.9999)),
        ]),
        # A USCC or LEI named in the event identifies the firm.
        CustomComparison(output_column_name="ids", comparison_levels=[
            cll.NullLevel("ids"),
            *levels((cll.ArrayIntersectLevel("ids", 1), 0.99, 0.000001), (cll.ElseLevel(), 0.01, 0.999999)),
        ]),
    ]
    blocking = [
        block_on("prefixes", arrays_to_explode=["prefixes"]),
        block_on("suffixes", arrays_to_explode=["suffixes"]),
        block_on("exact_key"),
        block_on("ids", arrays_to_explode=["ids"]),
        block_on("acronym"),
    ]
    return SettingsCreator(link_type="link_only", comparisons=list[Any](comparisons),
                           blocking_rules_to_generate_predictions=list[Any](blocking),
                           probability_two_random_records_match=PRIOR, retain_intermediate_calculation_columns=False,
                           retain_matching_columns=False, additional_columns_to_retain=["owner"])


def link(parties: Sequence[str], registry: Sequence[RegistryEntry], *, contexts: Sequence[str] | None = None,
         threshold: float = CANDIDATE_PROBABILITY, limit: int = 5) -> BatchResult:
    """Candidates by splink, decisions and reasons by :func:`match_party`; counts for the record."""
    import pandas as pd
    from splink import DuckDBAPI, Linker

    contexts = list(contexts) if contexts is not None else [""] * len(parties)
    left = [{"unique_id": f"p{i}", "owner": i, **_features(p, context=contexts[i],
                                                            acronym=None if split_name(p).is_chinese else initials(p))}
            for i, p in enumerate(parties) if p.strip()]
    right = []
    for j, ident in enumerate(registry):
        codes = [c for c in (ident.uscc, ident.lei) if c]
        for k, name in enumerate(dict.fromkeys((*ident.names, *ident.aliases))):
            if name.strip():
                right.append({"unique_id": f"r{j}_{k}", "owner": j,
                              **_features(name, codes=codes, acronym=_registry_acronym(name)
                                          if name in ident.aliases else None)})
    result = BatchResult(all_pairs=len(left) * len(right))
    if not left or not right:
        return result
    frames = [pd.DataFrame(left), pd.DataFrame(right)]
    linker = Linker(frames, _settings(), db_api=DuckDBAPI(), input_table_aliases=["parties", "registry"])
    scored = linker.inference.predict().as_pandas_dataframe()
    result.compared = len(scored)
    best: dict[tuple[int, int], float] = {}
    for row in scored.itertuples(index=False):
        pair = (int(row.owner_l), int(row.owner_r))
        p = float(row.match_probability)
        if p >= threshold and p > best.get(pair, -1.0):
            best[pair] = p
    result.candidates = len(best)
    per_party: dict[int, list[tuple[int, BatchMatch]]] = {}
    for (i, j), p in best.items():
        m = match_party(parties[i], registry[j], context=contexts[i])
        if m.decision != "none":
            per_party.setdefault(i, []).append(
                (j, BatchMatch(i, parties[i], m.enterprise_id, m.score, m.decision, m.reasons, round(p, 4))))
    for i in sorted(per_party):  # the order of best_matches: score, then registry order
        result.matches += [b for _j, b in sorted(per_party[i], key=lambda jb: (-jb[1].score, jb[0]))[:limit]]
    return result


def link_batch(parties: Sequence[str], registry: Sequence[RegistryEntry], *,
               contexts: Sequence[str] | None = None) -> list[BatchMatch]:
    """The enterprises each party may be (at most five per party, best first), match or review."""
    return link(parties, registry, contexts=contexts).matches
