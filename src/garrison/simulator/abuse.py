"""Injected abuse: one class per pattern. Each marks the entities a detector should catch."""

from __future__ import annotations

from garrison.domain.entities import Tier
from garrison.simulator import drafts, texts
from garrison.simulator.drafts import Draft
from garrison.simulator.scenarios import Scenario
from garrison.simulator.world import Account, Card, Ip, Org


def _gaps(scenario: Scenario) -> list[float]:
    rng = scenario.rng
    return [rng.uniform(2, 20), rng.uniform(5, 60), rng.uniform(3, 30)]


def _disputed_at(scenario: Scenario, paid_at: float, end: float, left: float) -> float:
    """When a charge is disputed: 6 hours to 4 days after it was paid, or, when less than 4 days
    are `left` after the script's `end`, somewhere within them."""
    if left >= 4 * 86400:
        return paid_at + scenario.rng.uniform(6 * 3600, 4 * 86400)
    return end + scenario.rng.uniform(0.1, 1.0) * left


class CardTesting(Scenario):
    """Card testing: one new account tries many card numbers with small charges within minutes.

    Every attempt uses a different payment method, 0.5 to 2 USD, mostly declined, all from the same
    IP and device. The account, its org, IP and device and every card tried are marked.
    """

    abuse = "card_testing"
    typical_events = 32

    def script(self, room: float) -> list[Draft]:
        rng, world = self.rng, self.world
        country = world.country()
        ip = world.ip(country, datacenter=rng.random() < 0.6)
        org = world.org(Tier.FREE, country=country, disposable=rng.random() < 0.5)
        owner = org.owner
        out = drafts.onboarding(0.0, org, ip, _gaps(self))
        t = out[-1].t + rng.uniform(30, 300)
        out.append(drafts.login(t, owner, ip))
        attempts, declined = rng.randint(15, 40), 0
        for _ in range(attempts):
            t += rng.uniform(2, 15)
            card = world.card(world.country())
            code = rng.choice(texts.DECLINE_CODES) if rng.random() < 0.85 else None
            declined += code is not None
            out.append(drafts.payment(t, owner, org, card, ip, rng.uniform(0.5, 2.0), code))
            self.mark("payment_method", card.id, "card number tried in a card-testing burst")
        why = f"{attempts} payment attempts of 0.5-2 USD on {attempts} cards, {declined} declined"
        self.mark("account", owner.id, why)
        self.mark("org", org.id, f"org of the card-testing account: {why}")
        self.mark("ip", ip.address, "IP of every attempt in a card-testing burst")
        self.mark("device", owner.device, "device of the card-testing account")
        return out


class TrialFarming(Scenario):
    """Trial farming: a ring of free accounts on shared devices and IPs farms free-tier quota.

    Each member signs up with a disposable email domain, creates an org, project and API key, then
    spends close to the free-tier quota. Members, their orgs and keys, the shared devices and the
    shared IPs are marked, all under one scenario id (the ring).
    """

    abuse = "trial_farming"
    typical_events = 55

    def script(self, room: float) -> list[Draft]:
        rng, world = self.rng, self.world
        country = world.country()
        devices = [world.device() for _ in range(rng.randint(1, 2))]
        ips = [world.ip(country, datacenter=rng.random() < 0.5) for _ in range(rng.randint(1, 2))]
        size = rng.randint(5, 12)
        out: list[Draft] = []
        t = 0.0
        for _ in range(size):
            device, ip = rng.choice(devices), rng.choice(ips)
            org = world.org(Tier.FREE, country=country, disposable=True, device=device)
            org.ips = [ip]
            onboarding = drafts.onboarding(t, org, ip, _gaps(self))
            out.extend(onboarding)
            out.extend(self._burn_quota(onboarding[-1].t, org, ip))
            why = f"one of {size} free accounts sharing devices/IPs, disposable email"
            self.mark("account", org.owner.id, why)
            self.mark("org", org.id, f"org of a trial-farming ring member ({size} members)")
            self.mark("api_key", org.keys[0].id, "key of a trial-farming ring member")
            t = onboarding[0].t + rng.uniform(60, 900)
        for device in devices:
            self.mark("device", device, f"device shared by a ring of {size} free accounts")
        for ip in ips:
            self.mark("ip", ip.address, f"IP shared by a ring of {size} free accounts")
        return out

    def _burn_quota(self, t: float, org: Org, ip: Ip) -> list[Draft]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(2, 4)):
            t += rng.uniform(20, 400)
            tokens = rng.randint(3000, 9000)
            out.append(drafts.usage(t, org, org.keys[0], ip, texts.MODELS[0], tokens))
        return out


