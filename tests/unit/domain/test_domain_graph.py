"""Identity links: email and IP normalisation, link weights, observations and redaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.graph import (
    LinkPolicy,
    Strength,
    identifier,
    normalise_email,
    normalise_ip,
    observations,
)
from garrison.domain.ids import EventId
from garrison.domain.redaction import redact_email, redact_ip, redact_ref, redact_text, redact_value

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("John.Doe+promo@GoogleMail.com", "johndoe@gmail.com"),
        ("j.o.h.n.doe@gmail.com", "johndoe@gmail.com"),
        ("johndoe+a+b@gmail.com.", "johndoe@gmail.com"),
        ("First.Last+news@outlook.com", "first.last@outlook.com"),
        ("first.last+news@example.com", "first.last+news@example.com"),
        ("  Mixed.Case@Example.COM ", "mixed.case@example.com"),
        ("+tagonly@gmail.com", "+tagonly@gmail.com"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_email_normalisation(raw: str, normalised: str) -> None:
    assert normalise_email(raw) == normalised


def test_equal_mailboxes_are_one_identifier() -> None:
    a = identifier(EntityKind.EMAIL, "jane.roe+trial1@gmail.com")
    b = identifier(EntityKind.EMAIL, "janeroe@googlemail.com")
    assert a == b == EntityRef(EntityKind.EMAIL, "janeroe@gmail.com")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        (" Not-An-IP ", "not-an-ip"),
    ],
)
def test_ip_normalisation(raw: str, normalised: str) -> None:
    assert normalise_ip(raw) == normalised


def test_strong_links_weigh_one_until_the_hub_size() -> None:
    policy = LinkPolicy(hub_size=10)
    for kind in (EntityKind.PAYMENT_METHOD, EntityKind.DEVICE, EntityKind.API_KEY):
        assert policy.weight(kind, 1) == 0.0
        assert policy.weight(kind, 2) == policy.weight(kind, 10) == 1.0
        assert policy.weight(kind, 11) == 0.0


def test_ip_weight_decays_with_the_owners_sharing_it() -> None:
    policy = LinkPolicy(hub_size=50, ip_weight=0.5)
    weights = [policy.weight(EntityKind.IP, n) for n in (2, 4, 10, 50)]
    assert weights == [0.5, 0.25, 0.1, 0.02]
    assert policy.weight(EntityKind.IP, 51) == 0.0
    assert policy.is_hub(51) and not policy.is_hub(50)


def test_org_membership_never_links() -> None:
    assert LinkPolicy().weight(EntityKind.ORG, 2) == 0.0
    assert LinkPolicy().weight(EntityKind.CONTENT, 2) == 0.0


def _event(entities: dict[EntityKind, str]) -> Event:
    return Event(EventId("evt_1"), "account.signup", T0, entities, {})


def test_observations_name_the_account_and_its_normalised_identifiers() -> None:
    found = observations(
        _event(
            {
                EntityKind.ACCOUNT: "acct_1",
                EntityKind.EMAIL: "A.B+x@gmail.com",
                EntityKind.IP: "::ffff:10.0.0.1",
                EntityKind.DEVICE: "dev_1",
                EntityKind.CONTENT: "cnt_1",
                EntityKind.ORG: "org_1",
            }
        )
    )
    assert found is not None
    account, identifiers = found
    assert account == EntityRef(EntityKind.ACCOUNT, "acct_1")
    assert set(identifiers) == {
        EntityRef(EntityKind.EMAIL, "ab@gmail.com"),
        EntityRef(EntityKind.IP, "10.0.0.1"),
        EntityRef(EntityKind.DEVICE, "dev_1"),
        EntityRef(EntityKind.ORG, "org_1"),
    }


def test_no_observation_without_an_account_or_an_identifier() -> None:
    assert observations(_event({EntityKind.IP: "10.0.0.1"})) is None
    assert observations(_event({EntityKind.ACCOUNT: "acct_1", EntityKind.CONTENT: "c"})) is None


def test_redaction_formats() -> None:
    assert redact_email("john.doe@gmail.com") == "j***@gmail.com"
    assert redact_ip("203.0.113.9") == "203.0.113.x"
    assert redact_ip("::ffff:203.0.113.9") == "203.0.113.x"
    assert redact_ip("2001:db8:1:2::5") == "2001:db8:1:x"
    assert redact_ref(EntityRef(EntityKind.IP, "203.0.113.9")) == "ip:203.0.113.x"
    assert redact_ref(EntityRef(EntityKind.ACCOUNT, "acct_1")) == "account:acct_1"


def test_redaction_inside_text_and_json_reports_what_it_hid() -> None:
    seen: list[tuple[str, str]] = []
    value = {
        "note": "mail jane@example.org from 198.51.100.7 at 12:30:45, build 1.2.3.4.5",
        "nested": [{"ip": "2001:db8:1:2::5"}, 3, None],
    }
    redacted = redact_value(value, lambda original, shown: seen.append((original, shown)))
    assert redacted == {
        "note": "mail j***@example.org from 198.51.100.x at 12:30:45, build 1.2.3.4.5",
        "nested": [{"ip": "2001:db8:1:x"}, 3, None],
    }
    assert sorted(seen) == [
        ("198.51.100.7", "198.51.100.x"),
        ("2001:db8:1:2::5", "2001:db8:1:x"),
        ("jane@example.org", "j***@example.org"),
    ]
    assert redact_text("nothing personal") == "nothing personal"


def test_link_strengths() -> None:
    from garrison.domain.graph import LINK_STRENGTH

    assert LINK_STRENGTH[EntityKind.IP] is Strength.WEAK
    assert LINK_STRENGTH[EntityKind.EMAIL] is Strength.STRONG
    assert LINK_STRENGTH[EntityKind.ORG] is Strength.OWNER
