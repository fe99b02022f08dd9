"""Canary rules act on a deterministic share of subjects; a fixed holdout never gets their actions.

A subject's bucket for a rule is sha256("<rule name>:<subject ref>") mod 100, so the same subject
is always in or out of the same rule's canary, in every process and in backtests. The top
`holdout_percent` buckets are held out even at 100%, to compare against.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from garrison.domain.entities import EntityRef

BUCKETS = 100


class CanaryOutcome(StrEnum):
    APPLIED = "applied"
    """The subject is in the canary share: the rule acted."""
    NOT_SELECTED = "not_selected"
    """The subject is outside the share (or the event has no subject): recorded as shadow."""
    HELD_OUT = "held_out"
    """The subject is in the fixed holdout: recorded as shadow, never acted on."""


@dataclass(frozen=True, slots=True)
class CanaryCall:
    """What a canary rule that fired did for this event's subject."""

    rule: str
    outcome: CanaryOutcome
    bucket: int | None


def canary_bucket(rule: str, subject: EntityRef) -> int:
    digest = hashlib.sha256(f"{rule}:{subject}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def canary_call(
    rule: str, percent: int, subject: EntityRef | None, *, holdout_percent: int
) -> CanaryCall:
    """Whether a canary rule at `percent` acts for `subject`."""
    if subject is None:
        return CanaryCall(rule, CanaryOutcome.NOT_SELECTED, None)
    bucket = canary_bucket(rule, subject)
    if bucket >= BUCKETS - holdout_percent:
        return CanaryCall(rule, CanaryOutcome.HELD_OUT, bucket)
    if bucket < percent:
        return CanaryCall(rule, CanaryOutcome.APPLIED, bucket)
    return CanaryCall(rule, CanaryOutcome.NOT_SELECTED, bucket)