class StolenCards(Scenario):
    """Stolen cards: approved payments on foreign cards, heavy usage, then chargebacks.

    The cards were issued in another country than the buyer's IP, the amounts are larger than
    usual, and the card owners dispute every charge hours to days later. The account, its org,
    its IP and the cards are marked.
    """

    abuse = "stolen_cards"
    typical_events = 18

    def script(self, room: float) -> list[Draft]:
        rng, world = self.rng, self.world
        country = world.country()
        ip = world.ip(country, datacenter=rng.random() < 0.5)
        org = world.org(Tier.FREE, country=country)
        org.tier = Tier.PAY_AS_YOU_GO  # a lone buyer: free-mail owner, paid tier from the start
        owner = org.owner
        cards = [world.card(world.other_country(country)) for _ in range(rng.randint(1, 3))]
        out = drafts.onboarding(0.0, org, ip, _gaps(self))
        t = out[-1].t
        charges: list[tuple[float, Card, float]] = []
        for card in cards:
            for _ in range(rng.randint(1, 2)):
                t += rng.uniform(60, 1800)
                amount = rng.uniform(80, 600)
                out.append(drafts.payment(t, owner, org, card, ip, amount))
                charges.append((t, card, amount))
            self.mark("payment_method", card.id, f"card from {card.country} used from {country}")
        for _ in range(rng.randint(4, 10)):
            t += rng.uniform(120, 3600)
            model = rng.choice(texts.MODELS[1:3])
            out.append(drafts.usage(t, org, org.keys[0], ip, model, rng.randint(40_000, 200_000)))
        left = max(room - t, 0.3 * t)
        for paid_at, card, amount in charges:
            disputed = _disputed_at(self, paid_at, t, left)
            reason = rng.choice(texts.CHARGEBACK_REASONS)
            out.append(drafts.chargeback(disputed, owner, org, card, amount, reason))
        why = f"{len(charges)} approved charges on {len(cards)} foreign cards, all charged back"
        self.mark("account", owner.id, why)
        self.mark("org", org.id, why)
        self.mark("ip", ip.address, "IP that paid with stolen foreign cards")
        return out


class KeyResale(Scenario):
    """Key resale: a reseller's API keys are sold and used from many IPs and countries at volume.

    The reseller runs one to three accounts (each its own org, signed up from the same device;
    they look like ordinary paying customers) and sells their keys; the buyers use them from one
    pool of IPs. The marked entities are the keys, their accounts and orgs, and the device, all
    under one scenario id (the ring); the buyers' IPs are not the reseller's.
    """

    abuse = "key_resale"
    typical_events = 45

    def script(self, room: float) -> list[Draft]:
        rng, world = self.rng, self.world
        org = world.org(Tier.PAY_AS_YOU_GO)
        orgs = [org]
        for _ in range(rng.randint(0, 2)):
            more = world.org(Tier.PAY_AS_YOU_GO, device=org.owner.device)
            orgs.append(more)
        out: list[Draft] = []
        t = 0.0
        for other in orgs[1:]:
            out.append(drafts.login(t, org.owner, org.ips[0]))  # the reseller's own device
            t += rng.uniform(600, 7200)
            out.extend(drafts.onboarding(t, other, other.ips[0], _gaps(self)))
        if rng.random() < 0.5:
            out.append(drafts.api_key_created(t, org, org.keys[0]))
        for _ in range(rng.randint(2, 4)):
            t += rng.uniform(60, 600)
            out.append(
                drafts.usage(
                    t, org, org.keys[0], org.ips[0], texts.MODELS[0], rng.randint(500, 4000)
                )
            )
        buyers = [
            world.ip(world.country(), datacenter=rng.random() < 0.4)
            for _ in range(rng.randint(12, 30))
        ]
        used: dict[str, set[Ip]] = {o.id: set() for o in orgs}
        for _ in range(rng.randint(30, 50)):
            t += rng.uniform(5, 90)
            ip, sold = rng.choice(buyers), rng.choice(orgs)
            used[sold.id].add(ip)
            model = rng.choice(texts.MODELS[1:3])
            out.append(drafts.usage(t, sold, sold.keys[0], ip, model, rng.randint(20_000, 120_000)))
        for sold in orgs:
            ips = used[sold.id]
            countries = len({ip.country for ip in ips})
            why = f"one key used from {len(ips)} IPs in {countries} countries at high volume"
            self.mark("api_key", sold.keys[0].id, why)
            self.mark("account", sold.owner.id, f"owner of a resold key ({len(orgs)} in the ring)")
            self.mark("org", sold.id, f"org of a resold key: {why}")
        if len(orgs) > 1:
            self.mark("device", org.owner.device, f"device of a reseller of {len(orgs)} accounts")
        return out


