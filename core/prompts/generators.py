"""Sketch generators: a system prompt + a user prompt in, a model's answer out, with token and cost counts.

Three backends behind one `generate(system, prompt)` call: any OpenAI-compatible chat endpoint (OpenAI,
vLLM, Ollama, LM Studio, the tests' loopback server), Gemini through google-genai, and a local
transformers model directory (e.g. the training room's tiny model). Keys are found as the judges find
theirs (`core.reward.judges.keys`: the variable the config names, else the OS keyring) and go only over TLS
or to loopback; they are never stored or logged.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.prompts.config import GeneratorConfig
from core.reward.context import Accounting
from core.reward.judges.clients import gemini_client, openai_client
from core.reward.judges.keys import key_to_send
from core.store.home import TINY_MODEL, under_home


@dataclass
class Completion:
    """One answer: its text (empty on failure), usage, estimated cost and the error, if any."""

    text: str
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: float | None = None
    ms: float = 0.0
    error: str | None = None


class GeneratorError(RuntimeError):
    """A generator cannot be built (missing package, model folder or endpoint setting)."""


class Generator(Protocol):
    name: str

    def generate(self, system: str, prompt: str, seed: int | None = None) -> Completion: ...


class CostMeter(Accounting):
    """Generation calls, tokens and estimated cost per model: the reward engine's accounting, reused."""

    def record(self, model: str, c: Completion) -> None:
        self.add(model, calls=1, failures=int(c.error is not None), tokens_in=c.tokens_in or 0,
                 tokens_out=c.tokens_out or 0, cost_usd=c.cost_usd or 0.0)

    @property
    def calls(self) -> int:
        return self.totals().calls

    @property
    def tokens_in(self) -> int:
        return self.totals().tokens_in

    @property
    def tokens_out(self) -> int:
        return self.totals().tokens_out

    @property
    def cost_usd(self) -> float:
        return self.totals().cost_usd


def _cost(cfg: GeneratorConfig, tokens_in: int | None, tokens_out: int | None) -> float | None:
    if tokens_in is None and tokens_out is None:
        return None
    return ((tokens_in or 0) * cfg.price_in_per_mtok + (tokens_out or 0) * cfg.price_out_per_mtok) / 1e6


def _api_key(cfg: GeneratorConfig) -> str | None:
    """The key ($api_key_env, else the keyring), when it may go to cfg.base_url (TLS or loopback)."""
    return key_to_send(cfg.kind, cfg.api_key_env, cfg.base_url, f"generator {cfg.kind}:{cfg.model}")


