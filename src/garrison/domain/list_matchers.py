"""Matchers: how a rule asks a list whether it holds a value, one fast structure per list kind.

See `garrison.domain.lists` for what each kind means; matchers take entries already normalised.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from garrison.domain.events import JsonValue
from garrison.domain.signals import ListMatcher


def ascii_domain(text: str) -> str | None:
    """The domain in ASCII (internationalised names in their `xn--` form), or None."""
    if text.isascii():
        return text
    try:
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _value_text(value: JsonValue) -> str | None:
    """The text a value is matched by: strings as they are, integers in decimal, else nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


class ExactMatcher(ListMatcher):
    def __init__(self, entries: Iterable[str]) -> None:
        self._values = frozenset(entries)

    def contains(self, value: JsonValue) -> bool:
        text = _value_text(value)
        return text is not None and text in self._values


class CidrMatcher(ListMatcher):
    """Networks grouped by prefix length: one set lookup per distinct prefix length."""

    def __init__(self, entries: Iterable[str]) -> None:
        groups: dict[tuple[int, int], set[int]] = {}
        for entry in entries:
            network = ipaddress.ip_network(entry)
            shift = network.max_prefixlen - network.prefixlen
            groups.setdefault((network.version, shift), set()).add(
                int(network.network_address) >> shift
            )
        self._by_version: dict[int, tuple[tuple[int, frozenset[int]], ...]] = {4: (), 6: ()}
        for (version, shift), nets in sorted(groups.items()):
            self._by_version[version] += ((shift, frozenset(nets)),)

    def contains(self, value: JsonValue) -> bool:
        if not isinstance(value, str):
            return False
        try:
            address = ipaddress.ip_address(value.strip())
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        number = int(address)
        return any(number >> shift in nets for shift, nets in self._by_version[address.version])


class RegexMatcher(ListMatcher):
    """Patterns without groups run as one alternation; patterns with groups run one by one.

    (Combining patterns that capture would renumber their groups and break backreferences.)
    """

    def __init__(self, entries: Iterable[str]) -> None:
        compiled = [(p, re.compile(f"(?:{p})")) for p in entries]
        simple = [p for p, c in compiled if c.groups == 0]
        self._combined = re.compile("|".join(f"(?:{p})" for p in simple)) if simple else None
        self._grouped = tuple(c for _, c in compiled if c.groups > 0)

    def contains(self, value: JsonValue) -> bool:
        text = _value_text(value)
        if text is None:
            return False
        if self._combined is not None and self._combined.fullmatch(text):
            return True
        return any(pattern.fullmatch(text) for pattern in self._grouped)


class DomainSuffixMatcher(ListMatcher):
    """Walks the value's suffixes (`a.b.c`, `b.c`, `c`) against a set of domains."""

    def __init__(self, entries: Iterable[str]) -> None:
        self._domains = frozenset(entries)

    def contains(self, value: JsonValue) -> bool:
        if not isinstance(value, str):
            return False
        domain = ascii_domain(value.rpartition("@")[2].strip().lower().rstrip("."))
        if not domain:
            return False
        domains = self._domains
        while True:
            if domain in domains:
                return True
            dot = domain.find(".")
            if dot < 0:
                return False
            domain = domain[dot + 1 :]
