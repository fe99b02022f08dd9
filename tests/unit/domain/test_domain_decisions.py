import itertools
from datetime import UTC, datetime

from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.decisions import ScorePolicy, decide, plan_actions
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import ActionId, DecisionId, EventId
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict, strongest

T0 = datetime(2026, 1, 1, tzinfo=UTC)
POLICY = ScorePolicy()


def event(**entities: str) -> Event:
    ents = {EntityKind(k): v for k, v in entities.items()} or {EntityKind.ACCOUNT: "a1"}
    return Event(EventId("e1"), "payment.attempt", T0, ents, {"amount_usd": 3.0})


def hit(name: str, verdict: Verdict | None = None, score: float = 0.0) -> RuleHit:
    return RuleHit(name, "fraud.test", verdict, score, "because", {})


_counter = itertools.count(1)


def ids() -> ActionId:
    return ActionId(f"act_{next(_counter)}")


def test_precedence_block_beats_everything() -> None:
    assert strongest([Verdict.REVIEW, Verdict.BLOCK, Verdict.CHALLENGE]) is Verdict.BLOCK
    assert strongest([]) is Verdict.ALLOW


def test_no_hits_allows() -> None:
    d = decide(DecisionId("d"), event(), [], policy=POLICY, release_version="r1", decided_at=T0)
    assert (d.verdict, d.score, d.hits) == (Verdict.ALLOW, 0.0, ())
    assert (d.release_version, d.policy_version) == ("r1", POLICY.version)


def test_named_verdict_wins_over_low_score() -> None:
    hits = [hit("a", Verdict.CHALLENGE, 0.1), hit("b", None, 0.2)]
    d = decide(DecisionId("d"), event(), hits, policy=POLICY, release_version="r", decided_at=T0)
    assert d.verdict is Verdict.CHALLENGE
    assert d.score == 0.3


def test_scores_sum_to_thresholds_and_cap_at_one() -> None:
    hits = [hit("a", None, 0.3), hit("b", None, 0.3)]
    d = decide(DecisionId("d"), event(), hits, policy=POLICY, release_version="r", decided_at=T0)
    assert d.verdict is Verdict.REVIEW
    hits = [hit("a", None, 0.7), hit("b", None, 0.7)]
    d = decide(DecisionId("d"), event(), hits, policy=POLICY, release_version="r", decided_at=T0)
    assert (d.verdict, d.score) == (Verdict.BLOCK, 1.0)


def test_review_verdict_always_plans_an_enqueue_review_of_the_subject() -> None:
    h = hit("a", Verdict.REVIEW)
    e = event(account="a1", ip="1.2.3.4")
    d = decide(DecisionId("d"), e, [h], policy=POLICY, release_version="r", decided_at=T0)
    actions = plan_actions(d, e, [], policy=POLICY, new_id=ids)
    assert [(a.kind, str(a.subject), a.params["queue"]) for a in actions] == [
        (ActionKind.ENQUEUE_REVIEW, "account:a1", "default")
    ]
    assert actions[0].decision_id == "d" and actions[0].policy == "fraud.test"


def test_actions_dedupe_by_kind_and_target_and_honour_targets() -> None:
    h = hit("a", Verdict.BLOCK)
    e = event(account="a1", api_key="k1")
    d = decide(DecisionId("d"), e, [h], policy=POLICY, release_version="r", decided_at=T0)
    wanted = [
        (h, ActionTemplate(ActionKind.SUSPEND_ACCOUNT)),
        (h, ActionTemplate(ActionKind.SUSPEND_ACCOUNT)),
        (h, ActionTemplate(ActionKind.REVOKE_API_KEY, target=EntityRef(EntityKind.API_KEY, "k1"))),
        (h, ActionTemplate(ActionKind.ENQUEUE_REVIEW, {"queue": "fraud"})),
    ]
    actions = plan_actions(d, e, wanted, policy=POLICY, new_id=ids)
    assert [(a.kind.value, str(a.subject)) for a in actions] == [
        ("suspend_account", "account:a1"),
        ("revoke_api_key", "api_key:k1"),
        ("enqueue_review", "account:a1"),
    ]
    assert actions[2].params == {"queue": "fraud"}


def test_event_without_subject_plans_nothing() -> None:
    e = Event(EventId("e"), "x", T0, {}, {})
    d = decide(
        DecisionId("d"),
        e,
        [hit("a", Verdict.REVIEW)],
        policy=POLICY,
        release_version="r",
        decided_at=T0,
    )
    assert plan_actions(d, e, [], policy=POLICY, new_id=ids) == ()


def test_subject_precedence_and_fingerprint() -> None:
    e = event(ip="1.1.1.1", api_key="k", account="a")
    assert str(e.subject) == "account:a"
    same = Event(
        e.id, e.type, e.occurred_at, dict(reversed(list(e.entities.items()))), e.attributes
    )
    assert same.fingerprint() == e.fingerprint()
    other = Event(e.id, e.type, e.occurred_at, e.entities, {"amount_usd": 4.0})
    assert other.fingerprint() != e.fingerprint()
