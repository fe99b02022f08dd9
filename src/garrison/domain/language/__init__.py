"""The rule language: a whitelisted subset of Python expressions, checked and compiled to closures.

`compile_rule` turns a `Rule` into a `CompiledRule`; `parse_rule_file` reads a TOML rule file;
`compile_release` compiles a rule set into a `Release`. Errors are `RuleError`s with a line and
column. See `operators` for what None and mismatched values do (nothing raises at run time).
"""

from garrison.domain.language.compile import compile_rule
from garrison.domain.language.durations import format_window, parse_window
from garrison.domain.language.errors import RuleError, SourceMap
from garrison.domain.language.functions import FUNCTIONS
from garrison.domain.language.release import compile_release
from garrison.domain.language.rulefile import parse_rule_file

__all__ = [
    "FUNCTIONS",
    "RuleError",
    "SourceMap",
    "compile_release",
    "compile_rule",
    "format_window",
    "parse_rule_file",
    "parse_window",
]
