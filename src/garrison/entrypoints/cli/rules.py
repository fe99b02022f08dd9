"""`garrison rules ...`: write, check, test, backtest and publish rules."""

from __future__ import annotations

import typer

from garrison.entrypoints.cli import rules_lifecycle
from garrison.entrypoints.cli.rules_backtest import backtest
from garrison.entrypoints.cli.rules_check import check_rules, format_rules, run_rule_tests

rules = typer.Typer(help="Write, check, test, backtest and publish rules.", no_args_is_help=True)
rules.command("check")(check_rules)
rules.command("test")(run_rule_tests)
rules.command("fmt")(format_rules)
rules.command("backtest")(backtest)
rules_lifecycle.register(rules)
