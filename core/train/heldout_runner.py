"""Held-out evaluation inside a run: at the start, at checkpoints (heldout_every), at the end.

Each evaluation samples the run's fixed held-out prompts (core/train/prompt_sets.py) with its own seeds
inside `preserved_rng` (training continues as if it had not run), scores them with the scorer's rubric,
pool, judgement cache and seed and the system prompt the run was fixed to, and scores the same images
with the independent signal. It then writes, in one store transaction (a kill leaves all or nothing,
and a resumed run redoes a missing one: `on_resume`): `heldout/*` metric rows at its step, one
`heldout` sample per (prompt, seed) tagged with its checkpoint, and a `heldout` run event. Samples stay
in the run (its Gallery and Rollouts): one joins the library only when a person opens or saves it. From the
second evaluation on, the metrics include the paired rise against the first (core/train/rise.py):
`heldout/delta`, `heldout/ci_low`, `heldout/ci_high`, `heldout/p_value`, `heldout/prompts`, and the same
with `heldout/independent_` for the independent signal. The contact sheet is built from the store, so a
resumed run still compares its first and last evaluation.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from core.hashing import bytes_hash
from core.store import Store
from core.store.runs import heldout_checkpoints, heldout_sample_rows, heldout_seed, last_event_data
from core.train.config import RunConfig
from core.train.heldout_eval import HeldoutResult, contact_sheet, evaluate, preserved_rng
from core.train.independent import IndependentSignal
from core.train.rewards import BatchScorer
from core.train.rise import Rise, rise_between
from core.train.run_writer import RunWriter, SampleRow

INDEPENDENT = "independent"  # the samples' component key and the metric prefix of the independent signal


def rise_metrics(rise: Rise, prefix: str = "heldout/") -> dict[str, float | None]:
    """The metric rows of one paired rise: delta, ci_low, ci_high, p_value, prompts, better, worse."""
    return {f"{prefix}delta": rise.delta, f"{prefix}ci_low": rise.ci_low, f"{prefix}ci_high": rise.ci_high,
            f"{prefix}p_value": rise.p_value, f"{prefix}prompts": float(rise.prompts),
            f"{prefix}better": float(rise.better), f"{prefix}worse": float(rise.worse)}


def stored_pairs(store: Store, run_id: str, checkpoint: str) -> tuple[list[tuple[str, float | None]],
                                                                    list[tuple[str, float | None]]]:
    """(prompt, total) and (prompt, independent) of a stored evaluation's samples."""
    rows = heldout_sample_rows(store, run_id, checkpoint)
    comps = [json.loads(r["components"]) if r["components"] else {} for r in rows]
    return ([(r["prompt"], r["total"]) for r in rows],
            [(r["prompt"], c.get(INDEPENDENT)) for r, c in zip(rows, comps, strict=True)])


def stored_rise(store: Store, run_id: str) -> dict[str, Any]:
    """The paired rise of a run's last held-out evaluation against its first, from the stored samples (the
    figures its metrics hold): {first, last, step, reward: Rise, independent: Rise | None, independent_label}."""
    cps = heldout_checkpoints(store, run_id)
    if len(cps) < 2:
        return {"first": cps[0][0] if cps else None, "last": None, "step": None, "reward": None,
                "independent": None, "independent_label": None}
    (first, _), (last, step) = cps[0], cps[-1]
    before, before_second = stored_pairs(store, run_id, first)
    after, after_second = stored_pairs(store, run_id, last)
    has_second = any(v is not None for _, v in before_second + after_second)
    label = (last_event_data(store, run_id, "pinned") or {}).get("independent")
    return {"first": first, "last": last, "step": step, "reward": rise_between(before, after),
            "independent": rise_between(before_second, after_second) if has_second else None,
            "independent_label": label}


def rise_figures(rise: dict[str, Any]) -> dict[str, Any]:
    """`stored_rise` as flat keys (bench train --json, runs show --json): heldout_prompts, heldout_delta,
    heldout_ci_low, heldout_ci_high, heldout_p_value, heldout_better, heldout_worse, and independent_* alike."""
    out: dict[str, Any] = {"heldout_first": rise["first"], "heldout_last": rise["last"],
                           "independent_signal": rise["independent_label"]}
    for prefix, r in (("heldout_", rise["reward"]), ("independent_", rise["independent"])):
        for key in ("prompts", "delta", "ci_low", "ci_high", "p_value", "better", "worse"):
            out[f"{prefix}{key}"] = getattr(r, key) if r is not None else None
    return out


def rise_sentences(rise: dict[str, Any]) -> list[str]:
    """'held-out reward +X (95 % CI a to b, n = N prompts, ...)' and the independent signal's beside it."""
    if rise["reward"] is None:
        return ["held-out reward: fewer than two evaluations yet"]
    out = [rise["reward"].sentence(f"held-out reward ({rise['first']} -> {rise['last']})")]
    label = rise["independent_label"] or "not trained on"
    out.append(rise["independent"].sentence(f"independent signal ({label})") if rise["independent"] is not None
               else "independent signal: none for this run")
    return out


