"""`garrison webhooks list` and `garrison webhooks retry`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from typer.testing import Result

from garrison.bootstrap import Container
from garrison.domain.ids import ActionId, DeliveryId
from garrison.domain.webhooks import Delivery, DeliveryStatus

Invoke = Callable[..., Result]
AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _store(container: Container, delivery_id: str, status: DeliveryStatus) -> None:
    delivery = Delivery(
        DeliveryId(delivery_id),
        ActionId(f"act_{delivery_id}"),
        "https://host.example/hooks",
        b"{}",
        status,
        8 if status is DeliveryStatus.DEAD else 0,
        AT,
        AT,
        last_error="host answered HTTP 500" if status is DeliveryStatus.DEAD else None,
    )
    with container.uow() as uow:
        uow.deliveries.add(delivery)
        uow.commit()


def test_list_filters_by_status(migrated: Invoke, container: Container) -> None:
    _store(container, "dlv_dead", DeliveryStatus.DEAD)
    _store(container, "dlv_waiting", DeliveryStatus.PENDING)

    dead = migrated("webhooks", "list", "--status", "dead")
    everything = migrated("webhooks", "list")

    assert dead.exit_code == everything.exit_code == 0, dead.output + everything.output
    assert "dlv_dead" in dead.stdout and "dlv_waiting" not in dead.stdout
    assert "HTTP 500" in dead.stdout
    assert "dlv_dead" in everything.stdout and "dlv_waiting" in everything.stdout


def test_list_when_there_is_nothing(migrated: Invoke) -> None:
    result = migrated("webhooks", "list", "--status", "dead")

    assert result.exit_code == 0
    assert result.stdout.strip() == "no deliveries with status dead"


def test_retry_puts_a_dead_delivery_back_in_line(migrated: Invoke, container: Container) -> None:
    _store(container, "dlv_dead", DeliveryStatus.DEAD)

    result = migrated("webhooks", "retry", "dlv_dead")

    assert result.exit_code == 0, result.output
    with container.uow() as uow:
        stored = uow.deliveries.get(DeliveryId("dlv_dead"))
    assert stored is not None
    assert (stored.status, stored.attempts) == (DeliveryStatus.PENDING, 0)
    again = migrated("webhooks", "retry", "dlv_dead")
    assert again.exit_code == 1
    assert again.stderr.strip() == "error: delivery dlv_dead is pending, not dead"


def test_retry_of_an_unknown_delivery(migrated: Invoke) -> None:
    result = migrated("webhooks", "retry", "dlv_nope")

    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no delivery dlv_nope (field: delivery_id)"
