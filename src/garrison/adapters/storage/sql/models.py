"""The model registry in SQL: one row per version (what does not need an index in `body`),
one per (version, event) shadow score."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import RowMapping, select

from garrison.adapters.storage.sql.driver import Sql
from garrison.adapters.storage.sql.tables import model_scores, model_versions
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.models import Histogram, ModelStatus, ModelVersion, ShadowScore

_V = model_versions.c
_S = model_scores.c


@lru_cache(maxsize=64)
def _live_sql(count: int) -> Sql:
    marks = ", ".join(["?"] * count)
    return Sql(
        f"SELECT name, version FROM model_versions WHERE status = 'live' AND name IN ({marks})"
    )


class SqlModelVersions:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, version: ModelVersion) -> None:
        self._tx.insert_new(model_versions, [_row(version)], what=f"model {version.key}")

    def get(self, name: str, version: int) -> ModelVersion | None:
        row = self._tx.row(select(model_versions).where(_V.name == name, _V.version == version))
        return _version(row) if row is not None else None

    def save(self, version: ModelVersion) -> None:
        self._tx.upsert(model_versions, _row(version))

    def versions(self, name: str | None = None) -> list[ModelVersion]:
        stmt = select(model_versions).order_by(_V.name, _V.version.desc())
        if name is not None:
            stmt = stmt.where(_V.name == name)
        return [_version(row) for row in self._tx.rows(stmt)]

    def live(self, names: Sequence[str]) -> dict[str, ModelVersion]:
        if not names:
            return {}
        stmt = select(model_versions).where(
            _V.status == ModelStatus.LIVE.value, _V.name.in_(sorted(set(names)))
        )
        return {row["name"]: _version(row) for row in self._tx.rows(stmt)}

    def live_numbers(self, names: Sequence[str]) -> dict[str, int]:
        if not names:
            return {}
        wanted = sorted(set(names))
        rows = self._tx.driver.fetch(_live_sql(len(wanted)), wanted)
        return {name: int(number) for name, number in rows}

    def add_scores(self, scores: Sequence[ShadowScore]) -> None:
        for score in scores:
            self._tx.upsert(
                model_scores,
                {
                    "name": score.name,
                    "version": score.version,
                    "event_id": score.event_id,
                    "score": score.score,
                    "occurred_at": score.occurred_at,
                    "scored_at": score.scored_at,
                },
            )

    def scores(self, name: str, version: int, *, limit: int) -> list[ShadowScore]:
        stmt = (
            select(model_scores)
            .where(_S.name == name, _S.version == version)
            .order_by(_S.occurred_at.desc(), _S.event_id.desc())
            .limit(limit)
        )
        return [
            ShadowScore(
                r["name"], r["version"], r["event_id"], r["score"], r["occurred_at"], r["scored_at"]
            )
            for r in self._tx.rows(stmt)
        ]


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _row(version: ModelVersion) -> dict[str, Any]:
    return {
        "name": version.name,
        "version": version.version,
        "kind": version.kind,
        "status": version.status.value,
        "created_at": version.created_at,
        "body": {
            "artifact": version.artifact,
            "features": list(version.features),
            "metrics": dict(version.metrics),
            "trained_from": _stamp(version.trained_from),
            "trained_to": _stamp(version.trained_to),
            "created_by": version.created_by,
            "baseline": {name: h.to_json() for name, h in version.baseline.items()},
            "promoted_at": _stamp(version.promoted_at),
            "promoted_by": version.promoted_by,
            "retired_at": _stamp(version.retired_at),
        },
    }


def _version(row: RowMapping) -> ModelVersion:
    body = row["body"]
    return ModelVersion(
        name=row["name"],
        version=row["version"],
        kind=row["kind"],
        status=ModelStatus(row["status"]),
        artifact=body["artifact"],
        features=tuple(body["features"]),
        metrics={k: float(v) for k, v in body["metrics"].items()},
        trained_from=_when(body["trained_from"]),
        trained_to=_when(body["trained_to"]),
        created_at=row["created_at"],
        created_by=body["created_by"],
        baseline={k: Histogram.from_json(v) for k, v in body["baseline"].items()},
        promoted_at=_when(body["promoted_at"]),
        promoted_by=body["promoted_by"],
        retired_at=_when(body["retired_at"]),
    )
