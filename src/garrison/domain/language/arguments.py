"""Compile-time arguments of signal functions: quoted texts, windows and entity kinds."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.language.durations import parse_window
from garrison.domain.language.schemas import did_you_mean
from garrison.domain.signals import FieldRef

if TYPE_CHECKING:
    from garrison.domain.language.compile import ExpressionCompiler

EXAMPLES = {
    "key": '"account" or "attr.card_bin"',
    "of": '"account" or "attr.ip_country"',
    "window": '"1h"',
    "event type": '"api.usage"',
    "name": '"disposable_email_domains"',
    "kind": '"account"',
    "label": '"trusted"',
    "model": '"fraud_v2"',
    "field": '"ip.country"',
}


def text(compiler: ExpressionCompiler, node: ast.expr, what: str) -> str:
    """A compile-time text argument (a key, a window, a list name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    raise compiler.error(node, f"the {what} must be a quoted string, like {EXAMPLES[what]}")


def window(compiler: ExpressionCompiler, node: ast.expr) -> int:
    try:
        return parse_window(text(compiler, node, "window"))
    except InvalidInput as exc:
        raise compiler.error(node, exc.message) from None


def entity_kind(compiler: ExpressionCompiler, node: ast.expr, what: str = "kind") -> EntityKind:
    written = text(compiler, node, what)
    try:
        return EntityKind(written)
    except ValueError:
        known = ", ".join(k.value for k in EntityKind)
        hint = did_you_mean(written, EntityKind)
        raise compiler.error(
            node, f"unknown entity kind {written!r}{hint} (known: {known})"
        ) from None


def field_ref(compiler: ExpressionCompiler, node: ast.expr, what: str) -> FieldRef:
    """An entity kind (`"account"`) or an attribute (`"attr.card_bin"`)."""
    written = text(compiler, node, what)
    if written.startswith("attr."):
        name = written.removeprefix("attr.")
        if not name.isidentifier():
            raise compiler.error(node, f"not an attribute name: {name!r}")
        return FieldRef(FieldRef.ATTR, name)
    try:
        return FieldRef.entity(EntityKind(written))
    except ValueError:
        known = ", ".join(k.value for k in EntityKind)
        hint = did_you_mean(written, EntityKind)
        reason = f"unknown entity kind {written!r}{hint} (known: {known}; or attr.NAME)"
        raise compiler.error(node, reason) from None
