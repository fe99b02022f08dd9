"""LLM policy judge: content and policy text go to any OpenAI-compatible chat endpoint, which
answers a JSON verdict. Parsing is forgiving (code fences, prose around the object, Llama
Guard's `safe` / `unsafe`); every call is timed, its tokens and cost counted, and verdicts are
cached by a hash of model, policy and content. `agreement` measures it against reviewer labels
like any other model before it may act."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from garrison.domain.errors import GarrisonError

PROMPT = """You are a content policy judge. Decide whether the CONTENT violates the POLICY.
Answer with one JSON object and nothing else:
{"violates": true or false, "confidence": a number from 0 to 1, "categories": [names of the
policy's categories that apply], "rationale": "one short sentence"}

POLICY:
{policy}"""


class JudgeFailed(GarrisonError):
    """The chat endpoint failed, timed out or answered no verdict; nothing was cached."""

    code = "judge_failed"


@dataclass(frozen=True)
class ChatReply:
    content: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ChatClient(Protocol):
    """The port: one chat completion (raises JudgeFailed on timeout or a bad answer)."""

    def complete(self, messages: Sequence[Mapping[str, str]], model: str) -> ChatReply: ...


@dataclass(frozen=True)
class Verdict:
    violates: bool
    confidence: float
    categories: tuple[str, ...] = ()
    rationale: str = ""
    latency_ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    cached: bool = False

    @property
    def score(self) -> float:
        """Probability-like score that the content violates the policy."""
        return self.confidence if self.violates else 1.0 - self.confidence


@dataclass
class JudgeStats:
    calls: int = 0
    cache_hits: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    latency_ms: list[float] = field(default_factory=list)

    @property
    def mean_latency_ms(self) -> float:
        return sum(self.latency_ms) / len(self.latency_ms) if self.latency_ms else 0.0


@dataclass(frozen=True)
class Pricing:
    """Cost per 1,000 tokens, in whatever currency the operator counts in."""

    prompt_per_1k: float = 0.0
    completion_per_1k: float = 0.0

    def cost(self, reply: ChatReply) -> float:
        return (
            reply.prompt_tokens * self.prompt_per_1k
            + reply.completion_tokens * self.completion_per_1k
        ) / 1000.0


class PolicyJudge:
    """Judge content against one policy text with a chat model."""

    def __init__(
        self,
        client: ChatClient,
        model: str,
        policy: str,
        *,
        pricing: Pricing | None = None,
        cache_size: int = 10_000,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._client, self.model, self.policy = client, model, policy
        self._pricing = pricing or Pricing()
        self._cache: OrderedDict[str, Verdict] = OrderedDict()
        self._cache_size = cache_size
        self._timer = timer
        self.stats = JudgeStats()

    def key(self, content: str) -> str:
        joined = "\x1f".join((self.model, self.policy, content))
        return hashlib.sha256(joined.encode()).hexdigest()

    def judge(self, content: str) -> Verdict:
        key = self.key(content)
        if key in self._cache:
            self._cache.move_to_end(key)
            self.stats.cache_hits += 1
            return replace(self._cache[key], cached=True)
        verdict = self._ask(content)
        self._cache[key] = verdict
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return verdict

    def score_one(self, content: str) -> float:
        """The scorer contract: a violation score in [0, 1]."""
        return self.judge(content).score

    def _ask(self, content: str) -> Verdict:
        messages = [
            {"role": "system", "content": PROMPT.replace("{policy}", self.policy)},
            {"role": "user", "content": f"CONTENT:\n{content}"},
        ]
        started = self._timer()
        self.stats.calls += 1
        try:
            reply = self._client.complete(messages, self.model)
            parsed = parse_verdict(reply.content)
        except JudgeFailed:
            self.stats.failures += 1
            raise
        latency = (self._timer() - started) * 1000.0
        cost = self._pricing.cost(reply)
        self.stats.latency_ms.append(latency)
        self.stats.prompt_tokens += reply.prompt_tokens
        self.stats.completion_tokens += reply.completion_tokens
        self.stats.cost += cost
        return replace(
            parsed,
            latency_ms=latency,
            prompt_tokens=reply.prompt_tokens,
            completion_tokens=reply.completion_tokens,
            cost=cost,
        )


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)
_TRUE = {"true", "yes", "violates", "violation", "violating", "unsafe", "flagged", "1"}
_FALSE = {"false", "no", "safe", "ok", "allowed", "compliant", "none", "0"}


def parse_verdict(text: str) -> Verdict:
    """A verdict from a model's reply; JudgeFailed when none can be read."""
    obj = _json_object(text)
    if obj is not None:
        return _from_object(obj)
    words = text.strip().split()
    first = words[0].lower().strip(".,:;!\"'") if words else ""
    if first in _TRUE | _FALSE:
        rest = tuple(w.strip(",") for w in words[1:3] if first == "unsafe")
        return Verdict(first in _TRUE, 1.0, categories=rest)
    raise JudgeFailed(f"the judge answered no verdict: {text[:80]!r}", field="verdict")


def _json_object(text: str) -> dict[str, Any] | None:
    fenced = _FENCE.search(text)
    candidates = [fenced.group(1)] if fenced else []
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _from_object(obj: Mapping[str, Any]) -> Verdict:
    raw = next((obj[k] for k in ("violates", "violation", "flagged", "verdict") if k in obj), None)
    if isinstance(raw, bool):
        violates = raw
    elif str(raw).strip().lower() in _TRUE | _FALSE:
        violates = str(raw).strip().lower() in _TRUE
    else:
        raise JudgeFailed(f"the verdict {raw!r} is neither true nor false", field="verdict")
    try:
        confidence = min(1.0, max(0.0, float(obj.get("confidence", 1.0))))
    except (TypeError, ValueError):
        confidence = 1.0
    categories = obj.get("categories") or ()
    if not isinstance(categories, list | tuple):
        categories = (categories,)
    return Verdict(
        violates, confidence, tuple(str(c) for c in categories), str(obj.get("rationale", ""))
    )


def judge_labelled(
    judge: PolicyJudge, items: Iterable[tuple[str, bool]]
) -> list[tuple[bool, Verdict | None]]:
    """The judge's verdict on each labelled item (None where it failed), next to the label."""
    out: list[tuple[bool, Verdict | None]] = []
    for content, label in items:
        try:
            out.append((label, judge.judge(content)))
        except JudgeFailed:
            out.append((label, None))
    return out


def agreement(pairs: Sequence[tuple[bool, Verdict | None]]) -> dict[str, float | int | None]:
    """Accuracy, Cohen's kappa, precision and recall of the judge against the labels."""
    answered = [(label, v.violates) for label, v in pairs if v is not None]
    n = len(answered)
    tp = sum(1 for y, p in answered if y and p)
    fp = sum(1 for y, p in answered if not y and p)
    fn = sum(1 for y, p in answered if y and not p)
    agree = sum(1 for y, p in answered if y == p)
    observed = agree / n if n else None
    expected = (((tp + fn) * (tp + fp)) + ((n - tp - fn) * (n - tp - fp))) / n**2 if n else None
    kappa = None
    if observed is not None and expected is not None and expected < 1.0:
        kappa = (observed - expected) / (1.0 - expected)
    return {
        "items": len(pairs),
        "answered": n,
        "accuracy": observed,
        "cohen_kappa": kappa,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
    }
