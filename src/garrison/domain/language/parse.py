"""Rule text to a Python `ast` tree, with syntax errors placed at the right line and column.

The text is parsed wrapped in parentheses (on their own lines), so an expression may span lines
without backslashes; a bracket check on the original text first keeps `a) or (b` from sneaking
through the wrapper. Nothing is ever evaluated here: `ast.parse` only builds a tree.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

from garrison.domain.language.errors import RuleError, SourceMap, split_lines

_PAIRS = {")": "(", "]": "[", "}": "{"}
_DETECTED_AT = re.compile(r" \(detected at line \d+\)")  # wrapped-text line numbers: drop


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed expression and its lines, to turn node offsets into 1-based columns."""

    tree: ast.Expression
    lines: tuple[str, ...]
    source: SourceMap

    def position(self, node: ast.expr | ast.keyword, *, end: bool = False) -> tuple[int, int]:
        """The 1-based line and character column where `node` starts (or ends)."""
        lineno = (node.end_lineno or node.lineno) if end else node.lineno
        offset = (node.end_col_offset or 0) if end else node.col_offset
        return _place(self.lines, lineno - 1, offset)

    def error(self, node: ast.expr | ast.keyword, reason: str, *, end: bool = False) -> RuleError:
        """An error at `node`, its text underlined (or a caret just after it, with `end`)."""
        line, col = self.position(node, end=end)
        return self.source.error(reason, line, col, length=1 if end else self.span(node))

    def span(self, node: ast.expr | ast.keyword) -> int:
        """How many characters of `node`'s first line it covers."""
        line, col = self.position(node)
        last, stop = self.position(node, end=True)
        if last != line:
            stop = len(self.lines[line - 1]) + 1 if line <= len(self.lines) else col + 1
        return max(1, stop - col)

    def between(self, left: ast.expr, right: ast.expr, symbol: str) -> tuple[int, int]:
        """Where `symbol` (an operator) first appears between two operands."""
        first, start = self.position(left, end=True)
        last, stop = self.position(right)
        for line in range(first, last + 1):
            text = self.lines[line - 1]
            low = start - 1 if line == first else 0
            high = stop - 1 if line == last else len(text)
            found = text.find(symbol, low, high)
            if found >= 0:
                return line, found + 1
        return first, start


def parse_expression(text: str, source: SourceMap) -> Parsed:
    lines = split_lines(text)
    if not text.strip():
        raise source.error("the expression is empty", 1, 1)
    wrapped = "(\n" + text + "\n)"
    _check_brackets(wrapped, source)
    try:
        tree = ast.parse(wrapped, "<rule>", mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, lines, source) from None
    except (ValueError, RecursionError, MemoryError):
        reason = "the expression cannot be parsed (too deep or has NUL bytes)"
        raise source.error(reason, 1, 1) from None
    parsed = Parsed(tree, lines, source)
    body = tree.body
    if isinstance(body, ast.Tuple) and body.lineno == 1 and body.elts:
        raise parsed.error(body.elts[0], "a rule is one expression: remove the comma", end=True)
    return parsed


def _place(lines: tuple[str, ...], line: int, byte_offset: int) -> tuple[int, int]:
    """1-based line and character column from a 1-based line and a UTF-8 byte offset."""
    if not 1 <= line <= len(lines):
        return max(1, min(line, len(lines))), 1
    head = lines[line - 1].encode()[:byte_offset].decode(errors="ignore")
    return line, len(head) + 1


def _check_brackets(wrapped: str, source: SourceMap) -> None:
    """Unmatched brackets in the text, reported where they are (wrapper excluded)."""
    last = wrapped.count("\n") + 1
    stack: list[tuple[str, int, int]] = []
    tokens = tokenize.generate_tokens(io.StringIO(wrapped).readline)
    try:
        for token in tokens:
            row, col = token.start
            if token.type != tokenize.OP or row in (1, last):
                continue
            if token.string in "([{":
                stack.append((token.string, row - 1, col + 1))
            elif token.string in _PAIRS:
                if not stack or stack[-1][0] != _PAIRS[token.string]:
                    raise source.error(f"unmatched {token.string!r}", row - 1, col + 1)
                stack.pop()
    except (tokenize.TokenError, SyntaxError):
        pass
    if stack:
        opener, line, col = stack[-1]
        raise source.error(f"{opener!r} was never closed", line, col)


def _syntax_error(exc: SyntaxError, lines: tuple[str, ...], source: SourceMap) -> RuleError:
    line = max(1, (exc.lineno or 1) - 1)
    col = exc.offset or 1
    rest = "\n".join(lines[line - 1 :])[col - 1 :] if line <= len(lines) else ""
    if not rest.strip():
        last = max((n for n, text in enumerate(lines, 1) if text.strip()), default=1)
        return source.error("the expression ends too early", last, len(lines[last - 1]) + 1)
    reason = _DETECTED_AT.sub("", exc.msg or "invalid syntax")
    return source.error(reason, line, col)
