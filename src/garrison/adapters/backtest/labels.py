"""Label files for scoring a backtest, read into `GroundLabels`.

Accepted shapes:

- JSON lines (`.jsonl`) or a JSON array: `{"entity": "account:a1", "label": "violating"}` with
  `label` one of `violating`/`not_violating`, 1/0 or true/false, and an optional `policy`;
- CSV with a header naming `entity`, `label` and optionally `policy`;
- a simulation's ground truth (`garrison simulate` writes it): every entity listed is violating
  and every other subject seen is not (a closed world).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from garrison.domain.entities import EntityRef
from garrison.domain.errors import GarrisonError, InvalidInput
from garrison.services.backtest import GroundLabel, GroundLabels

_TRUE = {"violating", "1", "true", "yes", "positive"}
_FALSE = {"not_violating", "0", "false", "no", "negative", "benign"}


def read_labels(path: Path) -> GroundLabels:
    """The labels in `path`; a bad entry raises InvalidInput naming its line (or index)."""
    text = path.read_text(encoding="utf-8")
    name = path.name.lower()
    if name.endswith(".csv"):
        return GroundLabels(tuple(_csv(text, path)))
    if name.endswith(".jsonl"):
        return GroundLabels(tuple(_json_lines(text, path)))
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return GroundLabels(tuple(_json_lines(text, path)))
    if isinstance(data, dict) and isinstance(data.get("entities"), list):
        return _ground_truth(data, path)
    if isinstance(data, list):
        return GroundLabels(tuple(_label(item, f"{path}[{i}]") for i, item in enumerate(data)))
    raise InvalidInput(
        f"{path}: expected labels (JSON lines, CSV or a ground truth)", field="labels"
    )


def _json_lines(text: str, path: Path) -> Iterable[GroundLabel]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise InvalidInput(
                f"{path}:{number}: not valid JSON ({error})", field="labels"
            ) from None
        yield _label(item, f"{path}:{number}")


def _csv(text: str, path: Path) -> Iterable[GroundLabel]:
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    if not {"entity", "label"} <= fields:
        raise InvalidInput(f"{path}:1: the header needs 'entity' and 'label'", field="labels")
    for row in reader:
        item = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        yield _label(item, f"{path}:{reader.line_num}")


def _label(item: Any, where: str) -> GroundLabel:
    if not isinstance(item, Mapping):
        raise InvalidInput(f"{where}: a label is an object with entity and label", field="labels")
    try:
        entity = str(EntityRef.parse(str(item.get("entity", "")), field="entity"))
    except GarrisonError as error:
        raise InvalidInput(f"{where}: {error.message}", field="labels") from None
    policy = item.get("policy") or None
    return GroundLabel(entity, _verdict(item.get("label"), where), str(policy) if policy else None)


def _verdict(value: Any, where: str) -> bool:
    text = str(value).strip().lower() if value is not None else ""
    if isinstance(value, bool):
        return value
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    reason = f"{where}: label {value!r} is not violating/not_violating, 1/0 or true/false"
    raise InvalidInput(reason, field="labels")


def _ground_truth(data: Mapping[str, Any], path: Path) -> GroundLabels:
    labels = []
    for index, item in enumerate(data["entities"]):
        if not isinstance(item, Mapping) or "entity" not in item:
            raise InvalidInput(f"{path}: entities[{index}] has no 'entity'", field="labels")
        try:
            entity = str(EntityRef.parse(str(item["entity"])))
        except GarrisonError as error:
            raise InvalidInput(
                f"{path}: entities[{index}]: {error.message}", field="labels"
            ) from None
        labels.append(GroundLabel(entity, True))
    return GroundLabels(tuple(labels), closed_world=True)
