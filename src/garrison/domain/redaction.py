"""Redaction of personal data: email addresses and IP addresses shown only in part.

`j***@gmail.com`, `203.0.113.x`, `2001:db8:1:x`. Entity ids of the email and ip kinds are
redacted, and so is any email or IP address found inside a string (event attributes, free text).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import JsonValue

PII_KINDS = frozenset({EntityKind.EMAIL, EntityKind.IP})

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Fa-f:])")


def redact_email(address: str) -> str:
    local, at, domain = address.rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def redact_ip(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return "***"
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    if isinstance(parsed, ipaddress.IPv4Address):
        return ".".join(str(parsed).split(".")[:3]) + ".x"
    groups = parsed.exploded.split(":")[:3]
    return ":".join(g.lstrip("0") or "0" for g in groups) + ":x"


def is_pii(ref: EntityRef) -> bool:
    return ref.kind in PII_KINDS


def redact_id(ref: EntityRef) -> str:
    """The entity's id as someone without access to personal data may see it."""
    if ref.kind is EntityKind.EMAIL:
        return redact_email(ref.id)
    if ref.kind is EntityKind.IP:
        return redact_ip(ref.id)
    return ref.id


def redact_ref(ref: EntityRef) -> str:
    """`kind:id` with the id redacted when it is personal data."""
    return f"{ref.kind}:{redact_id(ref)}"


Seen = Callable[[str, str], None]
"""Told (original, redacted) for each value redacted, for callers that keep a reveal list."""


def redact_text(text: str, seen: Seen | None = None) -> str:
    """The text with every email address and IP address in it redacted."""

    def email(match: re.Match[str]) -> str:
        return _told(match.group(0), redact_email(match.group(0)), seen)

    def address(match: re.Match[str]) -> str:
        return _ip_or_same(match.group(0), seen)

    text = _EMAIL.sub(email, text)
    text = _IPV4.sub(address, text)
    return _IPV6.sub(address, text)


def redact_value(value: JsonValue, seen: Seen | None = None) -> JsonValue:
    """A JSON value with every string in it passed through `redact_text`."""
    if isinstance(value, str):
        return redact_text(value, seen)
    if isinstance(value, Mapping):
        return {key: redact_value(item, seen) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item, seen) for item in value]
    return value


def _told(original: str, shown: str, seen: Seen | None) -> str:
    if seen is not None and shown != original:
        seen(original, shown)
    return shown


def _ip_or_same(candidate: str, seen: Seen | None) -> str:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return candidate
    return _told(candidate, redact_ip(candidate), seen)
