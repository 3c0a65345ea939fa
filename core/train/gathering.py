"""The training callback of a run spread over several processes (see distributed.py)."""
from __future__ import annotations

from accelerate.utils import gather_object

from core.train.callbacks import RunCallback
from core.train.distributed import any_process, ranks
from core.train.rewards import ScoredBatch
from core.train.run_writer import SampleRow


class GatheringCallback(RunCallback):
    """RunCallback for several processes: samples gathered to rank 0, stop decided together."""

    def on_scored(self, batch: ScoredBatch) -> None:
        super().on_scored(batch)  # rank 0 writes its own share; followers' writer drops theirs

        mine = {"rank": ranks().rank, "outages": batch.outages, "render_ms": batch.render_ms,
                "reward_ms": batch.reward_ms, "rows": [], "pngs": []}
        if not ranks().is_main and self.sample_every and batch.step % self.sample_every == 0:
            for r, s in zip(batch.rollouts, batch.scores, strict=True):
                mine["rows"].append(SampleRow(
                    step=batch.step, prompt=r.prompt, completion=r.completion, code=r.code,
                    components={**s.components, **{f"gate:{k}": v for k, v in s.gates.items()}},
                    total=s.total, split="train", seed=r.seed))
                mine["pngs"].append((r.png, r.render.width, r.render.height) if r.png and r.render else None)
        parts = gather_object([mine])
        # The slowest process sets the pace of a synchronous step: log it next to rank 0's own split.
        self._timing["render_ms_max"] = max(p["render_ms"] for p in parts)
        self._timing["reward_ms_max"] = max(p["reward_ms"] for p in parts)
        self._timing["processes"] = float(len(parts))
        if ranks().is_main:
            self._write_others(batch, [p for p in parts if p["rank"] != 0])

    def _write_others(self, batch: ScoredBatch, parts: list[dict]) -> None:
        store = self.writer.store
        rows: list[SampleRow] = []
        for part in parts:
            for message in part["outages"]:
                self.writer.event(batch.step, "outage", f"rank {part['rank']}: {message}")
            for row, png in zip(part["rows"], part["pngs"], strict=True):
                if png:  # rank 0 keeps the follower's PNG so the sample's png_hash points at a file
                    rec = store.save_render(row.code, 0, png[1], png[2], png=png[0], ms=None)
                    row.png_hash = rec.png_hash
                rows.append(row)
        if rows:
            self.writer.samples(rows)

    def on_step_end(self, args, state, control, **kw):
        control = super().on_step_end(args, state, control, **kw)
        # A STOP file or a signal seen by one process stops all of them after the same step.
        if any_process(self.stop_requested is not None) and not self.stop_requested:
            self.stop_requested = "another process asked to stop"
        if self.stop_requested:
            control.should_training_stop = True
            control.should_save = True
        return control

    def on_log(self, args, state, control, logs=None, **kw):
        if ranks().is_main:  # TRL's logs are already means over every process
            super().on_log(args, state, control, logs=logs, **kw)

    def on_save(self, args, state, control, **kw):
        if ranks().is_main:
            super().on_save(args, state, control, **kw)
