"""TOML values written back as text: strings, numbers, times, arrays and inline tables.

`tomllib` only reads; the canonical rule file form needs a writer whose output it reads back to
the same values. TOML has no null: None inside a table is left out (a missing attribute reads as
None anyway); None inside a list cannot be written.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from garrison.domain.errors import InvalidInput

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_LITERAL_SAFE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f']*")


def string(text: str) -> str:
    """A basic (double-quoted) TOML string."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def key(name: str) -> str:
    """A key: bare when it can be, else a literal `'...'` string (readable for signal labels
    like `count("ip", "1h")`), else a basic string."""
    if _BARE.fullmatch(name):
        return name
    if _LITERAL_SAFE.fullmatch(name):
        return f"'{name}'"
    return string(name)


def value(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return _float(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, datetime):
        if item.tzinfo is None:
            raise InvalidInput("a time needs its offset to be written", field="occurred_at")
        text = item.isoformat()
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
    if isinstance(item, (list, tuple)):
        if any(element is None for element in item):
            raise InvalidInput("TOML has no null: a list cannot hold None")
        return "[" + ", ".join(value(element) for element in item) + "]"
    if isinstance(item, Mapping):
        return table(item)
    raise InvalidInput(f"cannot write {type(item).__name__} values in a rule file")


def table(items: Mapping[Any, Any]) -> str:
    """An inline table on one line; None values are left out."""
    pairs = [
        f"{key(str(name))} = {value(item)}" for name, item in items.items() if item is not None
    ]
    return "{ " + ", ".join(pairs) + " }" if pairs else "{}"


def multiline(text: str) -> str:
    """A multi-line string starting on the next line: a literal `'''` block when the text allows
    it (it must end with a line break, so the closing quotes sit on their own line)."""
    if "'''" not in text and _LITERAL_SAFE.fullmatch(text.replace("'", "").replace("\n", "")):
        return f"'''\n{text}'''"
    escaped = "".join(_escape(char) for char in text)
    return f'"""\n{escaped}"""'


def _escape(char: str) -> str:
    """One character inside a multi-line basic string."""
    if char in '\\"':
        return "\\" + char
    if char in "\n\t" or not (char < " " or char == "\x7f"):
        return char
    return f"\\u{ord(char):04x}"


def _float(number: float) -> str:
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return repr(number)
