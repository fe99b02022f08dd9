"""A rule file of any size, for timing how long checking and compiling a large release takes.

The rules cycle through shapes an analyst writes (type guards, attribute tests, every signal
function), with thresholds varied by position; they are valid against the shipped event schemas.
Deterministic: the same count gives the same text.
"""

from __future__ import annotations

_SHAPES = (
    (
        "payment.attempt",
        'attr.result == "declined" and attr.amount_usd <= {n} '
        'and count("account", "1h", "payment.attempt") >= {k}',
    ),
    (
        "payment.attempt",
        'distinct("payment_method", "account", "1d", "payment.attempt") >= {k} '
        "and upper(attr.card_country) != upper(attr.ip_country)",
    ),
    (
        "account.signup",
        'in_list("disposable_email_domains", attr.email_domain) and attr.tier == "free" '
        'and count("device", "1d", "account.signup") >= {k}',
    ),
    (
        "api.usage",
        'distinct("attr.ip_country", "api_key", "1h", "api.usage") >= {k} '
        'and total("attr.cost_usd", "org", "1h", "api.usage") > {n}',
    ),
    (
        "content.submitted",
        'attr.moderation_score >= 0.{k} and attr.category in ["violence", "hate"] '
        'and not has_label("account", "trusted")',
    ),
    (
        "account.login",
        'enrich("ip.datacenter") == True and score("login_risk") > 0.{k} '
        'and startswith(lower(attr.country), "n")',
    ),
)


def synthetic_rule_file(count: int) -> str:
    """`count` rules, one `[[rule]]` each, named `synthetic_0001`..."""
    blocks = []
    for index in range(count):
        event_type, shape = _SHAPES[index % len(_SHAPES)]
        condition = shape.format(n=5 + index % 200, k=2 + index % 7)
        blocks.append(
            "[[rule]]\n"
            f'name = "synthetic_{index + 1:04d}"\n'
            f'policy = "synthetic.{event_type}"\n'
            'verdict = "review"\n'
            f"score = 0.{index % 9 + 1}\n"
            'actions = [{ kind = "enqueue_review", params = { queue = "fraud" } }]\n'
            f"when = '''\ntype == \"{event_type}\"\nand {condition}\n'''\n"
        )
    return "\n".join(blocks)
