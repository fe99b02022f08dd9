"""The pure functions a rule may call (the signal functions, like `count`, are in `signalcalls`).

Each takes plain values and returns a value; given None or a value of the wrong kind it returns
None. None of them raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from garrison.domain.language.valuetypes import (
    ANY,
    BOOLEAN,
    COLLECTION,
    LIST,
    NUM,
    NUMBER,
    STR,
    TEXT,
    Kinds,
)

_NUMBER = (int, float)
_SEQUENCE = (list, tuple)
ORDERABLE = frozenset({STR, NUM, LIST})


@dataclass(frozen=True, slots=True)
class Function:
    """A callable the language offers: `min_args` to `max_args` positional arguments."""

    name: str
    apply: Callable[..., Any]
    min_args: int
    max_args: int | None
    doc: str
    params: tuple[Kinds, ...] = (ANY,)
    """What each argument may be; the last one also covers any further arguments."""
    returns: Kinds | None = ANY
    """What it gives when not None; None: the kinds of its arguments (min and max)."""
    signature: str = ""
    bind_last: Callable[[Any], Callable[[Any], Any]] | None = None
    """For a two-argument function whose second argument is a constant: the function of the
    first argument alone, with whatever depends on the constant worked out once."""

    def wanted(self, position: int) -> Kinds:
        return self.params[min(position, len(self.params) - 1)]


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else None


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else None


def _len(value: Any) -> Any:
    return len(value) if isinstance(value, (str, list, tuple, dict)) else None


def _contains(haystack: Any, needle: Any) -> Any:
    if needle is None:
        return None
    if isinstance(haystack, str):
        return needle in haystack if isinstance(needle, str) else None
    if isinstance(haystack, (list, tuple, dict)):
        try:
            return needle in haystack
        except TypeError:
            return None
    return None


def _affixes(value: Any) -> str | tuple[str, ...] | None:
    if isinstance(value, str):
        return value
    if isinstance(value, _SEQUENCE) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _startswith(text: Any, prefix: Any) -> Any:
    affix = _affixes(prefix)
    return text.startswith(affix) if isinstance(text, str) and affix is not None else None


def _endswith(text: Any, suffix: Any) -> Any:
    affix = _affixes(suffix)
    return text.endswith(affix) if isinstance(text, str) and affix is not None else None


def _affix_test(method: Callable[[str, str | tuple[str, ...]], bool]) -> Callable[[Any], Any]:
    """`startswith` / `endswith` with a constant affix: the affix is checked once."""

    def bind(constant: Any) -> Callable[[Any], Any]:
        affix = _affixes(constant)

        def test(text: Any) -> Any:
            return method(text, affix) if isinstance(text, str) and affix is not None else None

        return test

    return bind


def _domain(email: Any) -> Any:
    if not isinstance(email, str) or "@" not in email:
        return None
    return email.rpartition("@")[2].strip().lower() or None


def _abs(value: Any) -> Any:
    return abs(value) if isinstance(value, _NUMBER) else None


def _extreme(pick: Callable[[Any], Any]) -> Callable[..., Any]:
    def extreme(*values: Any) -> Any:
        items = values[0] if len(values) == 1 and isinstance(values[0], _SEQUENCE) else values
        if not items or any(item is None for item in items):
            return None
        try:
            return pick(items)
        except TypeError:
            return None

    return extreme


def _round(value: Any, digits: Any = None) -> Any:
    if not isinstance(value, _NUMBER):
        return None
    if digits is not None and (not isinstance(digits, int) or isinstance(digits, bool)):
        return None
    try:
        return round(value, digits)
    except (OverflowError, ValueError):
        return None


_TEXT_OR_TEXTS = TEXT | {LIST}


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("lower", _lower, 1, 1, "the text in lower case", (TEXT,), TEXT, "lower(text)"),
        Function("upper", _upper, 1, 1, "the text in upper case", (TEXT,), TEXT, "upper(text)"),
        Function(
            "len",
            _len,
            1,
            1,
            "the length of a text, list or object",
            (COLLECTION,),
            NUMBER,
            "len(value)",
        ),
        Function(
            "contains",
            _contains,
            2,
            2,
            "whether a text, list or object holds a value",
            (COLLECTION, ANY),
            BOOLEAN,
            "contains(haystack, needle)",
        ),
        Function(
            "startswith",
            _startswith,
            2,
            2,
            "whether a text starts with a prefix (or any of a list)",
            (TEXT, _TEXT_OR_TEXTS),
            BOOLEAN,
            "startswith(text, prefix)",
            _affix_test(str.startswith),
        ),
        Function(
            "endswith",
            _endswith,
            2,
            2,
            "whether a text ends with a suffix (or any of a list)",
            (TEXT, _TEXT_OR_TEXTS),
            BOOLEAN,
            "endswith(text, suffix)",
            _affix_test(str.endswith),
        ),
        Function(
            "domain",
            _domain,
            1,
            1,
            "the lower-cased part of an email after the '@'",
            (TEXT,),
            TEXT,
            "domain(email)",
        ),
        Function(
            "abs", _abs, 1, 1, "the absolute value of a number", (NUMBER,), NUMBER, "abs(number)"
        ),
        Function(
            "min",
            _extreme(min),
            1,
            None,
            "the smallest of the values (or of one list)",
            (ORDERABLE,),
            None,
            "min(value, ...)",
        ),
        Function(
            "max",
            _extreme(max),
            1,
            None,
            "the largest of the values (or of one list)",
            (ORDERABLE,),
            None,
            "max(value, ...)",
        ),
        Function(
            "round",
            _round,
            1,
            2,
            "a number rounded to a number of digits (default 0)",
            (NUMBER, NUMBER),
            NUMBER,
            "round(number, digits=0)",
        ),
    )
}
