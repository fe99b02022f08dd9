"""Tabular models: LightGBM (one thread) trained on labelled tables, calibrated, saved as a
directory with a `model.json` manifest, and scored one event at a time in microseconds.

Public surface: `training.train_tabular` / `TrainingOptions`, `model.load_model` /
`TabularModel` / `TabularScorer`, `table.read_table` / `table_of`, `artifacts.TabularArtifacts`
(the registry's `ModelArtifacts`). Nothing is imported here: LightGBM and scikit-learn take
seconds to import, so only the commands that train or score pay for them.
"""
