"""The rule language reference, generated from the tables the compiler uses (so it cannot drift).

`rule_functions_reference()` is docs/reference/rule-functions.md, verbatim.
"""

from __future__ import annotations

from garrison.domain.language.enrichment import ENRICHMENT
from garrison.domain.language.functions import FUNCTIONS
from garrison.domain.language.rulefields import KEYS
from garrison.domain.language.signalcalls import SIGNAL_FUNCTIONS
from garrison.domain.language.valuetypes import ValueType, describe
from garrison.domain.rules import Stage
from garrison.domain.signals import MAX_WINDOW_SECONDS

_INTRO = """\
# Rule language reference

<!-- Generated from garrison/domain/language by `make docs`; do not edit by hand. -->

A rule's `when` is one expression in a small, whitelisted subset of Python. It is checked and
compiled once, when a rule file is read; nothing in it can run code, and nothing raises at run
time: a missing attribute reads as `None`, a comparison that makes no sense is false, and
arithmetic on the wrong kinds of values gives `None`.

## Names

| name | what it reads |
|---|---|
| `type` | the event type, like `"payment.attempt"` |
| `attr.NAME`, `attr["NAME"]` | an attribute of the event (`None` when missing) |
| `entity.KIND` | the id of the event's entity of that kind (`None` when missing) |

Operators: `and`, `or`, `not`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`,
`is None`, `is not None`, `+ - * / %`, `x if test else y`, and constant lists `[...]`,
tuples `(...)` and sets `{...}`.
"""

_CHECKS = """\
## Static checks

`garrison rules check PATH [--schemas FILE]` checks a rule file against the event schemas
(the shipped `garrison/rulepacks/schemas.toml`, or `GARRISON_SCHEMAS_PATH`, or `--schemas`)
and reports every error with its `file:line:col` and the offending text underlined:

- unknown event types, attributes and entities, with a "did you mean" suggestion; a rule's
  attributes are checked against the event types its top-level `type == "..."` or
  `type in [...]` conditions allow (every declared type otherwise);
- type errors: ordering or arithmetic between a text and a number, `in` against something that
  is not a text, list or object, a bool compared with a text, a function given the wrong kind
  of argument, or the wrong number of them; unknown functions;
- rules that can never fire: contradictory type conditions, a condition that is always false;
- velocity windows that are not whole {bucket} buckets or longer than {longest}.

Schema attribute types: {types}.
"""

_FILES = """\
## Rule files

A rule file is TOML: one `[[rule]]` table per rule, with the keys {keys} (in the canonical
order). `stage` is one of {stages} (default `live`); a `canary` rule needs `canary_percent`
(1 to 100). `max_actions_per_day` caps the actions one rule may plan in a day.

Each rule may carry `[[rule.example]]` tables: an `event` (`type`, `entities`, `attributes`),
the `signals` it reads by label (`'count("account", "1h", "payment.attempt")' = 6`, or the label
shown in hits, `count(account, 1h, payment.attempt)`), `lists` (`{{ name = ["value"] }}`), the
`labels` of the event's entities (`{{ account = ["trusted"] }}`), and `expect = "fire"` or
`"pass"`. A file may end with `[[test]]` tables: `events` (each with `occurred_at`; velocity is
computed from the events before it and itself), `expect_verdicts` (one per event), `lists`, and
`labels` by entity (`{{ "account:a1" = ["trusted"] }}`); the live rules decide.

- `garrison rules test PATH` runs every example and test and prints why each passed or failed.
- `garrison rules fmt PATH [--check]` rewrites the file in its canonical form (fixed key order,
  `when` as a `'''` block); comments are kept above `[[rule]]` and `[[test]]` headers and at the
  top of the file. With `--check`, it only says whether the file is canonical.
"""


def rule_functions_reference() -> str:
    """The Markdown reference of the rule language: names, functions, checks and rule files."""
    parts = [_INTRO, _signal_table(), _function_table(), _enrichment_table()]
    types = ", ".join(f"`{t.value}`" for t in ValueType)
    longest = f"{MAX_WINDOW_SECONDS // 86400} days"
    parts.append(_CHECKS.format(bucket="60s", longest=longest, types=types))
    keys = ", ".join(f"`{key}`" for key in KEYS)
    stages = ", ".join(f"`{stage.value}`" for stage in Stage)
    parts.append(_FILES.format(keys=keys, stages=stages))
    return "\n".join(parts)


def _signal_table() -> str:
    lines = [
        "## Signal functions",
        "",
        "Their arguments are quoted constants (the value of `in_list` excepted), so the signals a",
        "release reads are known before any event arrives and fetched in one batch. Windows are",
        'written like `"30m"`, `"1h"`, `"7d"`. Hits and examples name velocity signals by label:',
        "`count(account, 1h, payment.attempt)`, `distinct(account, payment_method, 1d)`,",
        "`sum(attr.cost_usd, org, 1h, api.usage)` (for `total`).",
        "",
        "| function | gives | reads | description | example |",
        "|---|---|---|---|---|",
    ]
    for function in SIGNAL_FUNCTIONS.values():
        gives = describe(function.returns) if function.returns else "the field's type"
        lines.append(
            f"| `{function.signature}` | {gives} | {function.reads} | {function.doc} "
            f"| `{function.example}` |"
        )
    return "\n".join(lines) + "\n"


def _function_table() -> str:
    lines = [
        "## Functions",
        "",
        "Given `None` or a value of the wrong kind, each gives `None`.",
        "",
        "| function | gives | description |",
        "|---|---|---|",
    ]
    for function in FUNCTIONS.values():
        gives = "its arguments' kind" if function.returns is None else describe(function.returns)
        lines.append(f"| `{function.signature}` | {gives} | {function.doc} |")
    return "\n".join(lines) + "\n"


def _enrichment_table() -> str:
    lines = [
        "## Enrichment fields",
        "",
        "| field | type | from the event's | description |",
        "|---|---|---|---|",
    ]
    for field in ENRICHMENT.values():
        lines.append(f"| `{field.name}` | {field.type} | {field.entity} | {field.doc} |")
    return "\n".join(lines) + "\n"
