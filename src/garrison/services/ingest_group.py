"""Group commit: concurrent calls to ingest one event share a transaction.

A web server answers many single-event requests at once, and on SQLite most of an event's cost
is its commit and its turn at the write lock. A call that arrives while another is being
processed waits in a queue; when that one is done, the first waiting call takes everything
queued (up to `max_batch` events) through one batch (one unit of work, one commit) and hands
each caller its own outcome. A call that finds nobody busy is processed at once, alone, exactly
as before: nothing waits for company. Each event's outcome is what it would get alone (see
`IngestService.process_batch`): replays, conflicts and errors stay per event.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


@dataclass(slots=True)
class _Call(Generic[Item, Outcome]):
    item: Item
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    """Set when this call is to process the queue (it arrived first, or was handed the turn)."""
    outcome: Outcome | None = None
    failure: BaseException | None = None


class GroupCommit(Generic[Item, Outcome]):
    """Runs `run` over the items of calls that overlap in time; one outcome per item."""

    def __init__(
        self, run: Callable[[Sequence[Item]], Sequence[Outcome]], *, max_batch: int = 100
    ) -> None:
        self._run = run
        self._max = max_batch
        self._lock = threading.Lock()
        self._queue: deque[_Call[Item, Outcome]] = deque()
        self._busy = False

    def submit(self, item: Item) -> Outcome:
        """The item's outcome; raises what `run` raised for the group it was in."""
        call: _Call[Item, Outcome] = _Call(item)
        with self._lock:
            if self._busy:
                self._queue.append(call)
            else:
                self._busy = call.lead = True
        if not call.lead:
            call.done.wait()
        if call.lead:
            self._lead(call)
        if call.failure is not None:
            raise call.failure
        assert call.outcome is not None
        return call.outcome

    def _lead(self, first: _Call[Item, Outcome]) -> None:
        with self._lock:
            group = [first]
            while self._queue and len(group) < self._max:
                group.append(self._queue.popleft())
        try:
            outcomes = self._run([call.item for call in group])
            for call, outcome in zip(group, outcomes, strict=True):
                call.outcome = outcome
        except Exception as failure:  # noqa: BLE001 - re-raised in every caller of the group
            for call in group:
                call.failure = failure
        finally:
            for call in group:
                if call.outcome is None and call.failure is None:
                    call.failure = RuntimeError("interrupted before the group was processed")
            self._hand_over()
            for call in group[1:]:
                call.done.set()

    def _hand_over(self) -> None:
        """Give the turn to the first waiting call, or mark the queue idle."""
        with self._lock:
            if not self._queue:
                self._busy = False
                return
            following = self._queue.popleft()
        following.lead = True
        following.done.set()
