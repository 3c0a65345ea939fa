"""Held-out evaluation inside a run: at the start, at checkpoints (heldout_every), at the end.

Each evaluation writes `heldout/*` metric rows at its step and one `heldout` sample per (prompt, seed)
tagged with its checkpoint. Samples stay in the run (its Gallery and Rollouts): one joins the library
only when a person opens or saves it. It scores with the scorer's rubric, pool, judgement cache and seed,
and the system prompt the run was fixed to. The contact sheet is built from the store, so a resumed run
still compares its first and last evaluation.
"""
from __future__ import annotations

from pathlib import Path

from core.hashing import bytes_hash
from core.train.config import RunConfig
from core.train.heldout import contact_sheet, evaluate
from core.train.rewards import BatchScorer
from core.train.run_writer import RunWriter, SampleRow


class HeldoutRunner:
    """Runs evaluations on the scorer's renderer loop and records them."""

    def __init__(self, cfg: RunConfig, model, tokenizer, scorer: BatchScorer, writer: RunWriter, run_dir: Path,
                 system: str = ""):
        self.cfg, self.model, self.tokenizer = cfg, model, tokenizer
        self.scorer, self.writer, self.run_dir, self.system = scorer, writer, run_dir, system

    def on_checkpoint(self, step: int, name: str) -> None:
        """Evaluate a checkpoint when the config asks for it at this step."""
        if self.cfg.heldout_every and step % self.cfg.heldout_every == 0:
            self.evaluate(name, step)

    def evaluate(self, checkpoint: str, step: int) -> dict | None:
        """Evaluate the current policy as `checkpoint` (skipped when already stored)."""
        if self.writer.heldout_done(checkpoint):
            return None
        sc = self.scorer
        result = sc.run(evaluate(self.model, self.tokenizer, self.cfg, sc.rubric, sc.renderer, checkpoint, step,
                                 system=self.system, refs_pool=sc.refs_pool, cache=sc.cache))
        summary = result.summary()
        self.writer.metrics(step, summary)
        for message in sc.outages(result.rollouts, result.scores):  # not measured is said, never scored 0
            self.writer.event(step, "outage", f"held-out {checkpoint}: {message}")
        rows = []
        for r, score, seed in zip(result.rollouts, result.scores, result.seeds, strict=True):
            rows.append(SampleRow(step=step, prompt=r.prompt, completion=r.completion, code=r.code,
                                  components={**score.components, **{f"gate:{k}": v for k, v in score.gates.items()}},
                                  total=score.total, png_hash=bytes_hash(r.png) if r.png else None, split="heldout",
                                  seed=seed, checkpoint=checkpoint))
        self.writer.samples(rows)
        reward = summary["heldout/reward"]
        said = (f"held-out {checkpoint}: reward {'n/a' if reward is None else f'{reward:.3f}'} "
                f"({summary['heldout/measured']:.0%} measured), non-blank {summary['heldout/nonblank']:.0%}")
        self.writer.event(step, "heldout", said, summary)
        print(f"brushwork train: {said}", flush=True)
        return summary

    def contact_sheet(self) -> Path | None:
        """First vs last held-out evaluation side by side, saved as run_dir/contact_sheet.png."""
        path = write_contact_sheet(self.writer, self.run_dir / "contact_sheet.png")
        return path


def write_contact_sheet(writer: RunWriter, out: Path, seed: int | None = None) -> Path | None:
    """Build the sheet from the store's held-out samples of the first and last checkpoint evaluated."""
    store = writer.store
    cps = store.query("SELECT checkpoint, MIN(step) AS step FROM samples WHERE run_id=? AND split='heldout'"
                      " GROUP BY checkpoint ORDER BY step", (writer.run_id,))
    if len(cps) < 2:
        return None
    first, last = cps[0], cps[-1]
    seed = seed if seed is not None else store.query(
        "SELECT MIN(seed) AS s FROM samples WHERE run_id=? AND split='heldout'", (writer.run_id,))[0]["s"]

    def items(cp: str) -> list[tuple[str, bytes | None, float | None]]:
        rows = store.query("SELECT prompt, png_hash, total FROM samples WHERE run_id=? AND split='heldout'"
                           " AND checkpoint=? AND seed=? ORDER BY id", (writer.run_id, cp, seed))
        out = []
        for r in rows:
            png = None
            if r["png_hash"]:
                f = store.path.parent / "renders" / r["png_hash"][:2] / f"{r['png_hash']}.png"
                png = f.read_bytes() if f.exists() else None
            out.append((r["prompt"], png, r["total"]))
        return out

    sheet = contact_sheet(items(first["checkpoint"]), items(last["checkpoint"]),
                          f"{first['checkpoint']} (step {first['step']})", f"{last['checkpoint']} (step {last['step']})")
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    return out
