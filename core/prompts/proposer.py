"""Reflection: how a new system prompt is proposed from the reflective dataset.

Two choices. `RuleProposer` needs no model: it reads the facts the adapter recorded (hallucinated
APIs, render errors, missing brush use, low scores) and applies the fix the original project found
by hand for each — above all, swapping an API reference for a strict allowlist when the model
invents methods. `openai_reflection_lm` lets any OpenAI-compatible model rewrite the prompt through
gepa's own reflection template.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from core.prompts.config import ReflectionConfig
from core.reward.judges.clients import openai_client
from core.reward.judges.keys import key_to_send
from core.sketch.allowlist import DEFAULT_ALLOWLIST, allowlist_prompt_block

log = logging.getLogger("brushwork.prompts")

STRICT_HEADER = "Use ONLY these brush methods, exactly as written; any other `brush.*` name does not exist and breaks the sketch:"
_STRICT = re.compile(r"\bonly\b[^\n]{0,60}\bbrush", re.I)
_REFERENCE_LINE = re.compile(r"^\s*-\s*`?brush\.(\w+)\(")
_NEVER = re.compile(r"^Never call: .*$", re.M)

RULES = {
    "structure": "Define `function setup()` and call `createCanvas(512, 512, WEBGL)` first; the origin is the canvas centre.",
    "brush": "Paint only with brush.* calls (brush.set then brush.line / circle / rect / polygon), not plain p5 shapes.",
    "quality": ("Build the subject from several shapes in the colours the prompt names: fill colour masses with "
                "brush.fill, then outline details with brush.set and brush.line."),
}


def _facts(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    hallucinated = sorted({name for r in records for name in r.get("Hallucinated APIs", [])})
    errors = [str(r.get("Render error") or "") for r in records]
    return {
        "hallucinated": hallucinated,
        "structure": any(("createCanvas" in e or "setup" in e or "blank" in e) for e in errors),
        "no_brush": any(r.get("Uses brush") is False and r.get("Generated Outputs") for r in records),
        "low": bool(records) and sum(float(r.get("Score", 0)) for r in records) / len(records) < 0.9,
    }


def strict_allowlist(text: str, hallucinated: Sequence[str], allowlist: Sequence[str] = DEFAULT_ALLOWLIST) -> str:
    """`text` with its API reference swapped for a strict allowlist, plus a never-call line for invented names."""
    if not _STRICT.search(text):
        # The reference is what the model improvised from: it goes, the short list replaces it.
        kept = [line for line in text.splitlines() if not _REFERENCE_LINE.match(line)]
        text = "\n".join(line for line in kept if line.strip() != "Full API reference:")
        block = "\n".join("  " + line for line in allowlist_prompt_block(allowlist).splitlines())
        text = text.rstrip() + f"\n{STRICT_HEADER}\n{block}\n"
    known = set(re.findall(r"brush\.\w+", m.group(0))) if (m := _NEVER.search(text)) else set()
    names = sorted(known | set(hallucinated))
    if names:
        never = "Never call: " + ", ".join(names) + " (they do not exist in p5.brush 2.x)."
        text = _NEVER.sub(never, text) if known else text.rstrip() + "\n" + never + "\n"
    return text


class RuleProposer:
    """gepa `custom_candidate_proposer`: deterministic prompt edits driven by what went wrong."""

    def __init__(self, allowlist: Sequence[str] = DEFAULT_ALLOWLIST):
        self.allowlist = tuple(allowlist)
        self.proposals = 0

    def propose(self, text: str, records: Sequence[Mapping[str, Any]]) -> str:
        """One new prompt text; unchanged when the feedback names nothing this proposer can fix."""
        facts = _facts(records)
        if facts["hallucinated"]:
            text = strict_allowlist(text, facts["hallucinated"], self.allowlist)
        for rule, needed in (("structure", facts["structure"]), ("brush", facts["no_brush"]),
                             ("quality", facts["low"] and not facts["hallucinated"])):
            if needed and RULES[rule] not in text:
                text = text.rstrip() + "\n- " + RULES[rule] + "\n"
        return text

    def __call__(self, candidate: dict[str, str], reflective_dataset: Mapping[str, Sequence[Mapping[str, Any]]],
                 components_to_update: list[str]) -> dict[str, str]:
        self.proposals += 1
        return {name: self.propose(candidate[name], reflective_dataset.get(name, [])) for name in components_to_update}


def openai_reflection_lm(cfg: ReflectionConfig) -> Callable[[str | list[dict[str, Any]]], str]:
    """A gepa LanguageModel backed by an OpenAI-compatible chat endpoint."""
    key = key_to_send("openai", cfg.api_key_env, cfg.base_url, f"reflection model {cfg.model}")
    client = openai_client(cfg.base_url, key, cfg.timeout)

    def call(prompt: str | list[dict[str, Any]]) -> str:
        messages = prompt if isinstance(prompt, list) else [{"role": "user", "content": prompt}]
        resp = client.chat.completions.create(model=cfg.model, temperature=cfg.temperature, messages=messages)
        return resp.choices[0].message.content or ""

    return call


def reflection_settings(cfg: ReflectionConfig) -> dict[str, Any]:
    """The keyword arguments for gepa.optimize that select the configured reflection."""
    if cfg.kind == "rule":
        return {"custom_candidate_proposer": RuleProposer()}
    if cfg.kind == "openai":
        return {"reflection_lm": openai_reflection_lm(cfg)}
    raise ValueError(f"unknown reflection kind {cfg.kind!r}: use rule or openai.")
