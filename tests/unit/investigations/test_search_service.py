"""Search over the event log: the rule language, a time range, a histogram and entities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from investigation_world import ADMIN, ALICE, BOB, T0, VIEWER, container, payments

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidInput, NotFound, PermissionDenied
from garrison.domain.language import RuleError
from garrison.services.search import SearchRequest, bucket_size


def test_ingest_keeps_identity_links_up_to_date() -> None:
    c = container()
    payments(c, 3)
    with c.uow() as uow:
        users = uow.links.accounts_for(EntityRef(EntityKind.PAYMENT_METHOD, "pm_shared"), 10)
    assert [link.account.id for link in users] == ["acct_0", "acct_1", "acct_2"]


def test_a_query_finds_matching_events_with_histogram_and_entities() -> None:
    c = container()
    payments(c, 10)
    request = SearchRequest('type == "payment.attempt" and attr.result == "declined"', T0)
    found = c.search.queries.search(ALICE, request)
    assert found.matched == 5 and found.scanned == 10
    assert [e.id for e in found.events] == ["evt_8", "evt_6", "evt_4", "evt_2", "evt_0"]
    assert sum(b.count for b in found.histogram) == 5
    assert found.bucket_seconds == 1800  # one day in about 48 bars
    counts = {e.ref: e.events for e in found.entities}
    assert counts[EntityRef(EntityKind.PAYMENT_METHOD, "pm_shared")] == 5
    assert counts[EntityRef(EntityKind.ACCOUNT, "acct_4")] == 1


def test_the_time_range_and_limit_bound_the_results() -> None:
    c = container()
    payments(c, 10)
    since, until = T0 + timedelta(hours=2), T0 + timedelta(hours=5)
    found = c.search.queries.search(
        ALICE, SearchRequest('attr.result == "ok"', since, until, limit=1)
    )
    assert found.scanned == 3 and found.matched == 1
    assert [e.id for e in found.events] == ["evt_3"]


def test_velocity_in_a_query_counts_the_events_of_the_range() -> None:
    c = container()
    payments(c, 4)
    query = 'count("payment_method", "1d", "payment.attempt") >= 3'
    found = c.search.queries.search(ALICE, SearchRequest(query, T0))
    assert [e.id for e in found.events] == ["evt_3", "evt_2"]


def test_a_query_that_does_not_parse_says_where() -> None:
    c = container()
    with pytest.raises(RuleError) as caught:
        c.search.queries.search(ALICE, SearchRequest('attr.result ==\n  "ok" and (', T0))
    assert caught.value.field == "expression"
    assert caught.value.line == 2 and caught.value.col >= 1
    assert caught.value.message.startswith("<query>:2:")


def test_unknown_fields_are_refused_with_their_position() -> None:
    c = container()
    with pytest.raises(RuleError) as caught:
        c.search.queries.search(ALICE, SearchRequest('type == "payment.attempt" and attr.nope', T0))
    assert caught.value.col == 31


def test_bad_ranges_and_roles_are_refused() -> None:
    c = container()
    with pytest.raises(InvalidInput) as caught:
        c.search.queries.search(
            ALICE, SearchRequest('type == "payment.attempt"', T0 + timedelta(days=2))
        )
    assert caught.value.field == "since"
    with pytest.raises(PermissionDenied):
        c.search.queries.search(VIEWER, SearchRequest('type == "payment.attempt"', T0))


def test_bucket_sizes_follow_the_range() -> None:
    assert bucket_size(T0, T0 + timedelta(hours=1)) == timedelta(minutes=5)
    assert bucket_size(T0, T0 + timedelta(days=7)) == timedelta(hours=6)
    assert bucket_size(T0, T0 + timedelta(days=30)) == timedelta(days=1)


def test_saved_queries_are_owned_and_shared() -> None:
    c = container()
    saved = c.search.saved
    mine = saved.save(
        ALICE, name="declines", expression='attr.result == "declined"', window="7d", shared=False
    )
    team = saved.save(
        ALICE, name="team", expression='type == "payment.attempt"', window="1d", shared=True
    )
    assert [q.name for q in saved.list(ALICE)] == ["team", "declines"]
    assert [q.name for q in saved.list(BOB)] == ["team"]
    with pytest.raises(NotFound):
        saved.get(BOB, mine.id)
    with pytest.raises(PermissionDenied):
        saved.delete(BOB, team.id)
    request = saved.request(ALICE, mine.id)
    assert request.expression == 'attr.result == "declined"'
    assert request.since == c.clock.now() - timedelta(days=7)
    saved.delete(ADMIN, team.id)
    assert [q.name for q in saved.list(BOB)] == []


def test_a_saved_query_is_checked_before_it_is_stored() -> None:
    c = container()
    with pytest.raises(RuleError):
        c.search.saved.save(ALICE, name="bad", expression="attr.x ==", window="7d", shared=True)
    with pytest.raises(InvalidInput) as caught:
        c.search.saved.save(
            ALICE, name="bad", expression='type == "payment.attempt"', window="forever", shared=True
        )
    assert caught.value.field == "window"
    assert c.search.saved.list(ALICE) == []
