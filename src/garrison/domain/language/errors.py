"""Rule errors that point at a line and column, compiler-style, and where an expression sits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from garrison.domain.errors import InvalidInput


class RuleError(InvalidInput):
    """A rule or rule file is wrong at `path:line:col` (1-based); `reason` says how.

    `message` is the one-line form `path:line:col: reason`; `str()` adds the source line and a
    caret under the column, underlined (`^~~~`) over the `length` characters of the offending text.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str,
        line: int,
        col: int,
        source_line: str,
        field: str | None = None,
        length: int = 1,
    ) -> None:
        super().__init__(f"{path}:{line}:{col}: {reason}", field=field)
        self.reason = reason
        self.path = path
        self.line = line
        self.col = col
        self.source_line = source_line
        self.length = max(1, min(length, len(source_line) - col + 1))

    @property
    def position(self) -> tuple[str, int, int]:
        """Sort key: errors of a file are shown in the order they appear in it."""
        return self.path, self.line, self.col

    def __str__(self) -> str:
        if not self.source_line:
            return self.message
        lead = self.source_line[: self.col - 1].ljust(self.col - 1)
        pad = "".join("\t" if char == "\t" else " " for char in lead)
        return f"{self.message}\n{self.source_line}\n{pad}^{'~' * (self.length - 1)}"


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where a piece of text sits in the file it came from, to place errors in file terms.

    `lines` are the file's lines; `line` and `col` (1-based) are where the text's first character
    sits. Columns are shifted only on the text's first line. `field` names the text in errors.
    """

    path: str
    lines: tuple[str, ...]
    line: int = 1
    col: int = 1
    field: str | None = None

    @classmethod
    def of_text(cls, text: str, path: str, *, field: str | None = None) -> SourceMap:
        return cls(path, split_lines(text), field=field)

    def error(
        self, reason: str, line: int, col: int, *, field: str | None = None, length: int = 1
    ) -> RuleError:
        """An error at `line`, `col` of the text (1-based), placed in the file; `length`
        characters of the text from there are underlined."""
        file_line = self.line + line - 1
        file_col = col + (self.col - 1 if line == 1 else 0)
        in_file = 0 < file_line <= len(self.lines)
        source = self.lines[file_line - 1] if in_file else ""
        return RuleError(
            reason,
            path=self.path,
            line=file_line,
            col=file_col,
            source_line=source,
            field=field or self.field,
            length=length,
        )


def split_lines(text: str) -> tuple[str, ...]:
    """Lines as Python's tokenizer and TOML count them (not `str.splitlines`, which also
    splits at form feeds and other rare separators)."""
    return tuple(_NEWLINE.split(text))


_NEWLINE = re.compile(r"\r\n|\r|\n")
