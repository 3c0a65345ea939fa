"""`brushwork train`: TRL's GRPOTrainer + PEFT LoRA, in this process, writing to the store.

Order of a run: read the config → draw its three prompt sets (selection, training, held-out) and refuse
when two share a prompt, before anything is written → check and lock the run directory (clear errors
before any model loads) → preflight: refuse when a weighted component of the rubric can never be
measured here → fix the run's inputs in its folder (system prompt, rubric TOML, reward model:
core/train/pinned.py; the prompt sets: core/train/prompt_sets.py) → open the store and mark the run
running → load model and tokenizer → TRL's one reward function (the rubric total, judged against the
rating pool) → held-out evaluation of the starting model → train (metrics, samples, checkpoints,
collapse warnings, live rubric diagnostics, stop on request) → held-out evaluation of the last
checkpoint, with its paired rise against the first and the independent signal's → contact sheet.
Resume (`--resume RUN_DIR`) continues from the newest checkpoint that has optimizer state, with the
inputs the run was fixed to; metrics, samples and events logged after it by the dead process are
dropped first, so every (step, key) ends up with exactly one row and the curve equals an unbroken run's.
"""
from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from core.pool.pool import RatingPool
from core.reward import RewardError, load_rubric
from core.reward.judges.cache import JudgementCache
from core.reward.preflight import preflight, preflight_message
from core.store import Store
from core.train import distributed as dist
from core.train.commands import cap_torch_threads, training_threads
from core.train.config import RunConfig, load_config, save_config
from core.train.independent import independent_signal
from core.train.pinned import PinnedInputs, apply_pins, pin_inputs, read_pinned, release_pins
from core.train.prompt_sets import PromptSets, fix_prompt_sets, prompt_sets, read_prompt_sets, run_prompt_sets
from core.train.run_writer import RunWriter
from core.train.rundir import RunError, RunLock, check_writable, last_checkpoint, new_run_dir
from core.train.tiny import plain_prompt
from core.train.translate import grpo_config, lora_config, model_path, resolved_device

__all__ = ["RunError", "run_training"]


def _dataset(cfg: RunConfig, system: str, prompts: list[str]):
    from datasets import Dataset  # deferred: heavy (datasets)

    if cfg.prompt_format == "plain":
        rows = [{"prompt": plain_prompt(p)} for p in prompts]
    else:
        head = [{"role": "system", "content": system}] if system else []
        rows = [{"prompt": [*head, {"role": "user", "content": p}]} for p in prompts]
    return Dataset.from_list(rows)


def preset(cfg: RunConfig):  # noqa: ANN201 (Rubric)
    """The run config's rubric preset; RunError naming the setting when it cannot be loaded."""
    try:
        return load_rubric(cfg.rubric)
    except RewardError as e:
        raise RunError(f"reward.rubric: {e}") from e


def preflight_rubric(rubric, store=None, prompts: Sequence[str] = ()) -> None:
    """RunError saying what to do when a weighted component of `rubric` can never be measured here, or not on
    some of the run's `prompts` (its training and held-out sets)."""
    own = store is None
    store = store or Store()
    try:
        problems = preflight(rubric, RatingPool(store), prompts=prompts)
    finally:
        if own:
            store.close()
    if problems:
        raise RunError(preflight_message(rubric, problems))


def run_training(config_path: Path | None, run_dir: Path | None = None, resume: Path | None = None,
                 steps: int | None = None) -> int:
    """Run (or resume) one training run; returns the process exit code (0 finished or stopped)."""
    if resume is not None:
        run_dir = resume
        if not (run_dir / "config.toml").exists():
            raise RunError(f"{run_dir} has no config.toml: it is not a run directory. Pass the folder a run created.")
        cfg = load_config(config_path or run_dir / "config.toml")
    else:
        cfg = load_config(config_path)
        run_dir = dist.main_value(run_dir or new_run_dir(cfg.name))  # one folder for every process
        if dist.main_value((run_dir / "config.toml").exists()):
            raise RunError(f"{run_dir} already holds a run. Continue it with --resume {run_dir} or choose another --run-dir.")
    if steps is not None:
        cfg.steps = steps
    resumed = resume is not None
    # Rank 0 alone checks, locks and saves; the others get its verdict (see core/train/distributed.py).
    # Two prompt sets that share a prompt are refused here, before the run folder holds anything.
    sets = None if resumed else dist.on_main(lambda: prompt_sets(cfg), (RunError,))
    dist.on_main(lambda: check_writable(run_dir, cfg.min_free_mb), (RunError,))
    with RunLock(run_dir) if dist.ranks().is_main else contextlib.nullcontext():
        if not resumed:  # a bad preset or an unmeasurable component fails here, before anything is written
            dist.on_main(lambda: preflight_rubric(preset(cfg), prompts=sets.scored), (RunError,))
        if dist.ranks().is_main:
            save_config(cfg, run_dir / "config.toml")
        dist.on_main(lambda: pin_inputs(run_dir, cfg), (RunError,))
        dist.on_main(lambda: fix_prompt_sets(run_dir, cfg, sets) if sets else run_prompt_sets(run_dir, cfg), (RunError,))
        pinned = read_pinned(run_dir)  # every process reads what rank 0 fixed, and nothing else
        fixed = read_prompt_sets(run_dir)
        apply_pins(pinned)
        try:
            return _run_locked(cfg, run_dir, resumed, pinned, fixed)
        finally:
            release_pins()


