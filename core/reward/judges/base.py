"""Judge settings and the shared judge machinery: concurrency, backoff, parsing, cache, accounting.

A backend subclass implements `_complete(instruction, images)`; everything else — a semaphore per
backend, backoff with jitter on 429 / 5xx / timeouts, retry of malformed answers then None, both
orders of every pair, the SQLite judgement cache and the per-run accounting — lives here.
"""
from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from core.hashing import bytes_hash
from core.reward.judges.keys import resolve_base_url
from core.reward.judges.parsing import parse_pairwise, parse_rating
from core.reward.judges.prompts import PROMPT_VERSION, pairwise_instruction, rating_instruction
from core.reward.registry import get_judge_factory
from core.reward.types import RewardError, Verdict

if TYPE_CHECKING:
    from core.reward.context import Accounting
    from core.reward.judges.cache import JudgementCache

log = logging.getLogger(__name__)


class TransientJudgeError(Exception):
    """429, 5xx, a timeout or a dropped connection: worth retrying after a pause."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentJudgeError(Exception):
    """An answer no retry will change (401, 400, unknown model)."""


@dataclass
class Completion:
    text: str
    tokens_in: int = 0
    tokens_out: int = 0


@dataclass
class JudgeSettings:
    """One [judges.NAME] table of a preset. Keys are never here: only the names of where to find them."""

    name: str = field(default="default", metadata={"help": "name components refer to (params.judge)"})
    backend: str = field(default="image-stats", metadata={"help": "openai | gemini | image-stats | local | council"})
    model: str = field(default="", metadata={"help": "model name sent to the backend"})
    base_url: str = field(default="", metadata={"help": "server URL (OpenAI-compatible /v1, or Gemini's)"})
    base_url_env: str = field(default="", metadata={"help": "environment variable that may hold the URL"})
    api_key_env: str = field(default="", metadata={"help": "environment variable holding the key"})
    keyring_service: str = field(default="brushwork", metadata={"help": "OS keyring service to look in"})
    concurrency: int = field(default=8, metadata={"help": "calls in flight at once per backend"})
    timeout_s: float = field(default=60.0, metadata={"help": "seconds per call before it counts as a timeout"})
    max_retries: int = field(default=4, metadata={"help": "retries on 429 / 5xx / timeouts"})
    malformed_retries: int = field(default=2, metadata={"help": "retries of an answer that is not the JSON asked for"})
    backoff_s: float = field(default=0.5, metadata={"help": "first backoff; doubles per retry, with jitter"})
    backoff_max_s: float = field(default=8.0, metadata={"help": "longest backoff"})
    max_tokens: int = field(default=300, metadata={"help": "answer length limit"})
    price_in_per_mtok: float = field(default=0.0, metadata={"help": "USD per million input tokens (estimate)"})
    price_out_per_mtok: float = field(default=0.0, metadata={"help": "USD per million output tokens (estimate)"})
    members: list[str] = field(default_factory=list, metadata={"help": "council: the judges whose ratings are averaged"})

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> JudgeSettings:
        """Settings from a TOML table; unknown keys raise RewardError."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise RewardError(f"judge {name}: unknown settings {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}.")
        return cls(**{**data, "name": name})

    def public_dict(self) -> dict[str, Any]:
        """Settings as a dict (safe to export: holds no key)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def server_url(self, fallback_env: str) -> str | None:
        """The server: $base_url_env when set (the environment overrides the preset, so one preset serves a
        local default and a test or remote server), else base_url, else $fallback_env, else None."""
        return resolve_base_url("", self.base_url_env) or resolve_base_url(self.base_url, fallback_env)

    @property
    def model_id(self) -> str:
        """What the cache and accounting know this judge by."""
        return f"{self.backend}:{self.model}" if self.model else self.backend


class VisionJudge:
    """Base of every judge: `judge()` for pairs (both orders), `rate()` for absolute 0–10 scores."""

    def __init__(self, settings: JudgeSettings, cache: JudgementCache | None = None,
                 accounting: Accounting | None = None, semaphore: asyncio.Semaphore | None = None):
        self.settings = settings
        self.cache = cache
        self.accounting = accounting
        self.semaphore = semaphore or asyncio.Semaphore(max(1, settings.concurrency))
        self.unavailable: str | None = None  # why this judge cannot run, when it cannot
        self.server: str | None = None       # the URL it calls, when it calls one (the preflight probes it)

    async def _complete(self, instruction: str, images: list[bytes]) -> Completion:
        raise NotImplementedError

    async def aclose(self) -> None:
        """Close the backend's HTTP client."""

    def _account(self, **counts: float) -> None:
        if self.accounting is not None:
            self.accounting.add(self.settings.model_id, **counts)

    async def ask_json(self, instruction: str, images: list[bytes], parse) -> Any:
        """One structured answer: transient errors back off and retry, malformed ones retry, then None."""
        s = self.settings
        transient = malformed = 0
        while True:
            try:
                # asyncio.timeout, not wait_for: no extra task and loop turn per call (3.11 wait_for makes one)
                async with self.semaphore, asyncio.timeout(s.timeout_s):
                    answer = await self._complete(instruction, images)
            except (TransientJudgeError, TimeoutError) as e:
                self._account(calls=1, retries=1)
                transient += 1
                if transient > s.max_retries:
                    self._account(failures=1)
                    log.warning("judge %s gave up after %d tries: %s", s.name, transient, e)
                    return None
                wait = min(s.backoff_max_s, s.backoff_s * 2 ** (transient - 1)) * random.uniform(0.5, 1.0)
                retry_after = getattr(e, "retry_after", None)
                await asyncio.sleep(min(s.backoff_max_s, retry_after) if retry_after else wait)
                continue
            except PermanentJudgeError as e:
                self._account(calls=1, failures=1)
                log.warning("judge %s: %s", s.name, e)
                return None
            cost = (answer.tokens_in * s.price_in_per_mtok + answer.tokens_out * s.price_out_per_mtok) / 1e6
            self._account(calls=1, tokens_in=answer.tokens_in, tokens_out=answer.tokens_out, cost_usd=cost)
            parsed = parse(answer.text)
            if parsed is not None:
                return parsed
            self._account(malformed=1)
            malformed += 1
            if malformed > s.malformed_retries:
                self._account(failures=1)
                return None

    async def judge_order(self, first: bytes, second: bytes, prompt: str) -> tuple[str, float, str] | None:
        """One order: ("first" | "second" | "tie", confidence, reasoning), or None."""
        return await self.ask_json(pairwise_instruction(prompt), [first, second], parse_pairwise)

    async def _judge_cached(self, candidate: bytes, reference: bytes, prompt: str, order: str):
        key_parts: dict[str, str] = {}
        if self.cache is not None:  # hashing two PNGs per call is only worth it with a cache
            key_parts = dict(candidate_hash=bytes_hash(candidate), reference_hash=bytes_hash(reference), prompt=prompt,
                             judge_model=self.settings.model_id, prompt_version=PROMPT_VERSION, order_ab=order)
            hit = self.cache.get(**key_parts)
            if hit is not None:
                self._account(cache_hits=1)
                return (*hit, True)
        first, second = (candidate, reference) if order == "ab" else (reference, candidate)
        raw = await self.judge_order(first, second, prompt)
        if raw is None:
            return None
        winner, confidence, reasoning = raw
        if winner != "tie":  # back from positions to roles
            winner = "candidate" if (winner == "first") == (order == "ab") else "reference"
        result = (winner, confidence, reasoning, False)
        if self.cache is not None:
            self.cache.put(**key_parts, judge=self.settings.name, winner=winner, confidence=confidence,
                           reasoning=reasoning)
        return result

    async def judge(self, candidate_png: bytes, reference_png: bytes, prompt: str) -> Verdict | None:
        """Candidate vs reference, judged in both orders; disagreement is a tie; None if either order failed."""
        if self.unavailable:
            return None
        ab, ba = await asyncio.gather(self._judge_cached(candidate_png, reference_png, prompt, "ab"),
                                      self._judge_cached(candidate_png, reference_png, prompt, "ba"))
        if ab is None or ba is None:
            return None
        cached = ab[3] and ba[3]
        if ab[0] == ba[0]:
            return Verdict(ab[0], (ab[1] + ba[1]) / 2, ab[2], cached)
        return Verdict("tie", 0.0, f"orders disagree: {ab[0]} then {ba[0]}", cached)

    async def rate(self, png: bytes, prompt: str, criterion: str) -> float | None:
        """An absolute score in [0, 1] (the model answers 0–10) for one criterion, or None."""
        if self.unavailable:
            return None
        key_parts = dict(candidate_hash=bytes_hash(png), reference_hash="", prompt=prompt,
                         judge_model=self.settings.model_id, prompt_version=PROMPT_VERSION, order_ab=f"abs:{criterion}")
        if self.cache is not None:
            hit = self.cache.get(**key_parts)
            if hit is not None:
                self._account(cache_hits=1)
                return hit[1]
        value = await self.rate_uncached(png, prompt, criterion)
        if value is not None and self.cache is not None:
            self.cache.put(**key_parts, judge=self.settings.name, winner=None, confidence=value, reasoning="")
        return value

    async def rate_uncached(self, png: bytes, prompt: str, criterion: str) -> float | None:
        """Ask the backend for a 0–10 score; [0, 1] or None."""
        score = await self.ask_json(rating_instruction(prompt, criterion), [png], parse_rating)
        return None if score is None else score / 10.0


def build_judges(settings: dict[str, JudgeSettings], cache: JudgementCache | None = None,
                 accounting: Accounting | None = None) -> dict[str, VisionJudge]:
    """Judge objects for a rubric's settings; backends on the same server share one semaphore."""
    semaphores: dict[tuple[str, str], asyncio.Semaphore] = {}
    judges: dict[str, VisionJudge] = {}
    for name, s in settings.items():
        key = (s.backend, s.base_url or s.base_url_env)
        sem = semaphores.setdefault(key, asyncio.Semaphore(max(1, s.concurrency)))
        judge = get_judge_factory(s.backend)(s)
        judge.cache, judge.accounting, judge.semaphore = cache, accounting, sem
        judges[name] = judge
    for judge in judges.values():
        bind = getattr(judge, "bind_members", None)
        if bind is not None:
            bind(judges)
    return judges
