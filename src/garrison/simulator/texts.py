"""Vocabulary of the simulated platform: countries, networks, email domains, cards, models, texts.

Everything here is synthetic. Abusive texts are mild, bracketed placeholders that name their
category, never real harmful content.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    weight: float
    first_octets: tuple[int, ...]
    """Leading IPv4 octets the simulator draws residential addresses from for this country."""
    card_bins: tuple[str, ...]
    language: str


COUNTRIES: tuple[Country, ...] = (
    Country("US", 30, (24, 67, 73, 98, 174), ("414720", "426684", "542418", "371449"), "en"),
    Country("GB", 8, (81, 86, 90), ("465901", "475129", "535522"), "en"),
    Country("DE", 7, (79, 84, 91), ("455600", "520416", "492181"), "de"),
    Country("FR", 6, (82, 88, 90), ("497010", "513100", "453978"), "fr"),
    Country("IN", 9, (49, 106, 117), ("421323", "524193", "608001"), "en"),
    Country("BR", 6, (177, 186, 189), ("406669", "516292", "650485"), "pt"),
    Country("JP", 5, (110, 126, 153), ("356600", "490254", "540926"), "ja"),
    Country("CA", 5, (70, 99, 142), ("450644", "520588", "451014"), "en"),
    Country("AU", 4, (1, 101, 120), ("456468", "516361", "494052"), "en"),
    Country("ES", 4, (83, 88, 95), ("454618", "540076", "491679"), "es"),
    Country("MX", 3, (187, 189, 201), ("415231", "547155", "493160"), "es"),
    Country("NG", 3, (102, 105, 129), ("539983", "506099", "418745"), "en"),
    Country("ID", 3, (36, 110, 114), ("461699", "524325", "437703"), "en"),
    Country("VN", 2, (14, 113, 171), ("970436", "422151", "512341"), "en"),
    Country("PH", 2, (112, 120, 175), ("404937", "530054", "455609"), "en"),
)
COUNTRY_BY_CODE = {c.code: c for c in COUNTRIES}
COUNTRY_WEIGHTS = [c.weight for c in COUNTRIES]

DATACENTER_PREFIXES: tuple[str, ...] = (
    "203.0.113.",
    "198.51.100.",
    "192.0.2.",
    "45.76.",
    "104.131.",
    "185.220.",
    "159.89.",
)
"""Hosting and proxy networks (documentation ranges among them) that abusers rent."""

FREE_MAIL = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "hotmail.com",
)
DISPOSABLE_MAIL = (
    "mailinator.com",
    "guerrillamail.com",
    "10minutemail.com",
    "tempmail.dev",
    "temp-mail.org",
    "yopmail.com",
    "sharklasers.com",
    "trashmail.com",
    "dispostable.com",
)
FIRST_NAMES = (
    "ana", "ben", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo", "kofi", "lena",
    "mateo", "nia", "omar", "priya", "quinn", "rosa", "sam", "tomas", "uma", "vik", "wen", "yuki",
)  # fmt: skip
LAST_NAMES = (
    "adams", "baker", "costa", "diaz", "evans", "fischer", "garcia", "hughes", "ito", "khan",
    "lopez", "martin", "nguyen", "okafor", "patel", "reyes", "silva", "tanaka", "weber", "zhou",
)  # fmt: skip
COMPANY_WORDS = (
    "acme", "northwind", "bluefin", "copper", "delta", "ember", "fjord", "granite", "harbor",
    "ion", "juniper", "kestrel", "lumen", "meridian", "nimbus", "orbit", "pioneer", "quartz",
)  # fmt: skip
COMPANY_SUFFIXES = (
    "labs",
    "analytics",
    "health",
    "legal",
    "systems",
    "studio",
    "retail",
    "ai",
)
COMPANY_TLDS = ("com", "io", "co", "dev", "net")


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    usd_per_1k_tokens: float
    weight_free: float
    weight_paid: float


MODELS: tuple[Model, ...] = (
    Model("atlas-mini", 0.00015, 80, 45),
    Model("atlas-large", 0.0025, 5, 30),
    Model("atlas-reasoning", 0.011, 0, 8),
    Model("atlas-embed", 0.00002, 15, 17),
)

DECLINE_CODES = (
    "card_declined",
    "incorrect_cvc",
    "insufficient_funds",
    "expired_card",
    "do_not_honor",
    "invalid_number",
)
CHARGEBACK_REASONS = (
    "fraudulent",
    "unrecognized",
    "fraudulent",
    "product_not_received",
)
"""Reasons for stolen-card chargebacks; "fraudulent" dominates, as in card-network data."""

BENIGN_TEXTS: dict[str, tuple[str, ...]] = {
    "en": (
        "Summarise this meeting transcript into five bullet points.",
        "Write a Python function that merges two sorted lists.",
        "Draft a polite reminder email about an overdue invoice.",
        "Explain the difference between TCP and UDP for a beginner.",
        "Translate the attached product description into plain language.",
        "Suggest three names for a neighbourhood bakery.",
        "What are good questions to ask in a job interview for a data analyst?",
        "Convert this CSV header into a JSON schema.",
        "Give me a weekly meal plan for a vegetarian family of four.",
        "Rewrite this paragraph so it reads more clearly.",
    ),
    "de": (
        "Fasse diesen Artikel in drei Saetzen zusammen.",
        "Schreibe eine SQL-Abfrage fuer Umsaetze.",
    ),
    "fr": (
        "Resume ce rapport en quelques lignes.",
        "Ecris un courriel de remerciement a un client.",
    ),
    "es": (
        "Resume este documento en tres puntos.",
        "Escribe una receta facil de paella.",
    ),
    "pt": ("Resuma este texto em uma frase.", "Crie um roteiro de viagem para Lisboa."),
    "ja": ("この文章を要約してください。", "会議の議事録を作成してください。"),
}

FALSE_POSITIVE_TEXTS: tuple[tuple[str, str], ...] = (
    ("How do I kill a zombie process in Linux?", "violence"),
    ("Our team crushed the quarterly targets, write a celebration note.", "violence"),
    ("Write a murder mystery plot outline for a cosy novel.", "violence"),
    ("Explain the history of the word 'hate' in song lyrics.", "hate"),
)
"""Benign texts that a host classifier tends to over-score: realistic noise for precision."""

ABUSE_PHRASES: dict[str, tuple[str, ...]] = {
    "harassment": (
        "you are worthless and everyone knows it",
        "nobody wants you here, just leave",
        "placeholder for a targeted insult aimed at one user",
    ),
    "hate": (
        "placeholder for a demeaning generalisation about a protected group",
        "placeholder for a group-directed slur (redacted)",
    ),
    "violence": (
        "placeholder for a threat to hurt a named person",
        "placeholder for a request praising a violent attack",
    ),
    "self_harm": (
        "placeholder for a message encouraging self-harm",
        "placeholder for a request for self-harm methods",
    ),
    "sexual": (
        "placeholder for an explicit adult request",
        "placeholder for unsolicited sexual remarks",
    ),
}
ABUSE_CATEGORIES = tuple(ABUSE_PHRASES)

REPORT_REASONS_FOR_ABUSE = {
    "harassment": "harassment",
    "hate": "hate_speech",
    "violence": "violent_threat",
    "self_harm": "self_harm",
    "sexual": "sexual_content",
}
REPORT_TEXTS = (
    "This account keeps posting abusive replies in our shared workspace.",
    "Reporting these messages, they target people in our community.",
    "Please review, this was sent to several members of our team.",
)
BENIGN_REPORTS = (
    ("spam", "Looks like spam to me."),
    ("other", "Not sure this is allowed, please check."),
    ("harassment", "I did not like this reply."),
)
"""User reports about benign content: most reports on a real platform do not find a violation."""


def abuse_text(category: str, sample: int, phrase: str) -> str:
    """A mild placeholder that names its category and sample number."""
    return f"[synthetic {category} sample {sample}] {phrase}"
