"""Entity labels: named tags on entities (`trusted`, `suspected_farm`) that rules can read.

Not to be confused with `garrison.domain.labels.Label`, the ground truth a review leaves. An
entity label says what Garrison currently believes about an entity, who said so and until when.
An entity holds at most one label of a name: adding it again replaces it (new author, expiry).
A label is active until `expires_at` (exclusive); no expiry means until removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput

MAX_NAME_LENGTH = 64
MAX_TTL_SECONDS = 10 * 365 * 86400
DEFAULT_ACTION_TTL = "30d"
"""How long a label added by a rule's `add_label` action lasts when the rule names no `ttl`."""

_NAME = re.compile(r"[a-z0-9][a-z0-9_.:-]*")
_TTL = re.compile(r"([0-9]{1,9})([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class LabelOrigin(StrEnum):
    """Where an entity label came from."""

    MANUAL = "manual"
    """An analyst, through the API, console or CLI."""
    RULE = "rule"
    """A rule's `add_label` action, performed by the dispatcher."""
    REVIEW = "review"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class EntityLabel:
    """`reference` points at what made it (an action id for rule labels), or is empty."""

    subject: EntityRef
    name: str
    provenance: LabelOrigin
    author: str
    created_at: datetime
    expires_at: datetime | None = None
    reference: str = ""

    def active_at(self, at: datetime) -> bool:
        return self.expires_at is None or at < self.expires_at


def check_label_name(name: str, *, field: str = "name") -> str:
    if len(name) > MAX_NAME_LENGTH or not _NAME.fullmatch(name):
        raise InvalidInput(
            f"label name {name!r} must be 1-{MAX_NAME_LENGTH} characters of a-z, 0-9, '_', '.', "
            "':' or '-', starting with a letter or digit",
            field=field,
        )
    return name


def parse_ttl(text: str, *, field: str = "ttl") -> int:
    """Seconds in a time to live like `"30d"`, `"12h"` or `"90m"` (units s, m, h, d, w)."""
    match = _TTL.fullmatch(text.strip())
    if match is None:
        raise InvalidInput(
            f"ttl {text!r} is not a number followed by s, m, h, d or w (like '30d')", field=field
        )
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if not 0 < seconds <= MAX_TTL_SECONDS:
        raise InvalidInput(
            f"ttl {text!r} must be more than 0 and at most {MAX_TTL_SECONDS // 86400}d",
            field=field,
        )
    return seconds


def expiry(at: datetime, ttl: str | None, *, field: str = "ttl") -> datetime | None:
    """When a label added at `at` with this ttl expires (None: it does not)."""
    return None if ttl is None else at + timedelta(seconds=parse_ttl(ttl, field=field))


def active_names(labels: list[EntityLabel], at: datetime) -> frozenset[str]:
    return frozenset(label.name for label in labels if label.active_at(at))
