"""Active learning: the items the models are least sure about go to the labelling queue.

Input is generic: (subject, model, score) rows, for example the shadow or live scores a model
store keeps. The reviewers' resolutions become labels like any other case, and retraining reads
them from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from garrison.domain.access import Permission, Principal
from garrison.domain.cases import Case, CaseStatus
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import CaseId, QueueName
from garrison.domain.qa import QaItem, QaItemId, QaKind
from garrison.domain.uncertainty import ScoredItem, Strategy, least_certain
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.qa import LABELLING_QUEUE
from garrison.services.unit_of_work import UnitOfWorkFactory

MAX_K = 1000


@dataclass(frozen=True, slots=True)
class Enqueued:
    items: tuple[QaItem, ...]
    skipped: int
    """Chosen items not enqueued: already enqueued for that model, or the subject has an open
    case (it is being reviewed anyway)."""


class ActiveLearning:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids

    def enqueue_uncertain(
        self,
        principal: Principal,
        scores: Iterable[ScoredItem],
        k: int,
        *,
        strategy: Strategy = Strategy.MARGIN,
        threshold: float = 0.5,
        queue: QueueName = LABELLING_QUEUE,
    ) -> Enqueued:
        """Send the `k` least certain (subject, model) scores to `queue` as cases."""
        principal.require(Permission.MANAGE_QUALITY)
        if not 1 <= k <= MAX_K:
            raise InvalidInput(f"k is between 1 and {MAX_K}", field="k")
        if not 0.0 < threshold < 1.0:
            raise InvalidInput("threshold is between 0 and 1, exclusive", field="threshold")
        try:
            chosen = least_certain(scores, k, strategy, threshold)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="score") from None
        now = self._clock.now()
        made: list[QaItem] = []
        with self._uow() as uow:
            if uow.queues.get(queue) is None:
                raise NotFound(f"no queue named {queue!r}", field="queue")
            keys = [_key(item) for item, _ in chosen]
            taken = uow.quality.has_keys(QaKind.UNCERTAIN, keys)
            for item, _ in chosen:
                if _key(item) in taken or uow.cases.open_for(item.subject) is not None:
                    continue
                case = Case(
                    CaseId(self._ids.new("case")), queue, item.subject, CaseStatus.OPEN, 0, now, now
                )
                uow.cases.add(case)
                qa = QaItem(
                    QaItemId(self._ids.new("qa")),
                    QaKind.UNCERTAIN,
                    _key(item),
                    case.id,
                    queue,
                    item.subject,
                    now,
                    source=item.model,
                    score=item.score,
                )
                uow.quality.add_item(qa)
                made.append(qa)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="qa.uncertain",
                target=str(queue),
                details={"chosen": len(chosen), "enqueued": len(made), "strategy": strategy.value},
            )
            uow.commit()
        return Enqueued(tuple(made), len(chosen) - len(made))


def _key(item: ScoredItem) -> str:
    return f"{item.model}|{item.subject}"


def rows_of(rows: Sequence[tuple[str, str, float]]) -> list[ScoredItem]:
    """(subject `kind:id`, model, score) tuples as scored items; bad input names its row."""
    found: list[ScoredItem] = []
    for n, (subject, model, score) in enumerate(rows, start=1):
        if not model:
            raise InvalidInput(f"row {n}: the model is missing", field=f"row {n}: model")
        found.append(ScoredItem(EntityRef.parse(subject, field=f"row {n}: subject"), model, score))
    return found
