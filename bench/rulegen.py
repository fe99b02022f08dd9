"""Generated rule sets of any size, shaped like an analyst's: type-guarded predicates over
attributes, `in` lists (a list of card BINs is a list lookup), string functions and velocity.

Every rule reads at most the five velocity specs of `VELOCITY`, so a rule set of any size needs
the same five counts per event, as a real release shares its windows across rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from garrison.domain.rules import Rule

VELOCITY = {
    "payments_per_account_1h": 'count("account", "1h", "payment.attempt")',
    "usage_per_ip_1h": 'count("ip", "1h", "api.usage")',
    "usage_per_key_1h": 'count("api_key", "1h", "api.usage")',
    "signups_per_device_1d": 'count("device", "1d", "account.signup")',
    "events_per_account_10m": 'count("account", "10m")',
}
COUNTRIES = ("US", "IN", "DE", "CA", "GB", "JP", "NG", "FR", "BR", "PH", "ES", "MX", "ID", "AU")
MODELS = ("atlas-mini", "atlas-large", "atlas-embed", "atlas-reasoning")
CATEGORIES = ("violence", "hate", "harassment", "self_harm", "sexual")
DOMAINS = (
    "tempmail.dev",
    "trashmail.com",
    "yopmail.com",
    "temp-mail.org",
    "guerrillamail.com",
    "mailinator.com",
    "proton.me",
    "gmail.com",
)
REASONS = ("harassment", "spam", "other", "hate_speech", "violent_threat", "fraudulent")
WORDS = ("password", "bypass", "translate", "summar", "invoice", "crypto", "refund", "weapon")
BINS = ("371449", "414720", "542418", "426684", "540926", "455600", "524193", "475129")

Template = Callable[[random.Random], str]


def _pick(rng: random.Random, pool: tuple[str, ...], most: int) -> str:
    chosen = rng.sample(pool, rng.randint(1, min(most, len(pool))))
    return ", ".join(f'"{value}"' for value in chosen)


def _bins(rng: random.Random) -> str:
    made = {f"{rng.randint(400000, 559999)}" for _ in range(rng.randint(20, 60))}
    made.update(rng.sample(BINS, 2))
    return ", ".join(f'"{value}"' for value in sorted(made))


def _card_list(rng: random.Random) -> str:
    return (
        f'type == "payment.attempt" and attr.card_bin in [{_bins(rng)}] '
        f"and attr.amount_usd > {rng.choice((20, 50, 100, 200))}"
    )


def _card_testing(rng: random.Random) -> str:
    return (
        'type == "payment.attempt" and attr.result == "declined" '
        f"and attr.amount_usd <= {rng.choice((5, 10, 20))} "
        f"and {VELOCITY['payments_per_account_1h']} >= {rng.randint(2, 6)}"
    )


def _geo_mismatch(rng: random.Random) -> str:
    return (
        'type == "payment.attempt" and attr.card_country != None '
        "and upper(attr.card_country) != upper(attr.ip_country) "
        f"and attr.amount_usd > {rng.choice((25, 50, 100))}"
    )


def _usage_model(rng: random.Random) -> str:
    return (
        f'type == "api.usage" and attr.model in [{_pick(rng, MODELS, 2)}] '
        f"and attr.tokens > {rng.choice((50_000, 100_000, 150_000))} "
        f"and attr.ip_country not in [{_pick(rng, COUNTRIES, 6)}]"
    )


def _key_resale(rng: random.Random) -> str:
    key, ip = VELOCITY["usage_per_key_1h"], VELOCITY["usage_per_ip_1h"]
    return (
        f'type == "api.usage" and {key} >= {rng.choice((5, 20, 50, 200))} '
        f"and {ip} * {rng.choice((2, 4, 10))} < {key}"
    )


def _usage_cost(rng: random.Random) -> str:
    return (
        f'type == "api.usage" and (attr.cost_usd * 1000 >= {rng.choice((500, 1000, 1500))} '
        f"or attr.requests >= {rng.choice((100, 150, 200))})"
    )


def _content_score(rng: random.Random) -> str:
    return (
        'type == "content.submitted" '
        f"and attr.moderation_score >= {rng.choice((0.5, 0.7, 0.9))} "
        f"and attr.category in [{_pick(rng, CATEGORIES, 3)}]"
    )


def _content_text(rng: random.Random) -> str:
    return (
        f'type == "content.submitted" and contains(lower(attr.text), "{rng.choice(WORDS)}") '
        f"and len(attr.text) > {rng.choice((10, 30, 60))}"
    )


def _signup_device(rng: random.Random) -> str:
    return (
        'type == "account.signup" and (attr.disposable_email == True '
        f"or endswith(domain(entity.email), [{_pick(rng, DOMAINS, 3)}])) "
        f"and {VELOCITY['signups_per_device_1d']} >= {rng.randint(1, 3)}"
    )


def _signup_domain(rng: random.Random) -> str:
    return (
        f'type == "account.signup" and attr.email_domain in [{_pick(rng, DOMAINS, 4)}] '
        f'and attr.tier == "{rng.choice(("free", "pay_as_you_go"))}"'
    )


def _login_burst(rng: random.Random) -> str:
    return (
        f'type == "account.login" and attr.country in [{_pick(rng, COUNTRIES, 5)}] '
        f"and {VELOCITY['events_per_account_10m']} >= {rng.randint(2, 5)}"
    )


def _reports(rng: random.Random) -> str:
    return (
        'type in ["report.filed", "payment.chargeback"] '
        f"and attr.reason in [{_pick(rng, REASONS, 3)}] "
        f"and {VELOCITY['events_per_account_10m']} >= {rng.randint(1, 3)}"
    )


def _bin_prefix(rng: random.Random) -> str:
    prefixes = ", ".join(f'"{p}"' for p in rng.sample(("37", "41", "42", "45", "52", "54"), 2))
    return (
        f'type == "payment.attempt" and startswith(attr.card_bin, [{prefixes}]) '
        f'and attr.result == "{rng.choice(("approved", "declined"))}" '
        f"and attr.amount_usd >= {rng.choice((10, 100, 300))}"
    )


def _org_ip(rng: random.Random) -> str:
    return (
        f'type == "org.created" and attr.tier == "{rng.choice(("free", "pay_as_you_go"))}" '
        f'and entity.ip != None and startswith(entity.ip, "{rng.randint(1, 99)}.")'
    )


TEMPLATES: tuple[Template, ...] = (
    _card_list,
    _usage_model,
    _card_testing,
    _key_resale,
    _geo_mismatch,
    _usage_cost,
    _content_score,
    _content_text,
    _signup_device,
    _signup_domain,
    _login_burst,
    _reports,
    _bin_prefix,
    _org_ip,
)


def rule_set(size: int, *, seed: int = 11) -> list[Rule]:
    """`size` rules cycling through the templates, each with its own drawn thresholds and lists."""
    rng = random.Random(seed)
    rules = []
    for index in range(size):
        template = TEMPLATES[index % len(TEMPLATES)]
        rules.append(
            Rule(
                name=f"bench_{index:04d}_{template.__name__.strip('_')}",
                when=template(rng),
                policy=f"bench.{template.__name__.strip('_')}",
                score=0.1,
            )
        )
    return rules