def _run_locked(cfg: RunConfig, run_dir: Path, resumed: bool, pinned: PinnedInputs, sets: PromptSets) -> int:
    from core.train.rewards import training_rubric  # deferred: heavy (scipy)

    rubric = training_rubric(pinned.rubric, cfg.min_completion_tokens)
    independent, no_independent = independent_signal(cfg.independent, pinned.rubric, pinned.reward_model)
    if resumed:  # a key or a server may have gone since the run started
        dist.on_main(lambda: preflight_rubric(rubric), (RunError,))
    store = Store() if dist.ranks().is_main else None  # one SQLite writer: rank 0
    # Every process judges its own share against the same pool (references drawn per prompt with the run's
    # seed); the others read the store (pool, cached verdicts) but never write it.
    reader = store
    if reader is None and (rubric.judge_settings or _reads_pool(rubric)):
        reader = Store()
    writer = RunWriter(store, run_dir.name) if store is not None else dist.FollowerWriter(run_dir.name)
    writer.start(cfg.name, "grpo", {k: getattr(cfg, k) for k in cfg.__dataclass_fields__}, run_dir)
    if not resumed:  # once: a resume says so with its own event
        writer.event(0, "pinned", f"fixed at start: rubric {pinned.rubric.name}, system prompt "
                     f"{pinned.record['system_prompt']['sha256'][:12]}, reward model "
                     f"{(pinned.record.get('reward_model') or {}).get('sha256', 'none')[:12]}; prompts: "
                     f"{len(sets.select)} selection, {len(sets.train)} training, {len(sets.heldout)} held-out "
                     f"(x {len(cfg.heldout_seeds)} seeds), disjoint; independent signal: "
                     f"{independent.label if independent else 'none: ' + no_independent}",
                     {**pinned.record, "prompt_sets": {k: len(v) for k, v in sets.as_dict().items()},
                      "independent": independent.label if independent else None})
    if dist.ranks().is_main:
        print(f"brushwork train: run {run_dir.name} in {run_dir}\n{cfg.describe()}", flush=True)
    try:
        pool = _pool(reader)
        cache = JudgementCache(reader, read_only=store is None) if reader is not None else None
        status = _train(cfg, run_dir, resumed, rubric, pinned.system_prompt, store, pool, cache, writer, sets,
                        independent)
    except BaseException as e:
        writer.status("failed" if not isinstance(e, KeyboardInterrupt) else "stopped", f"{type(e).__name__}: {e}")
        writer.event(None, "error", f"{type(e).__name__}: {e}", {"traceback": traceback.format_exc()[-4000:]})
        raise
    finally:
        for s in {id(x): x for x in (store, reader) if x is not None}.values():
            s.close()
    return 0 if status in ("finished", "stopped") else 1


def _reads_pool(rubric) -> bool:
    return any("pairwise" in (s.fn, s.fallback) for s in rubric.specs)


def _pool(store):  # noqa: ANN001, ANN202 (Store -> RatingPool | None)
    return RatingPool(store) if store is not None else None


