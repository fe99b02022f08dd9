"""Near-duplicate clustering, c-TF-IDF terms and emerging clusters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from garrison.domain.clusters import (
    Item,
    components,
    emerging,
    near_duplicate_pairs,
    shingles,
    summarise,
    top_terms,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SCAM = "Free {n} USD crypto giveaway for developers, verify your wallet at claim.example now"


def test_numbers_are_folded_so_variants_share_shingles() -> None:
    assert shingles("won 100 credits") == shingles("won 250 credits")


def test_near_duplicates_pair_up_and_unrelated_texts_do_not() -> None:
    texts = [SCAM.format(n=n) for n in (10, 20, 30)] + ["how do I bake sourdough bread at home"]
    pairs = near_duplicate_pairs(texts)
    assert components(len(texts), pairs) == [[0, 1, 2]]


def test_top_terms_are_what_sets_a_group_apart() -> None:
    terms = top_terms([["crypto giveaway wallet", "crypto giveaway now"], ["bread recipe oven"]])
    assert terms[0][:2] == ("crypto", "giveaway")
    assert "bread" in terms[1]


def test_a_growing_unmatched_cluster_is_emerging_with_its_accounts() -> None:
    items = [
        Item(f"e{i}", T0 + timedelta(minutes=50 + i), SCAM.format(n=i), f"acct_{i % 2}")
        for i in range(8)
    ]
    items += [
        Item("old1", T0, "hello there friend", "a"),
        Item("old2", T0, "hello there friend", "b"),
    ]
    groups = components(len(items), near_duplicate_pairs([i.text for i in items]))
    clusters = summarise(items, groups, T0 + timedelta(minutes=30))
    scam = next(c for c in clusters if c.size == 8)
    assert scam.recent == 8 and scam.growth == 9.0 and scam.unmatched
    assert dict(scam.accounts) == {"acct_0": 4, "acct_1": 4}
    assert "giveaway" in scam.top_terms
    assert [c.id for c in emerging(clusters, min_size=5, min_growth=2)] == [scam.id]
    caught = [replace(i, rules=("scam_rule",)) for i in items[:8]]
    matched = summarise(caught, [list(range(8))], T0)
    assert matched[0].rule_share == 1.0 and matched[0].rules == ("scam_rule",)
    assert emerging(matched, min_size=5, min_growth=2) == []