class HeldoutRunner:
    """Runs evaluations on the scorer's renderer loop and records them."""

    def __init__(self, cfg: RunConfig, model, tokenizer, scorer: BatchScorer, writer: RunWriter, run_dir: Path,
                 system: str = "", *, prompts: list[str] | None = None, independent: IndependentSignal | None = None):
        self.cfg, self.model, self.tokenizer = cfg, model, tokenizer
        self.scorer, self.writer, self.run_dir, self.system = scorer, writer, run_dir, system
        self.prompts, self.independent = prompts, independent

    def due(self, step: int) -> bool:
        """Whether the config evaluates the checkpoint of this step (the first and last always are)."""
        return bool(self.cfg.heldout_every) and step % self.cfg.heldout_every == 0

    def on_checkpoint(self, step: int, name: str) -> None:
        """Evaluate a checkpoint when the config asks for it at this step."""
        if self.due(step):
            self.evaluate(name, step)

    def on_resume(self, step: int) -> None:
        """A run resumed from checkpoint-`step`: evaluate it when a kill interrupted its evaluation."""
        if self.due(step):
            self.evaluate(f"checkpoint-{step}", step)

    def evaluate(self, checkpoint: str, step: int) -> dict | None:
        """Evaluate the current policy as `checkpoint` (skipped when already stored)."""
        if self.writer.heldout_done(checkpoint):
            return None
        sc = self.scorer
        t0 = time.perf_counter()
        with preserved_rng():  # its own seeds; training's random streams go on as if it had not run
            result = sc.run(evaluate(self.model, self.tokenizer, self.cfg, sc.rubric, sc.renderer, checkpoint, step,
                                     system=self.system, prompts=self.prompts, refs_pool=sc.refs_pool, cache=sc.cache,
                                     independent=self.independent.rubric if self.independent else None))
        summary = result.summary()
        summary["heldout/seconds"] = time.perf_counter() - t0  # what one evaluation costs
        sentences = self._rise(result, summary)
        reward = summary["heldout/reward"]
        said = (f"held-out {checkpoint}: reward {'n/a' if reward is None else f'{reward:.3f}'} "
                f"({summary['heldout/measured']:.0%} measured), non-blank {summary['heldout/nonblank']:.0%}")
        with self.writer.store.transaction():  # all of the evaluation, or (killed) none of it
            self.writer.metrics(step, summary)
            for message in sc.outages(result.rollouts, result.scores):  # not measured is said, never scored 0
                self.writer.event(step, "outage", f"held-out {checkpoint}: {message}")
            self.writer.samples(self._rows(result, checkpoint, step))
            self.writer.event(step, "heldout", "; ".join([said, *sentences]), summary)
        print(f"brushwork train: {said}", *(f"\n  {s}" for s in sentences), sep="", flush=True)
        return summary

    def _rise(self, result: HeldoutResult, summary: dict) -> list[str]:
        """Add the paired rise against the run's first evaluation to `summary`; its sentences."""
        first = heldout_checkpoints(self.writer.store, self.writer.run_id)
        if not first or first[0][0] == result.checkpoint:
            return []
        name = first[0][0]
        before, before_second = stored_pairs(self.writer.store, self.writer.run_id, name)
        rise = rise_between(before, [(r.prompt, s.total) for r, s in zip(result.rollouts, result.scores, strict=True)])
        summary.update(rise_metrics(rise))
        out = [rise.sentence(f"held-out reward vs {name}")]
        if self.independent is not None and result.independent is not None:
            second = rise_between(before_second, list(zip([r.prompt for r in result.rollouts], result.independent,
                                                          strict=True)))
            summary.update(rise_metrics(second, f"heldout/{INDEPENDENT}_"))
            out.append(second.sentence(f"independent signal ({self.independent.label})"))
        return out

    def _rows(self, result: HeldoutResult, checkpoint: str, step: int) -> list[SampleRow]:
        second = result.independent or [None] * len(result.rollouts)
        rows = []
        for r, score, seed, extra in zip(result.rollouts, result.scores, result.seeds, second, strict=True):
            components = {**score.components, **{f"gate:{k}": v for k, v in score.gates.items()}}
            if self.independent is not None:
                components[INDEPENDENT] = extra
            rows.append(SampleRow(step=step, prompt=r.prompt, completion=r.completion, code=r.code,
                                  components=components, total=score.total,
                                  png_hash=bytes_hash(r.png) if r.png else None, split="heldout",
                                  seed=seed, checkpoint=checkpoint))
        return rows

    def contact_sheet(self) -> Path | None:
        """First vs last held-out evaluation side by side, saved as run_dir/contact_sheet.png."""
        path = write_contact_sheet(self.writer, self.run_dir / "contact_sheet.png")
        return path


def write_contact_sheet(writer: RunWriter, out: Path, seed: int | None = None) -> Path | None:
    """Build the sheet from the store's held-out samples of the first and last checkpoint evaluated."""
    store, run_id = writer.store, writer.run_id
    cps = heldout_checkpoints(store, run_id)
    if len(cps) < 2:
        return None
    (first, first_step), (last, last_step) = cps[0], cps[-1]
    seed = seed if seed is not None else heldout_seed(store, run_id)

    def items(cp: str) -> list[tuple[str, bytes | None, float | None]]:
        out = []
        for r in heldout_sample_rows(store, run_id, cp, seed):
            png = store.stored_png(r["png_hash"])
            out.append((r["prompt"], png.read_bytes() if png else None, r["total"]))
        return out

    sheet = contact_sheet(items(first), items(last), f"{first} (step {first_step})", f"{last} (step {last_step})")
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    return out
