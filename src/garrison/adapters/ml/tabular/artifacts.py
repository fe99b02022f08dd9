"""`ModelArtifacts` for tabular model directories: describe one for the registry, load it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from garrison.domain.models import Histogram, ModelCard

if TYPE_CHECKING:
    from garrison.adapters.ml.tabular.model import TabularScorer


class TabularArtifacts:
    """Artifacts are model directories; describing one loads it fully, so a corrupt directory
    is refused before anything is registered."""

    def describe(self, artifact: str) -> ModelCard:
        from garrison.adapters.ml.tabular.model import load_model  # LightGBM loads on first use

        manifest = load_model(Path(artifact)).manifest
        window = manifest.get("training_window") or {}
        return ModelCard(
            kind=str(manifest["kind"]),
            features=tuple(str(f["name"]) for f in manifest["features"]),
            metrics={k: float(v) for k, v in manifest.get("metrics", {}).items() if v is not None},
            trained_from=_when(window.get("start")),
            trained_to=_when(window.get("end")),
            baseline={k: Histogram.from_json(v) for k, v in _baseline(manifest).items()},
        )

    def scorer(self, artifact: str) -> TabularScorer:
        from garrison.adapters.ml.tabular.model import load_model

        return load_model(Path(artifact)).scorer()


def _when(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None


def _baseline(manifest: dict[str, Any]) -> dict[str, Any]:
    baseline = manifest.get("baseline")
    return baseline if isinstance(baseline, dict) else {}
