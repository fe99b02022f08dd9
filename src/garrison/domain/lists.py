"""Lists: named sets of values a rule tests membership of, such as `disposable_email_domains`.

Each list has a kind that says what its entries are and how a value matches:

- `exact`: the value's text equals an entry (case-sensitive).
- `cidr`: the value is an IP address inside one of the entries' networks (`10.0.0.0/8`,
  `2001:db8::/32`; a bare address is a /32 or /128). IPv4-mapped IPv6 addresses match IPv4 entries.
- `regex`: an entry, a Python regular expression, matches the *whole* value (`fullmatch`); write
  `.*spam.*` to find `spam` anywhere. Flags go in scoped groups such as `(?i:spam)`.
- `domain_suffix`: the value is the domain or a subdomain of an entry, case-insensitively:
  `mailinator.com` matches `a.b.mailinator.com`, and an email address is matched by its domain.

Entries are normalised (domains lowercased, networks written canonically), de-duplicated and kept
sorted, so two uploads of the same set give the same list. A malformed entry is refused with
InvalidInput naming it by its index, `entries[3]`, and nothing is stored.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.errors import InvalidInput
from garrison.domain.list_matchers import (
    CidrMatcher,
    DomainSuffixMatcher,
    ExactMatcher,
    RegexMatcher,
    ascii_domain,
)
from garrison.domain.signals import ListMatcher

MAX_NAME_LENGTH = 64
MAX_ENTRIES = 200_000
MAX_ENTRY_LENGTH = 512
MAX_PATTERN_LENGTH = 256
"""Longer regular expressions are refused: they are hard to review and easy to make slow."""
MAX_PATTERNS = 1_000
MAX_DESCRIPTION_LENGTH = 2_000

_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}")


class ListKind(StrEnum):
    EXACT = "exact"
    CIDR = "cidr"
    REGEX = "regex"
    DOMAIN_SUFFIX = "domain_suffix"


@dataclass(frozen=True, slots=True)
class ValueList:
    """A list with its entries. `version` grows with every write and is never reused."""

    name: str
    kind: ListKind
    entries: tuple[str, ...]
    description: str
    version: int
    updated_at: datetime

    def summary(self) -> ListSummary:
        return ListSummary(
            self.name, self.kind, self.description, self.version, self.updated_at, len(self.entries)
        )


@dataclass(frozen=True, slots=True)
class ListSummary:
    """A list without its entries (how many there are is `size`)."""

    name: str
    kind: ListKind
    description: str
    version: int
    updated_at: datetime
    size: int


def check_name(name: str, *, field: str = "name") -> str:
    if len(name) > MAX_NAME_LENGTH or not _NAME.fullmatch(name):
        raise InvalidInput(
            f"list name {name!r} must be 1-{MAX_NAME_LENGTH} characters of a-z, 0-9, '_', '.' "
            "or '-', starting with a letter or digit",
            field=field,
        )
    return name


def check_description(description: str, *, field: str = "description") -> str:
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidInput(
            f"description is longer than {MAX_DESCRIPTION_LENGTH} characters", field=field
        )
    return description


def normalize_entries(
    kind: ListKind, raw: Sequence[str], *, field: str = "entries"
) -> tuple[str, ...]:
    """The entries as stored: each checked and normalised, then de-duplicated and sorted."""
    if len(raw) > MAX_ENTRIES:
        raise InvalidInput(f"a list holds at most {MAX_ENTRIES} entries", field=field)
    normal = _NORMALIZERS[kind]
    found: set[str] = set()
    for i, entry in enumerate(raw):
        try:
            found.add(normal(entry))
        except _BadEntry as bad:
            raise InvalidInput(str(bad), field=f"{field}[{i}]") from None
    if kind is ListKind.REGEX and len(found) > MAX_PATTERNS:
        raise InvalidInput(f"a regex list holds at most {MAX_PATTERNS} patterns", field=field)
    return tuple(sorted(found))


def parse_lines(text: str) -> list[tuple[int, str]]:
    """Entries of an uploaded file: one per line, blank lines and `#` comment lines skipped.

    Returns (line number, entry) pairs. A `#` later in a line is part of the entry.
    """
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if entry and not entry.startswith("#"):
            found.append((number, entry))
    return found


class _BadEntry(Exception):
    """Why one entry is refused (normalize_entries names the entry)."""


def _text_entry(raw: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _BadEntry("an entry must be a non-empty string")
    if len(raw) > MAX_ENTRY_LENGTH:
        raise _BadEntry(f"entry is longer than {MAX_ENTRY_LENGTH} characters")
    return raw


def _exact(raw: str) -> str:
    return _text_entry(raw)


def _cidr(raw: str) -> str:
    text = _text_entry(raw).strip()
    try:
        return str(ipaddress.ip_network(text, strict=True))
    except ValueError as error:
        hint = ""
        with contextlib.suppress(ValueError):
            hint = f"; did you mean {ipaddress.ip_network(text, strict=False)}?"
        raise _BadEntry(f"{text!r} is not an IP network ({error}){hint}") from None


def _regex(raw: str) -> str:
    pattern = _text_entry(raw)
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise _BadEntry(f"pattern is longer than {MAX_PATTERN_LENGTH} characters")
    try:
        re.compile(f"(?:{pattern})")
    except re.error as error:
        raise _BadEntry(
            f"{pattern!r} is not a valid regular expression ({error}); flags go in a scoped "
            "group such as (?i:...)"
        ) from None
    return pattern


def _domain(raw: str) -> str:
    text = _text_entry(raw).strip().lower().removeprefix("*.").strip(".")
    domain = ascii_domain(text)
    if domain is None or len(domain) > 253 or not _DOMAIN.fullmatch(domain):
        raise _BadEntry(f"{raw!r} is not a domain name")
    return domain


_NORMALIZERS = {
    ListKind.EXACT: _exact,
    ListKind.CIDR: _cidr,
    ListKind.REGEX: _regex,
    ListKind.DOMAIN_SUFFIX: _domain,
}


def compile_matcher(kind: ListKind, entries: Iterable[str]) -> ListMatcher:
    """A fast matcher for normalised entries (as `normalize_entries` returns them)."""
    if kind is ListKind.EXACT:
        return ExactMatcher(entries)
    if kind is ListKind.CIDR:
        return CidrMatcher(entries)
    if kind is ListKind.REGEX:
        return RegexMatcher(entries)
    return DomainSuffixMatcher(entries)


EMPTY_MATCHER: ListMatcher = ExactMatcher(())
"""What a rule sees for a list that does not exist: it contains nothing."""
