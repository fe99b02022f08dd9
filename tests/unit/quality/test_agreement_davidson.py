"""Agreement on real multi-annotator data: Davidson et al. (2017), per-tweet annotator counts.

Only the count columns are read; tweet text is never loaded into the assertions or printed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from garrison.domain.agreement import fleiss_kappa, krippendorff_alpha, percent_agreement

DATA = Path(__file__).resolve().parents[3].parent / "shared/data/davidson-hate-speech"
CSV = DATA / "labeled_data.csv"
COLUMNS = ("hate_speech", "offensive_language", "neither")


def _counts() -> list[dict[str, int]]:
    if not CSV.exists():
        pytest.skip(f"Davidson data set not found at {CSV}: agreement check on real data skipped")
    with CSV.open(newline="", encoding="utf-8") as handle:
        rows = [{c: int(row[c]) for c in (*COLUMNS, "count")} for row in csv.DictReader(handle)]
    for row in rows:
        assert sum(row[c] for c in COLUMNS) == row["count"]
    return [{c: row[c] for c in COLUMNS} for row in rows]


def test_davidson_fleiss_and_alpha_agree_with_each_other_on_three_rater_items() -> None:
    three = [item for item in _counts() if sum(item.values()) == 3]
    kappa = fleiss_kappa(three)
    alpha = krippendorff_alpha(three)
    assert kappa.value is not None and alpha.value is not None
    # With a constant number of raters, alpha = 1 - (1 - kappa) (n - 1) / n, n the ratings.
    n = alpha.ratings
    assert alpha.value == pytest.approx(1 - (1 - kappa.value) * (n - 1) / n, abs=1e-12)
    # Published crowd data with one dominant class: agreement is real but modest.
    assert 0.3 < kappa.value < 0.6
    assert kappa.items == len(three)


def test_davidson_all_items_with_varying_rater_counts() -> None:
    items = _counts()
    kappa = fleiss_kappa(items)
    alpha = krippendorff_alpha(items)
    agreement = percent_agreement(items)
    assert kappa.value is not None and alpha.value is not None and agreement is not None
    assert kappa.items == alpha.items == 24783
    assert 0.3 < alpha.value < 0.6
    assert abs(alpha.value - kappa.value) < 0.05
    assert 0.7 < agreement < 0.95
