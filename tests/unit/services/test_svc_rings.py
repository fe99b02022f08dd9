"""Ring detection over hand-made link graphs: what ties accounts, what does not, and reviews."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.graph import ScipyGraphEngine
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.actions import ActionKind, ActionStatus
from garrison.domain.cases import DEFAULT_QUEUES
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.graph import LinkPolicy, Strength
from garrison.domain.ids import EventId, LabelId, QueueName
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.rings import RingMethod
from garrison.domain.webhooks import RetryPolicy
from garrison.services.dispatch import Dispatcher
from garrison.services.investigate import record_links
from garrison.services.review import ensure_queues
from garrison.services.rings import RingService, RingSettings

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
Seen = dict[str, str]


class Graph:
    """A memory store fed with events, and a ring service over it."""

    def __init__(self, *, leiden: bool = True, policy: LinkPolicy | None = None) -> None:
        self.store = MemoryStore()
        self.clock = ManualClock(T0)
        self.ids = SequentialIds()
        ensure_queues(self.store.uow, DEFAULT_QUEUES)
        settings = RingSettings(policy=policy or LinkPolicy())
        engine = ScipyGraphEngine(use_leiden=leiden)
        self.rings = RingService(self.store.uow, engine, self.clock, self.ids, settings)
        self._n = 0

    def see(self, account: str, minutes: float = 0, **entities: str) -> None:
        self._n += 1
        refs = {EntityKind(k): v for k, v in entities.items()}
        refs[EntityKind.ACCOUNT] = account
        event = Event(
            EventId(f"evt_{self._n}"), "account.login", T0 + timedelta(minutes=minutes), refs, {}
        )
        with self.store.uow() as uow:
            record_links(uow, event)
            uow.commit()

    def members(self) -> list[set[str]]:
        with self.store.uow() as uow:
            found = uow.rings.list(min_size=2, limit=100)
        return sorted(({m.id for m in r.members} for r in found), key=sorted)


def _farm(graph: Graph, names: Iterable[str], **shared: str) -> None:
    for n, name in enumerate(names):
        graph.see(name, minutes=n * 5, org=f"org_{name}", **shared)


def test_accounts_of_different_orgs_on_one_device_are_a_ring() -> None:
    graph = Graph()
    _farm(graph, ["a1", "a2", "a3", "a4"], device="dev_farm")
    graph.see("loner", device="dev_own", ip="198.51.100.1", org="org_loner")
    found = graph.rings.detect()
    assert (found.rings, found.accounts) == (1, 5)
    assert graph.members() == [{"a1", "a2", "a3", "a4"}]
    with graph.store.uow() as uow:
        ring = uow.rings.list(min_size=2, limit=1)[0]
    assert ring.method is RingMethod.STRONG
    assert [(str(s.ref), s.strength, s.owners) for s in ring.infrastructure] == [
        ("device:dev_farm", Strength.STRONG, 4)
    ]
    assert ring.burst == 4 and ring.first_seen == T0
    assert ring.members[0] == EntityRef(EntityKind.ACCOUNT, "a1")


def test_a_risky_ring_opens_one_review_in_the_fraud_queue() -> None:
    graph = Graph()
    _farm(graph, [f"f{n}" for n in range(6)], device="dev_farm", ip="203.0.113.7")
    found = graph.rings.detect()
    assert found.flagged == 1
    with graph.store.uow() as uow:
        ring = uow.rings.list(min_size=2, limit=1)[0]
        planned = uow.actions.planned(10)
    assert ring.risk.score >= 0.5 and ring.flagged_at == T0
    assert len(planned) == 1
    action = planned[0]
    assert action.kind is ActionKind.ENQUEUE_REVIEW
    assert action.subject == ring.riskiest_member
    assert dict(action.params) == {"queue": "fraud", "ring": ring.id}
    dispatcher = Dispatcher(
        graph.store.uow,
        RecordingTransport(),
        graph.clock,
        graph.ids,
        webhook=None,
        retry=RetryPolicy(3, 1.0),
    )
    assert dispatcher.run_once().cases_opened == 1
    with graph.store.uow() as uow:
        case = uow.cases.open_for(ring.riskiest_member)
        assert case is not None and case.queue == QueueName("fraud")
        assert uow.actions.get(action.id) is not None
        assert uow.actions.get(action.id).status is ActionStatus.EXECUTED  # type: ignore[union-attr]
    again = graph.rings.detect()
    assert again.flagged == 0
    with graph.store.uow() as uow:
        assert uow.actions.planned(10) == []
        assert uow.rings.get(ring.id).flagged_at == T0  # type: ignore[union-attr]


def test_colleagues_sharing_office_ips_and_cards_are_not_a_ring() -> None:
    graph = Graph()
    for name in ("c1", "c2", "c3"):
        graph.see(name, org="org_acme", ip="192.0.2.10", payment_method="pm_corp")
    assert graph.rings.detect().rings == 0


def test_a_hub_links_nothing() -> None:
    graph = Graph(policy=LinkPolicy(hub_size=10))
    for n in range(11):
        graph.see(f"h{n}", org=f"org_{n}", device="dev_kiosk")
    assert graph.rings.detect().rings == 0
    graph.see("h11", org="org_11", payment_method="pm_x")
    graph.see("h0", payment_method="pm_x")
    assert graph.rings.detect().rings == 1
    assert graph.members() == [{"h0", "h11"}]


@pytest.mark.parametrize("leiden", [True, False], ids=["leiden", "components"])
def test_weak_links_join_strongly_linked_groups(leiden: bool) -> None:
    graph = Graph(leiden=leiden)
    _farm(graph, ["a1", "a2"], device="dev_a", ip="203.0.113.1")
    _farm(graph, ["b1", "b2"], device="dev_b", ip="203.0.113.1")
    graph.see("a1", ip="203.0.113.2")
    graph.see("b1", ip="203.0.113.2")
    graph.rings.detect()
    assert graph.members() == [{"a1", "a2", "b1", "b2"}]
    with graph.store.uow() as uow:
        ring = uow.rings.list(min_size=2, limit=1)[0]
    assert ring.method is RingMethod.COMMUNITY
    assert [s.strength for s in ring.infrastructure][:2] == [Strength.STRONG, Strength.STRONG]
    assert {str(s.ref) for s in ring.infrastructure} >= {"ip:203.0.113.1", "ip:203.0.113.2"}


def test_ips_alone_make_a_ring_only_when_allowed() -> None:
    def shared_ips(graph: Graph) -> None:
        _farm(graph, ["p1", "p2", "p3"], ip="203.0.113.5")
        for name in ("p1", "p2"):
            graph.see(name, ip="203.0.113.6")
            graph.see(name, ip="203.0.113.7")

    strict = Graph()
    shared_ips(strict)
    assert strict.rings.detect().rings == 0
    loose = Graph(policy=LinkPolicy(weak_only_rings=True))
    shared_ips(loose)
    loose.rings.detect()
    assert loose.members() == [{"p1", "p2"}], "p3 shares only one IP with them"


@pytest.mark.parametrize("leiden", [True, False], ids=["leiden", "components"])
def test_one_shared_home_ip_does_not_pull_a_bystander_into_a_ring(leiden: bool) -> None:
    graph = Graph(leiden=leiden)
    _farm(graph, ["a1", "a2", "a3"], device="dev_a")
    graph.see("a1", ip="198.51.100.77")
    graph.see("neighbour", org="org_n", ip="198.51.100.77")
    graph.rings.detect()
    assert graph.members() == [{"a1", "a2", "a3"}]


def test_gmail_variants_of_one_mailbox_link_accounts() -> None:
    graph = Graph()
    graph.see("m1", org="org_1", email="Jane.Roe@gmail.com")
    graph.see("m2", org="org_2", email="janeroe+trial2@googlemail.com")
    graph.see("m3", org="org_3", email="jane.roe@example.com")
    graph.rings.detect()
    assert graph.members() == [{"m1", "m2"}]


def test_labelled_members_raise_the_risk_and_become_the_case_subject() -> None:
    graph = Graph()
    _farm(graph, ["x1", "x2"], device="dev_x")
    graph.rings.detect()
    with graph.store.uow() as uow:
        before = uow.rings.list(min_size=2, limit=1)[0]
        uow.labels.add(
            Label(
                LabelId("lbl_1"),
                EntityRef(EntityKind.ACCOUNT, "x2"),
                "fraud.trial_farming",
                LabelValue.VIOLATING,
                Provenance.REVIEW,
                "person:rev",
                T0,
            )
        )
        uow.commit()
    assert before.flagged_at is None
    graph.rings.detect()
    with graph.store.uow() as uow:
        after = uow.rings.list(min_size=2, limit=1)[0]
        planned = uow.actions.planned(10)
    assert after.id == before.id
    assert after.risk.score > before.risk.score
    assert after.labelled_bad == (EntityRef(EntityKind.ACCOUNT, "x2"),)
    assert [a.subject.id for a in planned] == ["x2"]


def test_detection_is_audited_and_empty_graphs_are_fine() -> None:
    graph = Graph()
    assert graph.rings.detect().rings == 0
    with graph.store.uow() as uow:
        record = uow.audit.last()
    assert record is not None and record.action == "rings.detect"
    assert record.details["rings"] == 0
