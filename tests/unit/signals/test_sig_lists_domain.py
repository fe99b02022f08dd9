"""Lists in the domain: entries checked and normalised per kind, and matched fast."""

from __future__ import annotations

import pytest

from garrison.domain.errors import InvalidInput
from garrison.domain.lists import (
    MAX_PATTERN_LENGTH,
    ListKind,
    check_name,
    compile_matcher,
    normalize_entries,
    parse_lines,
)
from garrison.domain.signals import ListMatcher


def matcher(kind: ListKind, *entries: str) -> ListMatcher:
    return compile_matcher(kind, normalize_entries(kind, list(entries)))


def test_exact_matches_text_and_integers_case_sensitively() -> None:
    m = matcher(ListKind.EXACT, "acct_1", "42", "Bob")
    assert m.contains("acct_1") and m.contains(42) and m.contains("Bob")
    assert not m.contains("bob") and not m.contains("acct_") and not m.contains(None)
    assert not m.contains(True) and not m.contains(42.0) and not m.contains(["acct_1"])


def test_cidr_matches_addresses_inside_networks_of_any_prefix() -> None:
    m = matcher(ListKind.CIDR, "10.0.0.0/8", "192.168.1.7", "203.0.113.0/24", "2001:db8::/32")
    assert m.contains("10.255.0.1") and m.contains("192.168.1.7") and m.contains("203.0.113.99")
    assert not m.contains("192.168.1.8") and not m.contains("11.0.0.1")
    assert m.contains("2001:db8:1::5") and not m.contains("2001:db9::1")
    assert m.contains("::ffff:10.1.2.3"), "an IPv4-mapped IPv6 address matches IPv4 networks"
    assert not m.contains("not an ip") and not m.contains(167772161) and not m.contains(None)


def test_cidr_everything_and_single_hosts() -> None:
    assert matcher(ListKind.CIDR, "0.0.0.0/0").contains("8.8.8.8")
    assert not matcher(ListKind.CIDR, "0.0.0.0/0").contains("::1")
    assert matcher(ListKind.CIDR, "::1").contains("::1")


def test_regex_must_match_the_whole_value() -> None:
    m = matcher(ListKind.REGEX, r"spam\d+", r"(?i:.*casino.*)", r"(a)\1")
    assert m.contains("spam12") and not m.contains("spam12!") and not m.contains("xspam1")
    assert m.contains("Best CASINO online") and m.contains("aa") and not m.contains("ab")
    assert not m.contains(None)


def test_regex_with_groups_keeps_its_backreferences_beside_others() -> None:
    m = matcher(ListKind.REGEX, r"(x)(y)\2", r"(a)\1", r"zz")
    assert m.contains("xyy") and m.contains("aa") and m.contains("zz")
    assert not m.contains("xyx") and not m.contains("ab")


def test_domain_suffix_matches_subdomains_and_email_addresses() -> None:
    m = matcher(ListKind.DOMAIN_SUFFIX, "Mailinator.com", "*.yopmail.fr", ".tk")
    assert m.contains("mailinator.com") and m.contains("a.b.MAILINATOR.com.")
    assert m.contains("someone@sub.mailinator.com") and m.contains("yopmail.fr")
    assert m.contains("anything.tk")
    assert not m.contains("notmailinator.com") and not m.contains("mailinator.co")
    assert not m.contains("mailinator.com.evil.org") and not m.contains("") and not m.contains(7)


def test_domain_suffix_handles_internationalised_names() -> None:
    m = matcher(ListKind.DOMAIN_SUFFIX, "bücher.example")
    assert m.contains("shop.BÜCHER.example") and m.contains("xn--bcher-kva.example")


def test_entries_are_normalised_deduplicated_and_sorted() -> None:
    assert normalize_entries(ListKind.DOMAIN_SUFFIX, ["B.com", "a.com", "b.com."]) == (
        "a.com",
        "b.com",
    )
    assert normalize_entries(ListKind.CIDR, ["10.0.0.1", "2001:DB8::/32"]) == (
        "10.0.0.1/32",
        "2001:db8::/32",
    )


@pytest.mark.parametrize(
    ("kind", "bad", "words"),
    [
        (ListKind.CIDR, "10.0.0.1/8", "did you mean 10.0.0.0/8"),
        (ListKind.CIDR, "10.0.0.256", "not an IP network"),
        (ListKind.REGEX, "(unclosed", "not a valid regular expression"),
        (ListKind.REGEX, "(?i)global", "scoped group"),
        (ListKind.REGEX, "a" * (MAX_PATTERN_LENGTH + 1), "longer than"),
        (ListKind.DOMAIN_SUFFIX, "not a domain", "not a domain"),
        (ListKind.DOMAIN_SUFFIX, "-bad-.com", "not a domain"),
        (ListKind.DOMAIN_SUFFIX, "a..b", "not a domain"),
        (ListKind.EXACT, "   ", "non-empty"),
    ],
)
def test_a_bad_entry_is_named_by_its_index(kind: ListKind, bad: str, words: str) -> None:
    good = {
        ListKind.CIDR: "1.2.3.0/24",
        ListKind.REGEX: "ok",
        ListKind.DOMAIN_SUFFIX: "ok.com",
        ListKind.EXACT: "ok",
    }[kind]
    with pytest.raises(InvalidInput) as caught:
        normalize_entries(kind, [good, good, good, bad])
    assert caught.value.field == "entries[3]"
    assert words in caught.value.message


def test_a_non_text_entry_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_entries(ListKind.EXACT, ["a", 5])  # type: ignore[list-item]
    assert caught.value.field == "entries[1]"


@pytest.mark.parametrize("name", ["", "Upper", "-lead", "sp ace", "x" * 65, "é"])
def test_list_names_are_checked(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_name(name)
    assert caught.value.field == "name"


def test_files_skip_blanks_and_comment_lines_and_keep_line_numbers() -> None:
    text = "# header\n\nmailinator.com\n  # indented comment\nspam#1 \n"
    assert parse_lines(text) == [(3, "mailinator.com"), (5, "spam#1")]
