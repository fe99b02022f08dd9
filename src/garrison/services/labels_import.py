"""Label import: CSV or JSON Lines from outside (a vendor, an earlier tool, a labelling study).

Columns / keys: `subject` (`kind:id`, required), `value` (`violating` or `not_violating`,
required), `policy` (required when violating), `author` (who labelled it; default: the importer),
`created_at` (ISO 8601 with a timezone; default: now). Every row is checked before anything is
written: one bad row refuses the whole file, naming its line and field. Rows identical to a
stored label (subject, policy, value, author, time) are skipped, so importing a file twice with
`created_at` set adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.access import Permission, Principal
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.ids import LabelId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWorkFactory

MAX_ROWS = 100_000


class LabelFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class ImportResult:
    read: int
    imported: int
    skipped: int
    """Rows already stored."""


class LabelImporter:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids

    def import_text(
        self, principal: Principal, text: str, fmt: LabelFormat, *, source: str = ""
    ) -> ImportResult:
        principal.require(Permission.MANAGE_QUALITY)
        now = self._clock.now()
        labels = [self._label(line, row, principal.actor, now) for line, row in _rows(text, fmt)]
        if not labels:
            raise InvalidInput("the file has no labels", field="file")
        imported = 0
        with self._uow() as uow:
            for label in labels:
                if any(_same(label, x) for x in uow.labels.for_subject(label.subject)):
                    continue
                uow.labels.add(label)
                imported += 1
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="label.import",
                target="labels",
                details={
                    "format": fmt.value,
                    "rows": len(labels),
                    "imported": imported,
                    "source": source,
                },
            )
            uow.commit()
        return ImportResult(len(labels), imported, len(labels) - imported)

    def _label(self, line: int, row: Mapping[str, object], actor: str, now: datetime) -> Label:
        subject = EntityRef.parse(_text(row, "subject", line) or "", field=f"line {line}: subject")
        raw_value = (_text(row, "value", line) or "").lower()
        try:
            value = LabelValue(raw_value)
        except ValueError:
            raise InvalidInput(
                f"line {line}: value must be violating or not_violating, got {raw_value!r}",
                field=f"line {line}: value",
            ) from None
        policy = _text(row, "policy", line) or None
        if value is LabelValue.VIOLATING and policy is None:
            raise InvalidInput(
                f"line {line}: a violating label names its policy", field=f"line {line}: policy"
            )
        author = _text(row, "author", line) or actor
        created = _time(_text(row, "created_at", line), line) or now
        return Label(
            LabelId(self._ids.new("lbl")),
            subject,
            policy,
            value,
            Provenance.IMPORT,
            author,
            created,
        )


def _rows(text: str, fmt: LabelFormat) -> Iterator[tuple[int, Mapping[str, object]]]:
    if fmt is LabelFormat.CSV:
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or "subject" not in reader.fieldnames:
            raise InvalidInput("the CSV header must name a subject column", field="file")
        for count, row in enumerate(reader, start=1):
            _check_count(count)
            yield reader.line_num, row
        return
    count = 0
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        count += 1
        _check_count(count)
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"line {line}: not JSON ({exc.msg})", field=f"line {line}") from None
        if not isinstance(row, dict):
            raise InvalidInput(f"line {line}: expected a JSON object", field=f"line {line}")
        yield line, row


def _check_count(count: int) -> None:
    if count > MAX_ROWS:
        raise InvalidInput(f"a file holds at most {MAX_ROWS} labels", field="file")


def _text(row: Mapping[str, object], key: str, line: int) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"line {line}: {key} must be text", field=f"line {line}: {key}")
    return value.strip()


def _time(text: str | None, line: int) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidInput(
            f"line {line}: created_at must be ISO 8601 with a timezone, got {text!r}",
            field=f"line {line}: created_at",
        )
    return parsed


def _same(new: Label, old: Label) -> bool:
    return (new.policy, new.value, new.author, new.created_at, new.provenance) == (
        old.policy,
        old.value,
        old.author,
        old.created_at,
        old.provenance,
    )
