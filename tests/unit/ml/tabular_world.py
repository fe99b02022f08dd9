"""A synthetic labelled table with rare positives, driven by an amount, an age and a country."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl


def fraud_table(rows: int = 4000, rate: float = 0.02, seed: int = 0) -> pl.DataFrame:
    """Columns: id (an identifier), amount, age_days, country, ts (ISO time), fraud (0/1)."""
    rng = np.random.default_rng(seed)
    amount = rng.lognormal(3, 1, rows)
    age = rng.integers(0, 1000, rows).astype(float)
    country = rng.choice(["us", "gb", "de", "ng", "br"], rows, p=[0.4, 0.2, 0.2, 0.1, 0.1])
    logit = (
        1.2 * np.log(amount)
        - 0.006 * age
        + np.where(country == "ng", 2.0, 0)
        + rng.normal(0, 0.5, rows)
    )
    fraud = (logit > np.quantile(logit, 1 - rate)).astype(int)
    seconds = np.sort(rng.uniform(1.7e9, 1.7e9 + 30 * 86400, rows)).astype(np.int64)
    ts = pl.from_epoch(pl.Series(seconds), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return pl.DataFrame(
        {
            "id": [f"r{i}" for i in range(rows)],
            "amount": amount,
            "age_days": age,
            "country": country,
            "ts": ts,
            "fraud": fraud,
        }
    )


def write_table(path: Path, rows: int = 4000, rate: float = 0.02, seed: int = 0) -> Path:
    fraud_table(rows, rate, seed).write_csv(path)
    return path
