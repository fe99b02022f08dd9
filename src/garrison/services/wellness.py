"""Reviewer wellness: opt-outs, daily exposure budgets, audited reveals and break prompts.

`may_receive(reviewer, category)` is the question routing asks before it hands a reviewer a
case: the claims code and the console's "next case" both consult it. Exposure is counted
when a reviewer reveals masked content; a reveal is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from garrison.domain.access import Permission, Principal
from garrison.domain.decisions import Decision
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import CaseId, PrincipalId
from garrison.domain.policies import Taxonomy, lineage
from garrison.domain.wellness import (
    ExposureToday,
    ReviewerSettings,
    WellnessRules,
    break_due,
    category_of,
    check_opt_outs,
    exposure_day,
    is_severe,
    refusal,
)
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

REVIEWED = "@reviewed"
"""The exposure counter of items a reviewer finished (policy ids never start with '@')."""
MAX_ITEM = 200


@dataclass(frozen=True, slots=True)
class Budget:
    category: str
    used: int
    limit: int

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True, slots=True)
class WellnessToday:
    """A reviewer's own view: settings, items done, severe exposure, whether to take a break."""

    settings: ReviewerSettings
    reviewed: int
    budgets: tuple[Budget, ...]
    break_due: bool
    rules: WellnessRules


class WellnessService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, rules: WellnessRules) -> None:
        self._uow = uow_factory
        self._clock = clock
        self.rules = rules

    def settings(self, principal: Principal) -> ReviewerSettings:
        with self._uow() as uow:
            return _settings(uow, principal.id)

    def save_settings(
        self, principal: Principal, *, opted_out: Iterable[str], reveal_by_default: bool
    ) -> ReviewerSettings:
        """Set the reviewer's own opt-outs (policy ids) and reveal preference."""
        principal.require(Permission.REVIEW_CASES)
        with self._uow() as uow:
            chosen = check_opt_outs(opted_out, uow.taxonomies.latest())
            saved = replace(
                _settings(uow, principal.id),
                opted_out=chosen,
                reveal_by_default=reveal_by_default,
                updated_at=self._clock.now(),
            )
            uow.wellness.save_settings(saved)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="wellness.settings",
                target=f"reviewer:{principal.id}",
                details={"opted_out": sorted(chosen), "reveal_by_default": reveal_by_default},
            )
            uow.commit()
        return saved

    def may_receive(self, reviewer: PrincipalId, category: str) -> bool:
        """Whether routing may hand this reviewer an item of `category` (a policy id) now."""
        return self.refusal(reviewer, [category]) is None

    def refusal(self, reviewer: PrincipalId, policies: Iterable[str]) -> str | None:
        """Why the reviewer should not get an item about these policies; None if they may."""
        with self._uow() as uow:
            taxonomy = uow.taxonomies.latest()
            settings = _settings(uow, reviewer)
            used = uow.wellness.exposure(reviewer, exposure_day(self._clock.now()))
        for policy in dict.fromkeys(policies):
            category = category_of(taxonomy, policy)
            for name in dict.fromkeys((*lineage(taxonomy, policy), category)):
                severe = name == category and is_severe(taxonomy, name)
                why = refusal(settings, used, name, severe=severe, rules=self.rules)
                if why:
                    return why
        return None

    def categories(self, decisions: Sequence[Decision]) -> tuple[str, ...]:
        """The wellness categories of a case, from the policies its rules named."""
        with self._uow() as uow:
            taxonomy = uow.taxonomies.latest()
        return case_categories(taxonomy, decisions)

    def severe(self, categories: Iterable[str]) -> tuple[str, ...]:
        with self._uow() as uow:
            taxonomy = uow.taxonomies.latest()
        return tuple(c for c in categories if is_severe(taxonomy, c))

    def reveal(self, principal: Principal, case_id: CaseId, item: str) -> tuple[str, ...]:
        """Record that the reviewer unmasked one item of a case, and count it against their
        budget for each severe category of the case. Answers the case's categories."""
        principal.require(Permission.READ_CONTENT)
        if not item or len(item) > MAX_ITEM:
            raise InvalidInput("name the item to reveal", field="item")
        with self._uow() as uow:
            case = uow.cases.get(case_id)
            if case is None:
                raise NotFound(f"no case {case_id}", field="case_id")
            taxonomy = uow.taxonomies.latest()
            categories = case_categories(taxonomy, uow.decisions.many(case.decision_ids))
            severe = [c for c in categories if is_severe(taxonomy, c)]
            if severe:
                uow.wellness.expose(principal.id, exposure_day(self._clock.now()), severe)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="case.reveal",
                target=f"case:{case_id}",
                details={"item": item, "categories": list(categories)},
            )
            uow.commit()
        return categories

    def reviewed(self, principal: Principal) -> None:
        """Count one finished item (for the dashboard and break prompts)."""
        now = self._clock.now()
        with self._uow() as uow:
            uow.wellness.expose(principal.id, exposure_day(now), [REVIEWED])
            current = _settings(uow, principal.id)
            uow.wellness.save_settings(
                replace(
                    current,
                    streak_started_at=current.streak_started_at or now,
                    streak_items=current.streak_items + 1,
                )
            )
            uow.commit()

    def take_break(self, principal: Principal) -> None:
        with self._uow() as uow:
            current = _settings(uow, principal.id)
            uow.wellness.save_settings(replace(current, streak_started_at=None, streak_items=0))
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="wellness.break",
                target=f"reviewer:{principal.id}",
            )
            uow.commit()

    def today(self, principal: Principal) -> WellnessToday:
        now = self._clock.now()
        with self._uow() as uow:
            taxonomy = uow.taxonomies.latest()
            settings = _settings(uow, principal.id)
            used = uow.wellness.exposure(principal.id, exposure_day(now))
        return WellnessToday(
            settings,
            used.used(REVIEWED),
            _budgets(taxonomy, used, self.rules),
            break_due(
                items=settings.streak_items,
                since=settings.streak_started_at,
                now=now,
                rules=self.rules,
            ),
            self.rules,
        )


def case_categories(taxonomy: Taxonomy | None, decisions: Sequence[Decision]) -> tuple[str, ...]:
    policies = (hit.policy for d in decisions for hit in d.hits if hit.policy)
    return tuple(dict.fromkeys(category_of(taxonomy, p) for p in policies))


def _budgets(
    taxonomy: Taxonomy | None, used: ExposureToday, rules: WellnessRules
) -> tuple[Budget, ...]:
    severe = [p.id for p in taxonomy.policies if is_severe(taxonomy, p.id)] if taxonomy else []
    top = [c for c in severe if category_of(taxonomy, c) == c]
    return tuple(Budget(c, used.used(c), rules.daily_budget) for c in top)


def _settings(uow: UnitOfWork, reviewer: PrincipalId) -> ReviewerSettings:
    return uow.wellness.settings(reviewer) or ReviewerSettings(reviewer)
