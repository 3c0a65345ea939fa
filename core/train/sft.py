"""`brushwork sft`: warm-start the tiny model on the procedural corpus until enough samples render.

A plain causal-LM loop (loss on the code only, never the prompt) over freshly drawn corpus pairs.
Every `eval_every` steps it samples code for model-selection prompts (corpus.select_specs) at temperature
1.0 (hotter than tiny-cpu's GRPO), renders it with the real renderer, and stops once `target_nonblank`
of the renders are non-blank (RenderResult.ok).
"""
from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.train.corpus import CORPUS_VERSION, corpus, select_specs
from core.train.tiny import plain_prompt


@dataclass
class SftConfig:
    """Settings of one SFT warm start."""

    base: str = field(default="models/tiny", metadata={"help": "Model to start from (under the data home or a path)."})
    out: str = field(default="models/tiny-sft", metadata={"help": "Where the warm-started model is saved."})
    max_steps: int = field(default=800, metadata={"help": "Hard cap on optimizer steps."})
    batch_size: int = field(default=16, metadata={"help": "Sequences per step."})
    learning_rate: float = field(default=3e-3, metadata={"help": "Peak AdamW learning rate (cosine decay)."})
    eval_every: int = field(default=100, metadata={"help": "Steps between render evaluations."})
    eval_prompts: int = field(default=10, metadata={"help": "Model-selection prompts sampled per evaluation."})
    target_nonblank: float = field(default=0.9, metadata={"help": "Stop once this share of samples renders non-blank."})
    temperature: float = field(default=1.0, metadata={"help": "Sampling temperature of the evaluation (hotter than tiny-cpu GRPO's 0.8: a stricter test)."})
    seed: int = field(default=0, metadata={"help": "Seed for corpus order and sampling."})


def _batch(tokenizer, pairs: list[tuple[str, str]]):
    """input_ids, attention_mask and labels (-100 on prompt and padding) for (prompt, code) pairs."""
    import torch  # deferred: heavy (torch)

    rows, labels = [], []
    for prompt, code in pairs:
        p = tokenizer(plain_prompt(prompt)).input_ids
        c = tokenizer(code).input_ids + [tokenizer.eos_token_id]
        rows.append(p + c)
        labels.append([-100] * len(p) + c)
    width = max(len(r) for r in rows)
    pad = tokenizer.pad_token_id
    ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    lab = torch.tensor([r + [-100] * (width - len(r)) for r in labels])
    return ids, mask, lab


def sample_codes(model, tokenizer, prompts: list[str], temperature: float, max_new_tokens: int = 320,
                 seed: int = 0) -> list[str]:
    """Sample one completion per prompt (plain format), decoded without special tokens."""
    import torch  # deferred: heavy (torch)

    torch.manual_seed(seed)
    enc = tokenizer([plain_prompt(p) for p in prompts], return_tensors="pt", padding=True)
    with torch.no_grad():
        out = model.generate(**enc, do_sample=True, temperature=temperature, top_p=1.0, top_k=0,
                             max_new_tokens=max_new_tokens, pad_token_id=tokenizer.pad_token_id)
    return tokenizer.batch_decode(out[:, enc.input_ids.shape[1]:], skip_special_tokens=True)


def nonblank_rate(codes: list[str], renderer, size: int = 128) -> float:
    """Share of codes whose render is ok (ran, drew something); `renderer` is a started SyncRenderer."""
    ok = sum(1 for code in codes if renderer.render(code, size=size, timeout=20.0).ok)
    return ok / max(1, len(codes))


def _save(model, tokenizer, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)


def run_sft(cfg: SftConfig, home: Path, renderer, progress: Callable[[str], None] = print) -> dict:
    """Train until the target non-blank rate or max_steps; save the model; return the report."""
    import torch  # deferred: heavy (torch)
    from transformers import AutoModelForCausalLM, AutoTokenizer  # deferred: heavy (transformers)

    base, out = home / cfg.base, home / cfg.out
    if not (base / "config.json").exists():
        raise FileNotFoundError(f"No model at {base}: run `brushwork model tiny` first.")
    torch.manual_seed(cfg.seed)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.learning_rate, weight_decay=0.01)
    warmup = 50
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup)
                                              * 0.5 * (1 + math.cos(math.pi * min(1.0, s / cfg.max_steps))))
    rng = random.Random(cfg.seed)
    # the selection set: held-out prompts never decide anything, or they would not be held out
    prompts = [s.prompt for s in select_specs(cfg.eval_prompts, seed=cfg.seed)]
    history, t0, rate, step = [], time.time(), 0.0, 0
    for step in range(1, cfg.max_steps + 1):
        model.train()
        ids, mask, lab = _batch(tokenizer, corpus(cfg.batch_size, seed=rng.randrange(1 << 30)))
        loss = model(input_ids=ids, attention_mask=mask, labels=lab).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 25 == 0:
            progress(f"sft step {step}/{cfg.max_steps} loss {loss.item():.3f} ({time.time() - t0:.0f} s)")
        if step % cfg.eval_every == 0 or step == cfg.max_steps:
            model.eval()
            codes = sample_codes(model, tokenizer, prompts, cfg.temperature, seed=cfg.seed + step)
            rate = nonblank_rate(codes, renderer)
            history.append({"step": step, "loss": round(loss.item(), 4), "nonblank": rate})
            progress(f"sft step {step}: {rate:.0%} of {len(codes)} selection samples render non-blank")
            _save(model, tokenizer, out)  # every evaluation: an interrupted SFT still leaves a usable model
            if rate >= cfg.target_nonblank:
                break
    _save(model, tokenizer, out)
    report = {"steps": step, "seconds": round(time.time() - t0, 1), "nonblank": rate,
              "reached_target": rate >= cfg.target_nonblank, "corpus_version": CORPUS_VERSION, "history": history,
              "config": asdict(cfg), "path": str(out)}
    (out / "sft_report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def stale_warm_start(report: dict) -> str | None:
    """Why a warm start's report (sft_report.json) predates the current corpus, or None when it does not."""
    version = report.get("corpus_version", 1)
    if version == CORPUS_VERSION:
        return None
    return (f"made from corpus version {version}, without the careless sketches of version {CORPUS_VERSION}: GRPO has "
            "little to learn from it; run SFT again")
