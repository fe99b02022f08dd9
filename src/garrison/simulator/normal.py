"""Benign traffic: a Poisson stream of activity over an established population, plus new signups.

Most orgs are free, some pay as they go, a few are enterprise; bigger tiers are more active. Usage
comes from each org's stable IPs; payments are occasional and nearly always approved; content is
benign (with a little classifier noise) and user reports are rare. A little realistic noise is
kept on purpose (declines, travellers, a few disposable emails) so that detection is not trivial.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
from collections import deque
from collections.abc import Iterator

from garrison.domain.entities import Tier
from garrison.simulator import drafts, texts
from garrison.simulator.drafts import Draft
from garrison.simulator.world import Account, Org, World

ACTIVITY = {Tier.FREE: 1.0, Tier.PAY_AS_YOU_GO: 5.0, Tier.ENTERPRISE: 20.0}
TOKENS = {Tier.FREE: 700.0, Tier.PAY_AS_YOU_GO: 2500.0, Tier.ENTERPRISE: 9000.0}
KINDS = ("usage", "content", "login", "payment", "signup", "project", "report")
KIND_WEIGHTS = (72.0, 12.0, 7.0, 3.0, 2.0, 1.0, 1.0)
KIND_EVENTS = (1, 1, 1, 1, 5, 2, 1)
EVENTS_PER_ACTIVITY = sum(w * n for w, n in zip(KIND_WEIGHTS, KIND_EVENTS, strict=True)) / sum(
    KIND_WEIGHTS
)
EVENTS_PER_ORG = 25
"""Average events an established org produces over the run; sets the population size."""


class NormalTraffic:
    """Benign platform activity at `rate` events per second for `duration_s` seconds."""

    def __init__(self, world: World, rng: random.Random, rate: float, duration_s: float) -> None:
        self.world, self.rng = world, rng
        self.rate, self.duration_s = rate, duration_s
        self.orgs: list[Org] = []
        self._cumulative: list[float] = []
        self._paying: list[Org] = []
        self._recent_content: deque[tuple[str, str]] = deque(maxlen=500)
        expected = rate * duration_s
        for _ in range(max(12, min(50_000, int(expected / EVENTS_PER_ORG)))):
            self._add(world.org(self._tier()))

    @property
    def accounts(self) -> list[Account]:
        return [a for org in self.orgs for a in org.accounts]

    def drafts(self) -> Iterator[Draft]:
        """Drafts in time order; follow-ups of an activity (an onboarding) are queued."""
        pending: list[tuple[float, int, Draft]] = []
        counter = itertools.count()
        t = 0.0
        while True:
            t += self.rng.expovariate(self.rate / EVENTS_PER_ACTIVITY)
            while pending and pending[0][0] <= t:
                yield heapq.heappop(pending)[2]
            if t >= self.duration_s:
                break
            for draft in self._activity(t):
                if draft.t < self.duration_s:
                    heapq.heappush(pending, (draft.t, next(counter), draft))
        while pending:
            yield heapq.heappop(pending)[2]

    def _tier(self) -> Tier:
        return self.rng.choices(list(Tier), (80.0, 17.0, 3.0))[0]

    def _add(self, org: Org) -> None:
        self.orgs.append(org)
        total = self._cumulative[-1] if self._cumulative else 0.0
        self._cumulative.append(total + ACTIVITY[org.tier])
        if org.tier is not Tier.FREE:
            self._paying.append(org)

    def _pick_org(self) -> Org:
        point = self.rng.random() * self._cumulative[-1]
        return self.orgs[bisect.bisect_right(self._cumulative, point)]

    def _activity(self, t: float) -> list[Draft]:
        kind = self.rng.choices(KINDS, KIND_WEIGHTS)[0]
        if kind == "signup":
            return self._signup(t)
        org = self._pick_org()
        if kind == "content":
            return [self._content(t, org)]
        if kind == "login":
            return [self._login(t, org)]
        if kind == "payment" and self._paying:
            return [self._payment(t, self.rng.choice(self._paying))]
        if kind == "project":
            return self._project(t, org)
        if kind == "report" and len(self._recent_content) > 1:
            return [self._report(t)]
        return [self._usage(t, org)]

    def _usage(self, t: float, org: Org) -> Draft:
        rng = self.rng
        paid = org.tier is not Tier.FREE
        weights = [m.weight_paid if paid else m.weight_free for m in texts.MODELS]
        model = rng.choices(texts.MODELS, weights)[0]
        tokens = max(20, int(rng.lognormvariate(0, 0.8) * TOKENS[org.tier]))
        return drafts.usage(t, org, rng.choice(org.keys), rng.choice(org.ips), model, tokens)

    def _content(self, t: float, org: Org) -> Draft:
        rng = self.rng
        key = rng.choice(org.keys)
        language = texts.COUNTRY_BY_CODE[org.country].language
        if rng.random() < 0.02:
            body, category = rng.choice(texts.FALSE_POSITIVE_TEXTS)
            text = drafts.Text(body, "en", rng.uniform(0.45, 0.8), category)
        else:
            body = rng.choice(texts.BENIGN_TEXTS.get(language, texts.BENIGN_TEXTS["en"]))
            text = drafts.Text(body, language, rng.betavariate(1.2, 30.0), "none")
        content_id = self.world.new_id("cnt")
        self._recent_content.append((content_id, key.account.id))
        return drafts.content(t, org, key, content_id, text)

    def _login(self, t: float, org: Org) -> Draft:
        account = self.rng.choice(org.accounts)
        if self.rng.random() < 0.05:
            ip = self.world.ip(self.world.other_country(org.country))
        else:
            ip = self.rng.choice(org.ips)
        return drafts.login(t, account, ip)

    def _payment(self, t: float, org: Org) -> Draft:
        rng = self.rng
        if rng.random() < 0.02:
            org.cards.append(self.world.card(self.world.other_country(org.country)))
        card = rng.choice(org.cards)
        low, high = (500.0, 5000.0) if org.tier is Tier.ENTERPRISE else (10.0, 200.0)
        declined = rng.random() < 0.04
        code = (
            rng.choice(("insufficient_funds", "card_declined", "expired_card"))
            if declined
            else None
        )
        account = org.owner
        return drafts.payment(
            t, account, org, card, rng.choice(org.ips), rng.uniform(low, high), code
        )

    def _signup(self, t: float) -> list[Draft]:
        rng = self.rng
        tier = Tier.PAY_AS_YOU_GO if rng.random() < 0.15 else Tier.FREE
        org = self.world.org(tier, disposable=rng.random() < 0.01)
        gaps = [rng.uniform(2, 30), rng.uniform(10, 300), rng.uniform(5, 120)]
        onboarding = drafts.onboarding(t, org, org.ips[0], gaps)
        self._add(org)
        first_use = onboarding[-1].t + rng.uniform(30, 600)
        return [*onboarding, self._usage(first_use, org)]

    def _project(self, t: float, org: Org) -> list[Draft]:
        account = self.rng.choice(org.accounts)
        project = self.world.project(org)
        key = self.world.api_key(org, account, project)
        later = t + self.rng.uniform(5, 90)
        return [
            drafts.project_created(t, org, project, account),
            drafts.api_key_created(later, org, key),
        ]

    def _report(self, t: float) -> Draft:
        rng = self.rng
        content_id, reported = rng.choice(self._recent_content)
        reporter = rng.choice(self._pick_org().accounts).id
        if reporter == reported:
            reporter = rng.choice(self._pick_org().accounts).id
        reason, body = rng.choice(texts.BENIGN_REPORTS)
        return drafts.report(t, reported, content_id, reporter, reason, body)
