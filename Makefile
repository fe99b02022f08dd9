# One command per habit, the same locally and in CI (see README.md).
# Every tool runs from the project's virtual environment, created on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_TIERS := $(wildcard tests/unit tests/contract tests/integration tests/browser)
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv demo test check format bench docs clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## Create .venv and install Garrison with its dev tools (again when pyproject.toml changes)

demo: $(STAMP) ## Run the demo: server, accounts and simulated traffic on http://127.0.0.1:8000
	$(BIN)/garrison demo

test: $(STAMP) ## Run every test tier (unit, contract, integration, browser)
	@test -n "$(TEST_TIERS)" || { echo "no test folders found" >&2; exit 1; }
	$(BIN)/pytest $(TEST_TIERS) $(PYTEST_ARGS)

check: $(STAMP) ## Formatting, lint, strict typing and import layering
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP) ## Rewrite the code with ruff's formatter and safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## Run the benchmarks (table on stdout, JSON under bench/results)
	@if [ -f bench/run.py ]; then $(BIN)/python bench/run.py; \
	else echo "bench/run.py not found: no benchmarks yet" >&2; exit 1; fi

docs: $(STAMP) ## Regenerate the generated references (CLI, settings, REST API, rule functions)
	$(BIN)/python -m garrison.entrypoints.cli.docs
	$(BIN)/python -c "from garrison.config import settings_reference as r; open('docs/reference/settings.md', 'w').write(r())"
	$(BIN)/python -m garrison.entrypoints.web.reference
	$(BIN)/python -c "from garrison.domain.language import rule_functions_reference as r; open('docs/reference/rule-functions.md', 'w').write(r())"

clean: ## Remove caches and build output (keeps .venv and var/)
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	find src -maxdepth 1 -name '*.egg-info' -type d -exec rm -rf {} +
