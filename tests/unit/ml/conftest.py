"""A tabular model trained once per session on the synthetic fraud table."""

from __future__ import annotations

from pathlib import Path

import pytest
from tabular_world import write_table

from garrison.adapters.ml.tabular.model import TabularModel
from garrison.adapters.ml.tabular.table import read_table
from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular


@pytest.fixture(scope="session")
def fraud_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_table(tmp_path_factory.mktemp("data") / "fraud.csv")


@pytest.fixture(scope="session")
def trained(fraud_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[TabularModel, Path]:
    model = train_tabular(
        read_table(fraud_csv), TrainingOptions("fraud", time_column="ts", max_rounds=200)
    )
    directory = tmp_path_factory.mktemp("model") / "fraud"
    model.save(directory)
    return model, directory
