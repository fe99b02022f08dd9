"""Search results as data an analyst may see (personal data redacted unless allowed) and CSV.

`shown_event` is the one place a search result is redacted: the API, the CLI, the console and
the CSV export all go through it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from garrison.domain.entities import EntityRef
from garrison.domain.entity_labels import parse_ttl
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event, JsonValue
from garrison.domain.redaction import redact_id, redact_value

CSV_COLUMNS = ("id", "type", "occurred_at", "subject", "entities", "attributes")


def shown_event(event: Event, *, reveal: bool) -> dict[str, JsonValue]:
    """The event as JSON-ready data; emails and IPs redacted unless `reveal`."""
    entities: dict[str, JsonValue] = {
        kind.value: ident if reveal else redact_id(EntityRef(kind, ident))
        for kind, ident in sorted(event.entities.items())
    }
    attributes = dict(event.attributes) if reveal else redact_value(dict(event.attributes))
    subject = event.subject
    return {
        "id": event.id,
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "subject": None if subject is None else shown_ref(subject, reveal=reveal),
        "entities": entities,
        "attributes": attributes,
    }


def shown_ref(ref: EntityRef, *, reveal: bool) -> str:
    return str(ref) if reveal else f"{ref.kind}:{redact_id(ref)}"


def events_csv(events: Iterable[Event], *, reveal: bool) -> Iterator[str]:
    """A header line, then one CSV line per event (entities as `kind:id` joined by spaces,
    attributes as JSON)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def line(row: Iterable[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    for event in events:
        shown = shown_event(event, reveal=reveal)
        entities = shown["entities"]
        assert isinstance(entities, dict)
        yield line(
            (
                shown["id"],
                shown["type"],
                shown["occurred_at"],
                shown["subject"] or "",
                " ".join(f"{k}:{v}" for k, v in entities.items()),
                json.dumps(shown["attributes"], sort_keys=True, separators=(",", ":")),
            )
        )


def parse_since(text: str, now: datetime, *, field: str = "since") -> datetime:
    """A look-back like `7d` (from `now`), or an ISO 8601 time with its offset."""
    text = text.strip()
    if text and text[-1] in "smhdw" and text[:-1].isdigit():
        return now - timedelta(seconds=parse_ttl(text, field=field))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is neither a look-back like '7d' nor an ISO 8601 time", field=field
        ) from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{text!r} has no time zone (add Z or +00:00)", field=field)
    return parsed.astimezone(UTC)