class CardSharing(Scenario):
    """Card sharing: a crew of accounts pays with the same stolen cards.

    Three to seven accounts, each its own org in its own country, with its own device and IP,
    pay with a shared foreign card (some with a second one too), use what they bought, and the
    charges are disputed.
    The accounts, their orgs and the cards are marked under one scenario id (the ring).
    """

    abuse = "card_sharing"
    typical_events = 40

    def script(self, room: float) -> list[Draft]:
        rng, world = self.rng, self.world
        issuer = world.country()
        cards = [world.card(issuer) for _ in range(rng.randint(1, 2))]
        size = rng.randint(3, 7)
        out: list[Draft] = []
        charges: list[tuple[float, Account, Org, Card, float]] = []
        t = 0.0
        for _ in range(size):
            country = world.other_country(issuer)
            ip = world.ip(country, datacenter=rng.random() < 0.3)
            org = world.org(Tier.FREE, country=country)
            org.tier = Tier.PAY_AS_YOU_GO
            onboarding = drafts.onboarding(t, org, ip, _gaps(self))
            out.extend(onboarding)
            paid = onboarding[-1].t
            # Every member pays with the first card; some with the second as well.
            for card in cards[: 1 + (rng.random() < 0.5)]:
                paid += rng.uniform(60, 900)
                amount = rng.uniform(40, 300)
                out.append(drafts.payment(paid, org.owner, org, card, ip, amount))
                charges.append((paid, org.owner, org, card, amount))
            usage = drafts.usage(
                paid + rng.uniform(60, 600),
                org,
                org.keys[0],
                ip,
                rng.choice(texts.MODELS[1:3]),
                rng.randint(20_000, 90_000),
            )
            out.append(usage)
            why = f"one of {size} accounts paying with the same {len(cards)} foreign card(s)"
            self.mark("account", org.owner.id, why)
            self.mark("org", org.id, why)
            t += rng.uniform(300, 3600)
        left = max(room - t, 0.3 * t)
        for paid_at, owner, org, card, amount in charges:
            disputed = _disputed_at(self, paid_at, t, left)
            reason = rng.choice(texts.CHARGEBACK_REASONS)
            out.append(drafts.chargeback(disputed, owner, org, card, amount, reason))
        for card in cards:
            self.mark("payment_method", card.id, f"card from {issuer} shared by {size} accounts")
        return out


class ContentBurst(Scenario):
    """Content burst: an account submits a burst of policy-violating texts and users report it.

    The texts are mild synthetic placeholders that the host classifier scores high; a few benign
    accounts report some of them. The account, its org and every violating item are marked.
    """

    abuse = "content_burst"
    typical_events = 20

    def script(self, room: float) -> list[Draft]:
        rng, world = self.rng, self.world
        signed_up_now = rng.random() < 0.5
        org = world.org(Tier.FREE, disposable=signed_up_now and rng.random() < 0.2)
        owner, key, ip = org.owner, org.keys[0], org.ips[0]
        if signed_up_now:
            out = drafts.onboarding(0.0, org, ip, _gaps(self))
        else:
            out = [drafts.login(0.0, owner, ip)]
        t = out[-1].t + rng.uniform(60, 1800)
        main = rng.choice(texts.ABUSE_CATEGORIES)
        posted: list[tuple[float, str, str]] = []
        for _ in range(rng.randint(8, 18)):
            t += rng.uniform(5, 60)
            category = main if rng.random() < 0.8 else rng.choice(texts.ABUSE_CATEGORIES)
            phrase = rng.choice(texts.ABUSE_PHRASES[category])
            body = texts.abuse_text(category, rng.randint(1, 999), phrase)
            text = drafts.Text(body, "en", rng.uniform(0.72, 0.99), category)
            content_id = world.new_id("cnt")
            out.append(drafts.content(t, org, key, content_id, text))
            posted.append((t, content_id, category))
            self.mark("content", content_id, f"{category} item in a burst of violating content")
        count = min(len(self.bystanders), rng.randint(1, 4))
        for index in rng.sample(range(len(self.bystanders)), count):
            reporter = self.bystanders[index]
            at, content_id, category = rng.choice(posted)
            reason = texts.REPORT_REASONS_FOR_ABUSE[category]
            body = rng.choice(texts.REPORT_TEXTS)
            later = at + rng.uniform(60, 3600)
            out.append(drafts.report(later, owner.id, content_id, reporter.id, reason, body))
        why = f"posted {len(posted)} violating items ({main} mostly) in a burst"
        self.mark("account", owner.id, why)
        self.mark("org", org.id, why)
        return out


SCENARIOS: dict[str, type[Scenario]] = {
    cls.abuse: cls
    for cls in (CardTesting, TrialFarming, StolenCards, KeyResale, ContentBurst, CardSharing)
}
"""Every abuse pattern the simulator can inject, by name."""

SHARE: dict[str, float] = {
    "card_testing": 0.25,
    "trial_farming": 0.25,
    "stolen_cards": 0.15,
    "key_resale": 0.2,
    "content_burst": 0.15,
    "card_sharing": 0.1,
}
"""How the abuse budget (a share of all events) is split between patterns (card sharing came
later and is on top: the others keep their share of the budget)."""
