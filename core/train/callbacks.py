"""The trainer callback: metrics rows, samples, step-time split, collapse and rubric warnings, stop requests.

The collapse monitor and the live rubric diagnostics keep their history in the checkpoint: the callback
is one of TRL's `ExportableState`s, so `_save_checkpoint` writes their state into the checkpoint's
trainer_state.json together with the weights, and `on_train_begin` of a resumed run reads it back (the
trainer's own callback restore stays off: it would rebuild this callback without its writer). A
resumed run also redoes the held-out evaluation a kill interrupted (`on_resume`).

Step time is split by when things happen inside one TRL step: generation runs from the step's start
until the reward functions are first called (`generation_ms`); then rendering (`render_ms`) and
scoring (`reward_ms`) in core/train/rewards.py; the rest until the step ends is the policy update
(`update_ms`: log-probs, loss, backward, optimizer).
"""
from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback
from transformers.trainer_callback import ExportableState

from core.train.live_diagnostics import LiveDiagnostics
from core.train.monitor import CollapseMonitor
from core.train.rewards import ScoredBatch
from core.train.run_writer import RunWriter, SampleRow

STOP_FILE = "STOP"


class RunCallback(TrainerCallback, ExportableState):
    """Writes what each step did to the store and stops after the current step on request."""

    def __init__(self, writer: RunWriter, run_dir: Path, sample_every: int = 1,
                 monitor: CollapseMonitor | None = None, on_checkpoint=None,
                 diagnostics: LiveDiagnostics | None = None, on_resume=None):
        self.writer = writer
        self.run_dir = run_dir
        self.sample_every = sample_every
        self.monitor = monitor or CollapseMonitor()
        self.diagnostics = diagnostics
        self.on_checkpoint = on_checkpoint
        self.on_resume = on_resume  # (step) -> None: redo what a kill interrupted at the checkpoint resumed from
        self.stop_requested: str | None = None
        self._step_start = time.perf_counter()
        self._timing: dict[str, float] = {}
        self._batch: ScoredBatch | None = None

    def install_signal_handlers(self) -> None:
        """SIGTERM / SIGINT ask for a stop after the current step (a second SIGINT interrupts)."""
        def ask(signum: int, _frame: Any) -> None:
            if self.stop_requested and signum == signal.SIGINT:
                raise KeyboardInterrupt
            self.stop_requested = signal.Signals(signum).name

        signal.signal(signal.SIGTERM, ask)
        signal.signal(signal.SIGINT, ask)

    # -- called by BatchScorer when a batch has been rendered and scored --------------------------
    def on_scored(self, batch: ScoredBatch) -> None:
        self._batch = batch
        self._timing["generation_ms"] = max(0.0, (time.perf_counter() - self._step_start) * 1000
                                            - batch.render_ms - batch.reward_ms)
        self._timing["render_ms"] = batch.render_ms
        self._timing["reward_ms"] = batch.reward_ms
        self._scored_at = time.perf_counter()
        for message in batch.outages:
            self.writer.event(batch.step, "outage", message)
        if self.diagnostics is not None:
            self.diagnostics.add_batch(batch.step, [sc.components for sc in batch.scores])
        if self.sample_every and batch.step % self.sample_every == 0:
            hashes = batch.png_hashes()
            self.writer.samples([
                SampleRow(step=batch.step, prompt=r.prompt, completion=r.completion, code=r.code,
                          components={**s.components, **{f"gate:{k}": v for k, v in s.gates.items()}},
                          total=s.total, png_hash=h, split="train", seed=r.seed)
                for r, s, h in zip(batch.rollouts, batch.scores, hashes, strict=True)])

    # -- ExportableState: saved in each checkpoint's trainer_state.json --------------------------------
    def state(self) -> dict:
        return {"args": {}, "attributes": {"monitor": self.monitor.to_state(),
                                           "diagnostics": self.diagnostics.state() if self.diagnostics else None}}

    # -- TrainerCallback ----------------------------------------------------------------------------
    def on_train_begin(self, args, state, control, **kw):
        if state.global_step == 0:
            return
        saved = (state.stateful_callbacks or {}).get(type(self).__name__)
        saved = saved[0] if isinstance(saved, list) else saved
        attributes = (saved or {}).get("attributes") or {}
        if attributes.get("monitor"):
            self.monitor.load_state(attributes["monitor"])
        if self.diagnostics is not None and attributes.get("diagnostics"):
            self.diagnostics.load_state(attributes["diagnostics"])
        if self.on_resume is not None:
            self.on_resume(state.global_step)

    def on_step_begin(self, args, state, control, **kw):
        self._step_start = time.perf_counter()
        self._timing = {}
        self._batch = None

    def on_step_end(self, args, state, control, **kw):
        if "render_ms" in self._timing:
            self._timing["update_ms"] = (time.perf_counter() - self._scored_at) * 1000
        self._timing["step_ms"] = (time.perf_counter() - self._step_start) * 1000
        if self.stop_requested is None and (self.run_dir / STOP_FILE).exists():
            self.stop_requested = "stop file"
        if self.stop_requested:
            control.should_training_stop = True
            control.should_save = True
        return control

    def on_log(self, args, state, control, logs=None, **kw):
        logs = dict(logs or {})
        if "train_runtime" in logs:  # the end-of-training summary, not a step
            return
        values: dict[str, Any] = {k: v for k, v in logs.items() if isinstance(v, int | float)}
        values.update(self._timing)
        if self._batch is not None:
            values.update(self._batch.diversity)
        step = state.global_step
        findings = []
        if self.diagnostics is not None:
            extra, findings = self.diagnostics.update(step, values)
            values.update(extra)
        self.writer.metrics(step, values)
        for f in findings:
            self.writer.event(f.step, f.kind, f.message, f.data)
        warning = self.monitor.update(step, values)
        if warning:
            self.writer.event(step, "collapse", warning["message"], warning["data"])

    def on_save(self, args, state, control, **kw):
        name = f"checkpoint-{state.global_step}"
        self.writer.event(state.global_step, "checkpoint", f"{name} saved", {"path": str(Path(args.output_dir) / name)})
        if self.on_checkpoint is not None:
            self.on_checkpoint(state.global_step, name)
