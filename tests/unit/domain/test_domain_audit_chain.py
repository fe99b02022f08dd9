from dataclasses import replace
from datetime import UTC, datetime

from garrison.domain.audit import AuditRecord, chain, first_broken

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def build(n: int) -> list[AuditRecord]:
    out: list[AuditRecord] = []
    for i in range(n):
        prev = out[-1] if out else None
        out.append(chain(prev, actor="a", action=f"x{i}", target="t", at=T0, details={"i": i}))
    return out


def test_intact_chain_verifies() -> None:
    records = build(5)
    assert first_broken(records, (5, records[-1].hash)) is None


def test_altered_record_is_named() -> None:
    records = build(5)
    records[2] = replace(records[2], details={"i": 99})
    broken = first_broken(records)
    assert broken is not None and broken.seq == 3


def test_removed_record_is_named() -> None:
    records = build(5)
    del records[1]
    broken = first_broken(records)
    assert broken is not None and broken.seq == 2


def test_removed_tail_is_caught_by_the_head() -> None:
    records = build(5)
    head = (5, records[-1].hash)
    broken = first_broken(records[:-1], head)
    assert broken is not None and broken.seq == 5


def test_rehashed_forgery_breaks_the_link_to_the_next_record() -> None:
    records = build(4)
    forged = chain(records[0], actor="mallory", action="x1", target="t", at=T0, details={})
    records[1] = forged
    broken = first_broken(records)
    assert broken is not None and broken.seq == 3
