"""Agreement statistics against published worked examples."""

from __future__ import annotations

import pytest

from garrison.domain.agreement import (
    cohen_kappa,
    counts_of,
    fleiss_kappa,
    krippendorff_alpha,
    krippendorff_alpha_matrix,
    percent_agreement,
)

# Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories; kappa = 0.210.
FLEISS_TABLE = [
    (0, 0, 0, 0, 14),
    (0, 2, 6, 4, 2),
    (0, 0, 3, 5, 6),
    (0, 3, 9, 2, 0),
    (2, 2, 8, 1, 1),
    (7, 7, 0, 0, 0),
    (3, 2, 6, 3, 0),
    (2, 5, 3, 2, 2),
    (6, 5, 2, 1, 0),
    (0, 2, 2, 3, 7),
]

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: 4 observers,
# 12 units, missing values; nominal alpha = 0.743.
K = None
KRIPPENDORFF_TABLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, K, K, K],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, K, 3],
    [K, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, K],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, K],
]


def test_cohen_kappa_matches_the_textbook_two_by_two() -> None:
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po 0.7, pe 0.5, kappa 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    result = cohen_kappa(pairs)
    assert result.observed == pytest.approx(0.7)
    assert result.expected == pytest.approx(0.5)
    assert result.value == pytest.approx(0.4)
    assert result.items == 50


def test_cohen_kappa_is_undefined_without_variation_and_zero_for_chance() -> None:
    assert cohen_kappa([("a", "a")] * 5).value is None
    assert cohen_kappa([]).value is None
    chance = [("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]
    assert cohen_kappa(chance).value == pytest.approx(0.0)


def test_fleiss_kappa_matches_fleiss_1971() -> None:
    items = [dict(enumerate(row)) for row in FLEISS_TABLE]
    result = fleiss_kappa(items)
    assert result.observed == pytest.approx(0.378, abs=5e-4)
    assert result.expected == pytest.approx(0.213, abs=5e-4)
    assert result.value == pytest.approx(0.210, abs=5e-4)
    assert result.items == 10 and result.ratings == 140


def test_fleiss_kappa_of_two_raters_is_scotts_pi() -> None:
    # With two raters Fleiss' kappa is Scott's pi; perfect agreement gives 1.
    assert fleiss_kappa([{"a": 2}, {"b": 2}, {"a": 2}]).value == pytest.approx(1.0)
    result = fleiss_kappa([{"a": 1, "b": 1}, {"a": 2}, {"b": 2}, {"a": 1, "b": 1}])
    # po = 0.5, pe = 0.5 -> 0.
    assert result.value == pytest.approx(0.0)


def test_fleiss_kappa_skips_items_with_one_rating() -> None:
    assert fleiss_kappa([{"a": 1}, {"b": 1}]).value is None
    with pytest.raises(ValueError, match="negative"):
        fleiss_kappa([{"a": 3, "b": -1}])


def test_krippendorff_alpha_matches_the_worked_example_with_missing_values() -> None:
    result = krippendorff_alpha_matrix(KRIPPENDORFF_TABLE)
    assert result.value == pytest.approx(0.743, abs=5e-4)
    assert result.items == 11  # unit 12 has one value: not pairable
    assert result.ratings == 40


def test_krippendorff_alpha_binary_example() -> None:
    # Krippendorff (2011) section A: two observers, ten units, binary; alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha_matrix([a, b]).value == pytest.approx(0.095, abs=5e-4)


def test_alpha_from_counts_equals_alpha_from_matrix() -> None:
    units = [counts_of(row[u] for row in KRIPPENDORFF_TABLE) for u in range(12)]
    assert krippendorff_alpha(units).value == krippendorff_alpha_matrix(KRIPPENDORFF_TABLE).value


def test_alpha_is_undefined_when_every_value_is_the_same() -> None:
    assert krippendorff_alpha([{"x": 3}, {"x": 2}]).value is None
    assert krippendorff_alpha([]).value is None


def test_percent_agreement_counts_agreeing_pairs() -> None:
    assert percent_agreement([{"a": 2}, {"a": 1, "b": 1}]) == pytest.approx(0.5)
    assert percent_agreement([{"a": 1}]) is None
