"""What the rule language's operators mean at run time. None-safe, and they never raise.

- `==` and `!=` are Python's; `is None` / `is not None` test for a missing value.
- Ordering (`<`, `<=`, `>`, `>=`) with None, or between values that do not order (`"a" < 1`),
  is False.
- `in` and `not in` are False when either side is None or the test makes no sense (`1 in "a"`).
- Arithmetic works on numbers (`+` also joins two strings); anything else, None included, gives
  None, and so do division by zero and overflow.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any, Any], bool]
Arithmetic = Callable[[Any, Any], Any]

_NUMBER = (int, float)


def _ordering(compare: Callable[[Any, Any], Any]) -> Predicate:
    def ordered(left: Any, right: Any) -> bool:
        try:
            return bool(compare(left, right))
        except TypeError:
            return False

    return ordered


def is_in(needle: Any, haystack: Any) -> bool:
    if needle is None or haystack is None:
        return False
    try:
        return needle in haystack
    except TypeError:
        return False


def not_in(needle: Any, haystack: Any) -> bool:
    if needle is None or haystack is None:
        return False
    try:
        return needle not in haystack
    except TypeError:
        return False


def is_(left: Any, right: Any) -> bool:
    return left is right


def is_not(left: Any, right: Any) -> bool:
    return left is not right


EQ: Predicate = operator.eq
NE: Predicate = operator.ne
LT = _ordering(operator.lt)
LE = _ordering(operator.le)
GT = _ordering(operator.gt)
GE = _ordering(operator.ge)
ORDERINGS: dict[Predicate, Callable[[Any, Any], Any]] = {
    LT: operator.lt,
    LE: operator.le,
    GT: operator.gt,
    GE: operator.ge,
}
"""The raw comparison behind each ordering, for closures that catch the TypeError themselves."""


def add(left: Any, right: Any) -> Any:
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    return _numeric(operator.add, left, right)


def sub(left: Any, right: Any) -> Any:
    return _numeric(operator.sub, left, right)


def mul(left: Any, right: Any) -> Any:
    return _numeric(operator.mul, left, right)


def div(left: Any, right: Any) -> Any:
    return _numeric(operator.truediv, left, right)


def mod(left: Any, right: Any) -> Any:
    return _numeric(operator.mod, left, right)


def neg(value: Any) -> Any:
    return -value if isinstance(value, _NUMBER) else None


def pos(value: Any) -> Any:
    return +value if isinstance(value, _NUMBER) else None


def _numeric(apply: Arithmetic, left: Any, right: Any) -> Any:
    if not (isinstance(left, _NUMBER) and isinstance(right, _NUMBER)):
        return None
    try:
        return apply(left, right)
    except (ZeroDivisionError, OverflowError):
        return None
