"""Lists shipped inside the package (under `garrison/rulepacks/`), seeded on first start."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from garrison.domain.lists import ListKind, normalize_entries, parse_lines

DISPOSABLE_EMAIL_DOMAINS = "disposable_email_domains"


@dataclass(frozen=True, slots=True)
class ShippedList:
    name: str
    kind: ListKind
    description: str
    entries: tuple[str, ...]


@functools.cache
def disposable_email_domains() -> ShippedList:
    """The vendored disposable email domains (read and checked once per process)."""
    text = (
        resources.files("garrison.rulepacks")
        .joinpath(f"{DISPOSABLE_EMAIL_DOMAINS}.txt")
        .read_text("utf-8")
    )
    entries = normalize_entries(ListKind.DOMAIN_SUFFIX, [entry for _, entry in parse_lines(text)])
    return ShippedList(
        DISPOSABLE_EMAIL_DOMAINS,
        ListKind.DOMAIN_SUFFIX,
        "Disposable (throwaway) email domains, from the disposable-email-domains project; "
        "subdomains match too.",
        entries,
    )


def shipped_lists() -> tuple[ShippedList, ...]:
    return (disposable_email_domains(),)
