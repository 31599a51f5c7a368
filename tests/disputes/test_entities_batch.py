"""Batch linking (splink on DuckDB) against the pairwise matcher on the labelled pairs of bench/data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fenghuo.disputes.entities.batch import link, link_batch
from fenghuo.disputes.entities.matching import EnterpriseIdentity, best_matches, match_party

DATA = Path(__file__).resolve().parents[2] / "bench" / "data" / "company_name_pairs.csv"


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _registry(pairs: list[dict[str, str]]) -> list[EnterpriseIdentity]:
    return [EnterpriseIdentity(i, (p["chinese_name"],), tuple(a for a in [p["alias"]] if a))
            for i, p in enumerate(pairs)]


def test_batch_decisions_equal_pairwise_on_labelled_pairs(labelled: list[dict[str, str]]) -> None:
    registry = _registry(labelled)
    parties = [p["english_name"] for p in labelled]
    result = link(parties, registry)
    found = {(b.party_index, b.enterprise_id): b for b in result.matches}
    positives = 0
    for i, p in enumerate(labelled):
        pairwise = match_party(p["english_name"], registry[i])
        batch = found.get((i, i))
        if pairwise.decision != "none":
            assert batch is not None, p
            assert (batch.decision, batch.score, batch.reasons) == (pairwise.decision, pairwise.score,
                                                                    pairwise.reasons)
            positives += pairwise.decision == "match" and p["label"] == "1"
    assert positives >= 60  # the pairwise path finds 70 of the 71 same-company pairs
    # Blocking compares a small fraction of all name pairs, and match_party scores fewer still.
    assert result.all_pairs > 25_000
    assert result.compared < result.all_pairs // 20
    assert result.candidates <= result.compared


def test_every_batch_match_is_a_pairwise_match(labelled: list[dict[str, str]]) -> None:
    registry = _registry(labelled)
    parties = [p["english_name"] for p in labelled][:40]
    for b in link_batch(parties, registry):
        pairwise = match_party(parties[b.party_index], registry[int(b.enterprise_id)])
        assert (b.decision, b.score) == (pairwise.decision, pairwise.score)
        assert b.reasons


def test_batch_identifier_and_alias_paths() -> None:
    registry = [
        EnterpriseIdentity(1, ("宁波乐歌人体工学科技股份有限公司",), ("Loctek",), uscc="91330200724051228Y"),
        EnterpriseIdentity(2, ("深圳市大疆创新科技有限公司",), ("DJI",)),
        EnterpriseIdentity(3, ("宁德时代新能源科技股份有限公司",), ("CATL",)),
    ]
    parties = ["Some Shell Co.", "DJI", "Contemporary Amperex Technology Co., Limited", "Unrelated Widgets LLC"]
    contexts = ["registered as 91330200724051228Y", "", "", ""]
    got = {(b.party_index, b.enterprise_id): b for b in link_batch(parties, registry, contexts=contexts)}
    for i, party in enumerate(parties):
        expected = {(i, m.enterprise_id): m for m in best_matches(party, registry, context=contexts[i])}
        assert {k: (v.decision, v.score) for k, v in got.items() if k[0] == i} == \
            {k: (v.decision, v.score) for k, v in expected.items()}
    assert got[(0, 1)].reasons[0].signal == "identifier"
    assert got[(2, 3)].reasons[0].signal == "acronym"
    assert (3, 1) not in got


def test_empty_batch() -> None:
    assert link_batch([], []) == []
    assert link([" "], [EnterpriseIdentity(1, ("华为技术有限公司",))]).compared == 0
