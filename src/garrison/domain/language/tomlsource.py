"""TOML text with positions: load it with errors at their line and column, and find the lines of
each table and key again (tomllib gives values, not places), so field errors point into the file.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from garrison.domain.language.errors import RuleError, SourceMap

_TOML_AT = re.compile(r"(.*) \(at line (\d+), column (\d+)\)", re.DOTALL)
_HEADER = re.compile(r"\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(#.*)?")
_DOT = re.compile(r"\s*\.\s*")


def load_toml(text: str, file: SourceMap) -> dict[str, Any]:
    """The TOML document, or a `RuleError` where `tomllib` stopped."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_AT.fullmatch(message)
        if match:
            reason, line, col = match.group(1), int(match.group(2)), int(match.group(3))
            raise file.error(f"invalid TOML: {reason}", line, col) from None
        last = last_line(file)
        reason = message.removesuffix(" (at end of document)")
        raise file.error(f"invalid TOML: {reason}", last, len(file.lines[last - 1]) + 1) from None


def last_line(file: SourceMap) -> int:
    return max((n for n, line in enumerate(file.lines, 1) if line.strip()), default=1)


@dataclass(frozen=True, slots=True)
class Header:
    """A `[table]` or `[[array.of.tables]]` line: its number and its dotted name, spaces removed."""

    line: int
    name: str
    array: bool


def headers(file: SourceMap) -> list[Header]:
    found = []
    for number, text in enumerate(file.lines, 1):
        match = _HEADER.fullmatch(text)
        if match:
            name = _DOT.sub(".", match.group(2))
            found.append(Header(number, name, match.group(1) == "[["))
    return found


@dataclass(frozen=True, slots=True)
class Layout:
    """Every table header of a file, found once: where each table's lines start and stop."""

    file: SourceMap
    headers: tuple[Header, ...]
    lines: tuple[int, ...]

    @classmethod
    def of(cls, file: SourceMap) -> Layout:
        found = tuple(headers(file))
        return cls(file, found, tuple(header.line for header in found))

    def spans(
        self,
        name: str,
        count: int,
        within: tuple[int, int] | None = None,
        *,
        nested: bool = False,
    ) -> list[tuple[int, int]]:
        """The lines of each `[[name]]` table: from its header to the next header of any table
        (with `nested`, of any table but its own sub-tables, like `[[name.example]]`).

        Where the headers cannot be matched to the `count` tables (inline tables, or a
        header-like line inside a string), every table gets the first line, so errors still
        have a place.
        """
        low, high = within or (1, len(self.file.lines) + 1)
        every = self.headers[bisect_left(self.lines, low) : bisect_left(self.lines, high)]
        out = []
        for index, header in enumerate(every):
            if header.array and header.name == name:
                later = (h for h in every[index + 1 :] if not (nested and _under(h, name)))
                out.append((header.line, next((h.line for h in later), high)))
        return out if len(out) == count else [(low, low)] * count

    def sections(
        self, name: str, label: str, count: int, within: tuple[int, int] | None = None
    ) -> list[Section]:
        """One `Section` per `[[name]]` table, labelled `label[0]`, `label[1]`..."""
        return [
            Section(self.file, start, stop, f"{label}[{index}]")
            for index, (start, stop) in enumerate(self.spans(name, count, within))
        ]


def _under(header: Header, name: str) -> bool:
    return header.name.startswith(f"{name}.")


def lead_comment(file: SourceMap, header: int) -> str:
    """The comment lines written right above line `header` (no blank line between)."""
    start = header
    while start > 1 and file.lines[start - 2].lstrip().startswith("#"):
        start -= 1
    return "\n".join(line.strip() for line in file.lines[start - 1 : header - 1])


def file_header(file: SourceMap) -> str:
    """The comment block a file starts with, unless it sits right above the first table."""
    end = 0
    while end < len(file.lines) and file.lines[end].lstrip().startswith("#"):
        end += 1
    if end < len(file.lines) and file.lines[end].strip():
        return ""
    return "\n".join(line.strip() for line in file.lines[:end])


@dataclass(frozen=True, slots=True)
class Section:
    """The lines of one table: `start` is its header, `stop` the line after it; `label` prefixes
    the fields its errors name (`rule[2]`)."""

    file: SourceMap
    start: int
    stop: int
    label: str

    def find(self, key: str) -> tuple[int, int, int]:
        """The line, key column and value column of `key = ...` (the header if not found)."""
        quoted = re.escape(key)
        pattern = re.compile(rf"(\s*)(?:{quoted}|\"{quoted}\"|'{quoted}')\s*=\s*")
        for number in range(self.start + 1, self.stop):
            match = pattern.match(self.file.lines[number - 1])
            if match:
                return number, len(match.group(1)) + 1, match.end() + 1
        return self.start, 1, 1

    def locate(self, text: str, key: str) -> tuple[int, int, int]:
        """Where the quoted string `text` appears in the section, else the value of `key`:
        line, column and length."""
        for number in range(self.start + 1, self.stop):
            line = self.file.lines[number - 1]
            for quote in ('"', "'"):
                found = line.find(f"{quote}{text}{quote}")
                if found >= 0:
                    return number, found + 1, len(text) + 2
        line_number, _, col = self.find(key)
        return line_number, col, self._value_length(line_number, col)

    def error(self, reason: str, key: str | None = None, *, at_key: bool = False) -> RuleError:
        field = f"{self.label}.{key}" if key else self.label
        if key is None:
            return self.file.error(reason, self.start, 1, field=field, length=self._header_length())
        line, key_col, value_col = self.find(key)
        if line == self.start:
            return self.file.error(reason, line, 1, field=field, length=self._header_length())
        if at_key:
            return self.file.error(reason, line, key_col, field=field, length=len(key))
        length = self._value_length(line, value_col)
        return self.file.error(reason, line, value_col, field=field, length=length)

    def error_at(self, reason: str, text: str, key: str, field: str) -> RuleError:
        """An error about a quoted `text` inside the value of `key` (an item of a list)."""
        line, col, length = self.locate(text, key)
        return self.file.error(reason, line, col, field=f"{self.label}.{field}", length=length)

    def source_of(self, key: str, field: str) -> SourceMap:
        """Where the text of the string `key` starts: after its opening quotes, or on the next
        line for a triple-quoted string that starts with a line break."""
        line, _, col = self.find(key)
        text, field = self.file.lines[line - 1], f"{self.label}.{field}"
        for quote in ('"""', "'''", '"', "'"):
            if text.startswith(quote, col - 1):
                after = col - 1 + len(quote)
                if len(quote) == 3 and after == len(text):
                    line, after = line + 1, 0
                return SourceMap(self.file.path, self.file.lines, line, after + 1, field)
        return SourceMap(self.file.path, self.file.lines, line, col, field)

    def _value_length(self, line: int, col: int) -> int:
        text = self.file.lines[line - 1] if 0 < line <= len(self.file.lines) else ""
        return max(1, len(text.rstrip()) - col + 1)

    def _header_length(self) -> int:
        text = self.file.lines[self.start - 1] if 0 < self.start <= len(self.file.lines) else ""
        return max(1, len(text.rstrip()))


def top_level_line(file: SourceMap, key: str) -> int:
    """The line of a top-level `key = ...` or `[key...]` (1 if not found)."""
    pattern = re.compile(rf"\s*(\[+\s*{re.escape(key)}\b|{re.escape(key)}\s*=)")
    return next((n for n, line in enumerate(file.lines, 1) if pattern.match(line)), 1)
