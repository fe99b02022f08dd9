"""Machine-learning adapters: tabular gradient boosting and text classifiers."""