class OpenAIGenerator:
    """Chat completions against any OpenAI-compatible endpoint (the SDK retries 429/5xx itself)."""

    def __init__(self, cfg: GeneratorConfig):
        self.cfg = cfg
        self.name = f"openai:{cfg.model}"
        self.client = openai_client(cfg.base_url, _api_key(cfg), cfg.timeout, max_retries=cfg.max_retries)

    def generate(self, system: str, prompt: str, seed: int | None = None) -> Completion:
        t0 = time.perf_counter()
        try:
            resp = self.client.chat.completions.create(
                model=self.cfg.model, temperature=self.cfg.temperature, max_tokens=self.cfg.max_tokens, seed=seed,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": prompt}])
        except Exception as e:  # the endpoint's failure is data for the metrics, not a crash
            return Completion("", ms=(time.perf_counter() - t0) * 1000, error=f"{type(e).__name__}: {e}")
        usage = resp.usage
        tin, tout = (usage.prompt_tokens, usage.completion_tokens) if usage else (None, None)
        text = (resp.choices[0].message.content or "") if resp.choices else ""
        return Completion(text, tin, tout, _cost(self.cfg, tin, tout), (time.perf_counter() - t0) * 1000)


class GeminiGenerator:
    """Gemini `generate_content` through google-genai (base_url overridable for a loopback server)."""

    def __init__(self, cfg: GeneratorConfig):
        from google.genai import types  # deferred: heavy (google.genai)

        self.cfg, self.types = cfg, types
        self.name = f"gemini:{cfg.model}"
        self.client = gemini_client(cfg.base_url, _api_key(cfg), cfg.timeout, attempts=cfg.max_retries + 1)

    def generate(self, system: str, prompt: str, seed: int | None = None) -> Completion:
        t0 = time.perf_counter()
        try:
            resp = self.client.models.generate_content(
                model=self.cfg.model, contents=prompt,
                config=self.types.GenerateContentConfig(system_instruction=system, temperature=self.cfg.temperature,
                                                        max_output_tokens=self.cfg.max_tokens, seed=seed))
        except Exception as e:
            return Completion("", ms=(time.perf_counter() - t0) * 1000, error=f"{type(e).__name__}: {e}")
        meta = resp.usage_metadata
        tin = getattr(meta, "prompt_token_count", None)
        tout = getattr(meta, "candidates_token_count", None)
        return Completion(resp.text or "", tin, tout, _cost(self.cfg, tin, tout), (time.perf_counter() - t0) * 1000)


class LocalHFGenerator:
    """A causal LM folder loaded with transformers' `from_pretrained` (CPU is fine for tiny models)."""

    def __init__(self, cfg: GeneratorConfig):
        path = Path(cfg.model_path or "").expanduser()
        if not (path / "config.json").is_file():
            raise GeneratorError(f"no model at {path}: point model_path at a folder saved with save_pretrained.")
        from transformers import AutoModelForCausalLM, AutoTokenizer  # deferred: heavy (transformers)

        self.cfg = cfg
        self.name = f"local:{path.name}"
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.model = AutoModelForCausalLM.from_pretrained(str(path))
        self.model.eval()
        self._lock = threading.Lock()  # one forward pass at a time; torch already uses every core

    def _encode(self, system: str, prompt: str) -> list[int]:
        if getattr(self.tokenizer, "chat_template", None):
            msgs = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
            return self.tokenizer.apply_chat_template(msgs, add_generation_prompt=True, tokenize=True)
        return self.tokenizer(f"{system}\n\n{prompt}\n", add_special_tokens=True)["input_ids"]

    def generate(self, system: str, prompt: str, seed: int | None = None) -> Completion:
        import torch  # deferred: heavy (torch)

        t0 = time.perf_counter()
        try:
            ids = self._encode(system, prompt)
            ids = ids["input_ids"] if isinstance(ids, dict) else ids
            with self._lock, torch.no_grad():
                if seed is not None:
                    torch.manual_seed(seed)
                sampling = {"do_sample": True, "temperature": self.cfg.temperature} if self.cfg.temperature > 0 \
                    else {"do_sample": False}
                out = self.model.generate(torch.tensor([list(ids)]), max_new_tokens=self.cfg.max_tokens, **sampling)
            new = out[0][len(ids):]
            text = self.tokenizer.decode(new, skip_special_tokens=True)
        except Exception as e:
            return Completion("", ms=(time.perf_counter() - t0) * 1000, error=f"{type(e).__name__}: {e}")
        return Completion(text, len(ids), len(new), 0.0, (time.perf_counter() - t0) * 1000)


BACKENDS: dict[str, Callable[[GeneratorConfig], Generator]] = {
    "openai": OpenAIGenerator, "gemini": GeminiGenerator, "local": LocalHFGenerator,
}


def make_generator(cfg: GeneratorConfig) -> Generator:
    """Build the backend `cfg.kind` names; a missing package or model becomes a GeneratorError."""
    try:
        factory = BACKENDS[cfg.kind]
    except KeyError:
        raise GeneratorError(f"unknown generator kind {cfg.kind!r}: use one of {', '.join(BACKENDS)}.") from None
    try:
        return factory(cfg)
    except ImportError as e:
        raise GeneratorError(f"the {cfg.kind} generator needs a package that is missing ({e.name}): pip install it.") from e


def generate_many(gen: Generator, system: str, prompts: Sequence[str], *, concurrency: int = 4,
                  seed: int | None = None, meter: CostMeter | None = None,
                  on_done: Callable[[int, Completion], None] | None = None) -> list[Completion]:
    """One completion per prompt, `concurrency` at a time, in prompt order; `on_done` sees each as it lands."""
    def one(i: int) -> Completion:
        c = gen.generate(system, prompts[i], seed=None if seed is None else seed + i)
        if meter is not None:
            meter.record(gen.name, c)
        if on_done is not None:
            on_done(i, c)
        return c

    with ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="brushwork-gen") as pool:
        return list(pool.map(one, range(len(prompts))))


def default_tiny_model() -> Path:
    """Where the training room saves its tiny model: `<data home>/models/tiny` (may not exist)."""
    return under_home(TINY_MODEL)
