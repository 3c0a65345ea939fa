"""What a run is doing now, in words a person follows: loading, held-out, step N of M with an ETA, stopping.

Read from what the runner leaves in the store — its row (status, newest step), its events (the
writer's `phase:*` events, `heldout`, `resumed`, `finished`…) — plus what only the reader knows: a
stop it asked for and the run's recent seconds per step. Pure: no SQL, no clock of its own.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from core.train.tail import RunEvent, RunInfo

DONE = ("finished", "stopped", "failed", "died")


@dataclass(frozen=True)
class RunProgress:
    """One line about a run: `phase` (a word), `text` (the sentence), and numbers when known."""

    phase: str               # starting | loading | heldout | training | finishing | stopping | finished | …
    text: str
    step: int | None = None  # the last step done
    total: int | None = None
    eta_s: float | None = None

    @property
    def fraction(self) -> float | None:
        """Steps done of the run's steps (0..1), when both are known."""
        if self.step is None or not self.total:
            return None
        return max(0.0, min(1.0, self.step / self.total))


def duration(seconds: float) -> str:
    """'45 s', '12 min', '2 h 05 min' (rounded the way a person reads an ETA)."""
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min"


def seconds_per_step(step_times: Sequence[float], recent: int = 5) -> float | None:
    """The median of the last `recent` step times (NaN and non-positive values left out)."""
    good = [t for t in step_times[-recent * 2:] if t == t and t > 0][-recent:]
    return statistics.median(good) if good else None


def _phase_from_events(events: Sequence[RunEvent], total: int | None) -> tuple[str, str, int | None]:
    """(phase, message, step) the events leave the run in, oldest to newest."""
    phase, message, step = "loading", "loading the model, the tokenizer and the reward", None
    for e in events:
        kind = e.kind
        if kind == "phase:loading":
            phase, message, step = "loading", e.message, None
        elif kind == "phase:heldout":
            phase, message, step = "heldout", e.message, e.step
        elif kind.startswith("phase:"):
            phase, message, step = kind.removeprefix("phase:"), e.message, e.step
        elif kind == "heldout":  # an evaluation ended: training goes on, or the run is wrapping up
            final = step is not None and step > 0 and total is not None and step >= total
            phase, message = ("finishing", "writing the contact sheet") if final else ("training", "")
        elif kind == "resumed":
            phase, message, step = "training", e.message, e.step
        elif kind in DONE:
            phase, message, step = kind, e.message, e.step
    return phase, message, step


def run_progress(run: RunInfo, events: Sequence[RunEvent], *, step_s: float | None = None,
                 stop_asked: bool = False) -> RunProgress:
    """Where `run` is: from its status and events; `step_s` (recent seconds per step) gives the ETA;
    `stop_asked`: the reader asked it to stop (it finishes its current step and a last evaluation)."""
    total = run.config.get("steps") if isinstance(run.config.get("steps"), int) else None
    done = run.last_step if run.last_step is not None else 0
    of = f" of {total}" if total else ""
    if run.status in DONE:
        word = {"died": "the runner process is gone", "failed": "failed"}.get(run.status, run.status)
        reason = f": {run.error}" if run.error and run.status in ("failed", "died") else ""
        return RunProgress(run.status, f"{word} at step {done}{of}{reason}", done, total)
    phase, message, at = _phase_from_events(events, total)
    if phase in ("finished", "stopped", "failed"):  # the event is in, the row not yet
        return RunProgress(phase, message or phase, done, total)
    if stop_asked and phase in ("loading", "training"):
        return RunProgress("stopping", f"stopping after step {done + 1}{of}, then a last held-out evaluation",
                           done, total)
    if phase == "loading":
        return RunProgress("loading", message[:1].upper() + message[1:] + "…", done, total)
    if phase == "heldout":
        what = message or "held-out evaluation"
        prefix = "stopping: " if stop_asked else ""
        return RunProgress("heldout", f"{prefix}{what} (rendering and scoring never-trained prompts)…", at, total)
    if phase == "finishing":
        return RunProgress("finishing", "finishing: " + (message or "writing the contact sheet") + "…", done, total)
    eta = step_s * (total - done) if step_s and total and total > done else None
    now = f"step {min(done + 1, total or done + 1)}{of}"
    if done == 0:
        text = f"{now}: generating, rendering and scoring the first group"
    else:
        text = f"{now} · {step_s:.0f} s a step" if step_s else now
    if eta is not None:
        text += f" · about {duration(eta)} left"
    return RunProgress("training", text, done, total, eta)
