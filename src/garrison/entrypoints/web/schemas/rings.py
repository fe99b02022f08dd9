"""Rings on the wire. Shared identifiers that are personal data are redacted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from garrison.domain.redaction import is_pii, redact_ref
from garrison.domain.rings import Ring, RingMethod
from garrison.services.rings import Detection


class SharedIdentifierOut(BaseModel):
    shown: str
    ref: str | None
    """None when the identifier is personal data."""
    kind: str
    strength: str
    owners: int


class RiskFactorOut(BaseModel):
    name: str
    value: float
    weight: float
    note: str


class RingRiskOut(BaseModel):
    score: float
    factors: list[RiskFactorOut]


class RingOut(BaseModel):
    id: str
    size: int
    members: list[str]
    infrastructure: list[SharedIdentifierOut]
    method: RingMethod
    first_seen: datetime
    last_seen: datetime
    burst: int
    labelled_bad: list[str]
    risk: RingRiskOut
    detected_at: datetime
    flagged_at: datetime | None


class RingListOut(BaseModel):
    rings: list[RingOut]
    limit: int
    offset: int


class DetectionOut(BaseModel):
    accounts: int
    links: int
    rings: int
    flagged: int
    method: str


def ring_wire(ring: Ring) -> dict[str, Any]:
    return {
        "id": ring.id,
        "size": ring.size,
        "members": [str(m) for m in ring.members],
        "infrastructure": [
            {
                "shown": redact_ref(s.ref),
                "ref": None if is_pii(s.ref) else str(s.ref),
                "kind": s.ref.kind.value,
                "strength": s.strength.value,
                "owners": s.owners,
            }
            for s in ring.infrastructure
        ],
        "method": ring.method,
        "first_seen": ring.first_seen,
        "last_seen": ring.last_seen,
        "burst": ring.burst,
        "labelled_bad": [str(m) for m in ring.labelled_bad],
        "risk": {
            "score": ring.risk.score,
            "factors": [
                {"name": f.name, "value": f.value, "weight": f.weight, "note": f.note}
                for f in ring.risk.factors
            ],
        },
        "detected_at": ring.detected_at,
        "flagged_at": ring.flagged_at,
    }


def detection_wire(found: Detection) -> dict[str, Any]:
    return {
        "accounts": found.accounts,
        "links": found.links,
        "rings": found.rings,
        "flagged": found.flagged,
        "method": found.method,
    }
