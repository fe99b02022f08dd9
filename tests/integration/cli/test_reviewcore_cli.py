"""`garrison queues`, `garrison cases`, `garrison reports` against a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from garrison.bootstrap import Container
from garrison.domain.access import SYSTEM
from garrison.domain.ids import QueueName

Invoke = Callable[..., Result]


def test_report_next_resolve_and_reputation(migrated: Invoke, container: Container) -> None:
    filed = migrated("reports", "file", "content:post_1", "harassment", "--reporter", "u1")
    assert filed.exit_code == 0, filed.output
    assert "in content" in filed.output
    [case] = container.review.cases(SYSTEM, queue=QueueName("content"))

    nxt = migrated("queues", "next", "content")
    assert nxt.exit_code == 0 and case.id in nxt.output
    assert "nothing waits" in migrated("queues", "next", "content").output
    shown = migrated("cases", "reports", case.id)
    assert "u1" in shown.output and "harassment" in shown.output
    done = migrated(
        "cases", "resolve", case.id, "--outcome", "violating", "--policy", "abuse.harassment"
    )
    assert done.exit_code == 0, done.output
    record = migrated("reports", "show", "u1")
    assert "1 upheld, 0 rejected, reputation 0.67" in record.output


def test_muting_and_bad_input_without_traceback(migrated: Invoke) -> None:
    migrated("reports", "file", "content:p", "spam", "--reporter", "troll")
    assert migrated("reports", "mute", "troll", "--reason", "brigading").exit_code == 0
    muted = migrated("reports", "file", "content:q", "spam", "--reporter", "troll")
    assert "no case (muted)" in muted.output
    assert "troll" in migrated("reports", "muted").output
    unknown = migrated("reports", "mute", "nobody", "--reason", "x")
    assert unknown.exit_code == 1 and "no reporter" in unknown.output
    assert "Traceback" not in unknown.output
    bad = migrated("cases", "claim", "case_404")
    assert bad.exit_code == 1 and "no case case_404" in bad.output


def test_queue_settings_routes_and_sla(migrated: Invoke) -> None:
    made = migrated(
        "queues", "set", "content-de", "--sla", "2h", "--playbook", "de", "--wellness", "graphic"
    )
    assert made.exit_code == 0, made.output
    assert "content-de" in migrated("queues", "list").output
    routed = migrated(
        "queues", "route", "german", "--queue", "content-de", "--position", "1", "--language", "de"
    )
    assert routed.exit_code == 0, routed.output
    assert "german" in migrated("queues", "routes").output
    filed = migrated("reports", "file", "content:x", "spam", "--reporter", "u", "--language", "de")
    assert "in content-de" in filed.output
    assert "no case is near its SLA" in migrated("queues", "sla").output
    assert migrated("queues", "sla", "--warn-at", "2").exit_code == 1
    assert migrated("queues", "unroute", "german").exit_code == 0
    assert migrated("queues", "set", "x", "--sla", "soon").exit_code == 1


def test_case_work_and_bulk(migrated: Invoke, container: Container, tmp_path: Path) -> None:
    for i in range(2):
        migrated("reports", "file", f"content:p{i}", "spam", "--reporter", f"u{i}")
    first, second = sorted(c.id for c in container.review.cases(SYSTEM))
    assert migrated("cases", "comment", first, "seen before").exit_code == 0
    shot = tmp_path / "shot.txt"
    shot.write_bytes(b"evidence")
    attached = migrated("cases", "attach", first, "--file", str(shot))
    assert attached.exit_code == 0 and "8 bytes" in attached.output
    assert migrated("cases", "attach", first).exit_code != 0
    timeline = migrated("cases", "timeline", first).output
    assert "comment" in timeline and "seen before" in timeline and "shot.txt" in timeline
    merged = migrated("cases", "merge", second, "--into", first, "--reason", "same ring")
    assert merged.exit_code == 0, merged.output
    split = migrated(
        "cases", "split", first, "--subject", "account:a9", "--report", "nope", "--reason", "r"
    )
    assert split.exit_code == 1 and "not on case" in split.output
    preview = migrated("cases", "bulk", "reassign", first, "case_404", "--queue", "fraud")
    assert "skip case_404: no such case" in preview.output and "would reassign 1" in preview.output
    done = migrated("cases", "bulk", "reassign", first, "--queue", "fraud", "--yes")
    assert "1 done" in done.output
    esc = migrated("cases", "escalate", first, "--reason", "x")
    assert esc.exit_code == 1 and "claimed by you" in esc.output
    migrated("cases", "claim", first)
    assert "escalated to senior" in migrated("cases", "escalate", first, "--reason", "x").output