def _train(cfg: RunConfig, run_dir: Path, resumed: bool, rubric, system: str, store, pool, cache, writer,
           sets: PromptSets, independent) -> str:
    import torch  # deferred: heavy (torch)
    from transformers import AutoModelForCausalLM, AutoTokenizer  # deferred: heavy (transformers)
    from trl import GRPOTrainer  # deferred: heavy (trl)

    from core.train.callbacks import RunCallback  # deferred: heavy (transformers)
    from core.train.gathering import GatheringCallback  # deferred: heavy (torch, accelerate)
    from core.train.heldout_runner import (  # deferred: heavy (scipy)
        HeldoutRunner,
        rise_sentences,
        stored_rise,
    )
    from core.train.live_diagnostics import LiveDiagnostics  # deferred: heavy (scipy)
    from core.train.rewards import BatchScorer  # deferred: heavy (scipy)

    cap_torch_threads(training_threads())
    device = resolved_device(cfg)
    path = model_path(cfg)
    if Path(path).is_absolute() and not (Path(path) / "config.json").exists():
        raise RunError(f"No model at {path}. Build it with `brushwork model tiny` then `brushwork sft`, or set model.model.")
    dtype = torch.bfloat16 if cfg.dtype == "bfloat16" or (cfg.dtype == "auto" and device == "cuda") else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(cfg.tokenizer or path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)

    diagnostics = LiveDiagnostics(rubric.weights, num_generations=cfg.num_generations)
    callback = (GatheringCallback if dist.ranks().enabled else RunCallback)(
        writer, run_dir, sample_every=cfg.sample_every, diagnostics=diagnostics)
    scorer = BatchScorer(rubric, render_size=cfg.render_size, render_timeout=cfg.render_timeout,
                         render_pool=cfg.render_pool, store=store, refs_pool=pool, cache=cache, seed=cfg.seed,
                         num_generations=cfg.num_generations, on_scored=callback.on_scored,
                         tokenizer=tokenizer)  # length in the policy's own tokens
    args = grpo_config(cfg, run_dir / "checkpoints", device=device)
    trainer = GRPOTrainer(model=model, reward_funcs=[scorer.reward_function()], args=args,
                          train_dataset=_dataset(cfg, system, sets.train), processing_class=tokenizer,
                          peft_config=lora_config(cfg), callbacks=[callback])
    heldout = HeldoutRunner(cfg, trainer.model, tokenizer, scorer, writer, run_dir, system=system,
                            prompts=sets.heldout, independent=independent)
    callback.on_checkpoint = heldout.on_checkpoint
    callback.on_resume = heldout.on_resume
    callback.install_signal_handlers()
    try:
        ckpt = last_checkpoint(run_dir, resumable=True) if resumed else None
        if ckpt is not None:
            dropped = writer.rewind(ckpt[1])
            writer.event(ckpt[1], "resumed", f"resumed from {ckpt[0].name}", dropped)
            print(f"brushwork train: resuming from {ckpt[0].name} (dropped {dropped})", flush=True)
        elif resumed:
            writer.rewind(0)
            writer.event(0, "resumed", "no checkpoint yet: starting again from step 0")
        heldout.evaluate("sft", 0)
        t0 = time.time()
        trainer.train(resume_from_checkpoint=str(ckpt[0]) if ckpt else None)
        final = trainer.state.global_step
        dist.barrier()  # every process sees the same checkpoints before deciding to save one more
        if not (run_dir / "checkpoints" / f"checkpoint-{final}").exists():
            # The weights for generate and export only: without optimizer state it is no resume point.
            trainer.save_model(str(run_dir / "checkpoints" / f"checkpoint-{final}"))  # writes from rank 0 only
            if dist.ranks().is_main:
                trainer.state.save_to_json(str(run_dir / "checkpoints" / f"checkpoint-{final}" / "trainer_state.json"))
        heldout.evaluate(f"checkpoint-{final}", final)
        if dist.ranks().is_main:
            for line in rise_sentences(stored_rise(store, writer.run_id)):
                print(f"brushwork train: {line}", flush=True)
        sheet = heldout.contact_sheet() if dist.ranks().is_main else None
        status = "stopped" if callback.stop_requested else "finished"
        writer.event(final, status, f"{status} at step {final} after {time.time() - t0:.0f} s"
                     + (f" ({callback.stop_requested})" if callback.stop_requested else ""),
                     {"contact_sheet": str(sheet) if sheet else None})
        writer.status(status)
        print(f"brushwork train: {status} at step {final}; contact sheet {sheet}", flush=True)
        return status
    finally:
        scorer.close()
        (run_dir / "STOP").unlink(missing_ok=True)
