"""The rule language: a whitelisted subset of Python expressions, checked and compiled to closures.

`compile_rule` turns a `Rule` into a `CompiledRule`; `parse_rule_file` / `read_rule_file` read a
TOML rule file (rules, examples, sequence tests); `check_rule_file` collects every error of one;
`compile_release` compiles a rule set into a `Release`; `format_rule_file` writes the canonical
text; `replay` runs events through a release with in-memory velocity (the reference semantics).
Given `EventSchemas` (`parse_schemas`), compiling also checks fields, types and rules that can
never fire. Errors are `RuleError`s with a line and column. See `operators` for what None and
mismatched values do (nothing raises at run time).
"""

from garrison.domain.language.compile import build_rule, compile_rule
from garrison.domain.language.durations import format_window, parse_window
from garrison.domain.language.enrichment import ENRICHMENT
from garrison.domain.language.errors import RuleError, SourceMap
from garrison.domain.language.filemodel import (
    ExampleEvent,
    Expectation,
    RuleEntry,
    RuleExample,
    RuleFile,
    SequenceTest,
)
from garrison.domain.language.formatting import canonical_when, format_file, format_rule_file
from garrison.domain.language.functions import FUNCTIONS
from garrison.domain.language.reference import rule_functions_reference
from garrison.domain.language.release import compile_release
from garrison.domain.language.replay import ReplayStep, ValueList, replay
from garrison.domain.language.rulefile import (
    RuleFileCheck,
    check_rule_file,
    parse_rule_file,
    read_rule_file,
)
from garrison.domain.language.schemas import EventSchema, EventSchemas, parse_schemas
from garrison.domain.language.signalcalls import SIGNAL_FUNCTIONS
from garrison.domain.language.synthetic import synthetic_rule_file
from garrison.domain.language.testrun import CaseResult, run_rule_file
from garrison.domain.language.valuetypes import ValueType

__all__ = [
    "ENRICHMENT",
    "FUNCTIONS",
    "SIGNAL_FUNCTIONS",
    "CaseResult",
    "EventSchema",
    "EventSchemas",
    "ExampleEvent",
    "Expectation",
    "ReplayStep",
    "RuleEntry",
    "RuleError",
    "RuleExample",
    "RuleFile",
    "RuleFileCheck",
    "SequenceTest",
    "SourceMap",
    "ValueList",
    "ValueType",
    "build_rule",
    "canonical_when",
    "check_rule_file",
    "compile_release",
    "compile_rule",
    "format_file",
    "format_rule_file",
    "format_window",
    "parse_rule_file",
    "parse_schemas",
    "parse_window",
    "read_rule_file",
    "replay",
    "rule_functions_reference",
    "run_rule_file",
    "synthetic_rule_file",
]
