"""Which label counts when labels disagree, and which disagreements need an adjudicator.

Labels are about a (subject, policy). A violating label names the policy it breaks; a
not-violating label with no policy clears the subject of every policy. Two labels about the same
subject and policy with different values are a conflict, until an adjudication label newer than
all of them settles it. Golden-set labels are the known answers reviewers are tested against,
so they are evidence, not votes: they never open a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from garrison.domain.entities import EntityRef
from garrison.domain.labels import Label, LabelValue, Provenance

NOT_VIOLATING = "not_violating"


def category_of(value: LabelValue, policy: str | None) -> str:
    """The nominal category agreement statistics compare: the policy broken, or not_violating."""
    if value is LabelValue.VIOLATING:
        return policy or "violating"
    return NOT_VIOLATING


def covers(label_policy: str | None, policy: str) -> bool:
    """Whether a label about `label_policy` speaks about `policy` (None, equal, or a parent)."""
    return label_policy is None or policy == label_policy or policy.startswith(label_policy + ".")


@dataclass(frozen=True, slots=True)
class LabelConflict:
    """Labels about one subject and policy that disagree, newest first."""

    subject: EntityRef
    policy: str
    labels: tuple[Label, ...]

    @property
    def key(self) -> str:
        return f"{self.subject}|{self.policy}"


def effective(labels: Sequence[Label], policy: str) -> Label | None:
    """The label that counts for `policy`: the newest adjudication that covers it, else the
    golden answer, else the newest label that covers it. `labels` are one subject's."""
    relevant = sorted(
        (x for x in labels if covers(x.policy, policy)),
        key=lambda x: (x.created_at, x.id),
        reverse=True,
    )
    for settled in (Provenance.ADJUDICATION, Provenance.GOLDEN):
        found = next((x for x in relevant if x.provenance is settled), None)
        if found is not None:
            return found
    return relevant[0] if relevant else None


def conflicts(labels: Iterable[Label]) -> list[LabelConflict]:
    """Open conflicts among these labels, by subject then policy."""
    by_subject: dict[EntityRef, list[Label]] = defaultdict(list)
    for label in labels:
        by_subject[label.subject].append(label)
    found: list[LabelConflict] = []
    for subject in sorted(by_subject):
        found.extend(_subject_conflicts(subject, by_subject[subject]))
    return found


def _subject_conflicts(subject: EntityRef, labels: list[Label]) -> list[LabelConflict]:
    policies = sorted({x.policy for x in labels if x.policy is not None})
    found: list[LabelConflict] = []
    for policy in policies:
        votes = (x for x in labels if x.provenance is not Provenance.GOLDEN)
        relevant = sorted(
            (x for x in votes if covers(x.policy, policy)),
            key=lambda x: (x.created_at, x.id),
            reverse=True,
        )
        if relevant and relevant[0].provenance is Provenance.ADJUDICATION:
            continue
        since = next(
            (i for i, x in enumerate(relevant) if x.provenance is Provenance.ADJUDICATION),
            len(relevant),
        )
        open_labels = relevant[:since]
        if len({x.value for x in open_labels}) > 1:
            found.append(LabelConflict(subject, policy, tuple(open_labels)))
    return found
