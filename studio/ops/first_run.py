"""What a training run needs before it can start (a model, its warm start, the subject recogniser,
references or a judge), and the jobs that make the missing pieces: `brushwork model tiny`, `brushwork
sft`, `brushwork subject train`, `brushwork rm demo-pool`.

Each job is a background process (studio.ops.launch: its own session, lower CPU priority, a log in
the data home); its progress and an ETA are read from the lines it prints. Nothing here imports torch.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.paths import data_home
from core.pool import RatingPool
from core.store import Store
from core.store.home import TINY_MODEL, TINY_SFT_MODEL
from core.train.progress import duration
from core.train.sft import SftConfig, stale_warm_start
from studio.ops.launch import launch, log_path, log_tail  # noqa: F401 (log_tail: the setup box quotes it)

TINY, TINY_SFT = TINY_MODEL, TINY_SFT_MODEL
SFT_DEFAULT_STEPS = 800      # `brushwork sft`'s own cap (core/train/sft.py)
MODEL_BUILD_S = 30.0         # `brushwork model tiny` on 2 busy cores, measured 2026-12-07 (27 s)
# Per SFT step and per evaluation sample on 2 busy cores (2026-12-07: 4 steps + 2 samples in 32 s,
# 25 steps ~20 s on a quieter box): an ETA before the first progress line arrives.
SFT_STEP_S, SFT_SAMPLE_S = 1.0, 12.0
MIN_LOVE_REFERENCES = 2      # pairwise judging compares with this many love-tier pool images
# `brushwork subject train` at its defaults: rendering 176 sketches, then 500 fitting steps; the share of
# its time each stage took (measured 2026-12-08, 2 busy cores) weighs the progress bar.
SUBJECT_TRAIN_S, SUBJECT_RENDER_SHARE = 240.0, 0.75


@dataclass
class Need:
    """One thing a run needs: whether it is there, in words, and the job that makes it (if any)."""

    key: str                 # "model" | "sft" | "recogniser" | "references" | "judge"
    label: str
    ok: bool
    detail: str
    required: bool = True    # False: the run starts without it (those components are missing)
    job: str | None = None   # "model" | "sft" | "subject" | "pool"


def _built(home: Path, rel: str) -> bool:
    return (home / rel / "config.json").exists()


def run_needs(config: Any, store: Store) -> list[Need]:
    """What `config` (a RunConfig) needs, checked now (blocking: call through run_in_thread)."""
    home = data_home()
    needs: list[Need] = []
    model = str(config.model)
    if model.rstrip("/") in (TINY, TINY_SFT):
        tiny = _built(home, TINY)
        needs.append(Need("model", "Tiny model", tiny, "built (models/tiny in the data home)" if tiny else
                          f"not built: a small Qwen-style model made here from the sketch corpus (~{duration(MODEL_BUILD_S)})",
                          job="model"))
        if model.rstrip("/") == TINY_SFT:
            sft = _built(home, TINY_SFT)
            needs.append(Need("sft", "Warm start (SFT)", sft, _sft_detail(home) if sft else
                              "not trained: teaches the tiny model to write sketches that render "
                              f"(minutes to ~15 min on a CPU; it stops once {sft_target()} of its samples render)",
                              job="sft"))
    else:
        path = Path(model).expanduser()
        local = path if path.is_absolute() else home / model
        if local.exists() or path.is_absolute() or model.startswith(("models/", ".")):
            ok = (local / "config.json").exists()
            needs.append(Need("model", "Model", ok, f"found at {local}" if ok else f"no model at {local}: build it, "
                              "or set `model` in the form to a folder or a hub name"))
        else:
            needs.append(Need("model", "Model", True, f"{model}: from the model hub (downloaded on first use)"))
    needs += _reward_needs(config, store)
    return needs


def sft_target(target: float | None = None) -> str:
    """The share of renders SFT stops at, as words ("90 %"): `target` (what a run used), else the default."""
    return f"{(SftConfig.target_nonblank if target is None else target) * 100:.0f} %"


def _sft_detail(home: Path) -> str:
    try:
        report = json.loads((home / TINY_SFT / "sft_report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"trained, in {home / TINY_SFT}"
    rate, steps = report.get("nonblank"), report.get("steps")
    target = sft_target((report.get("config") or {}).get("target_nonblank"))
    weak = "" if report.get("reached_target") else f" (below the {target} target: a longer SFT gives a better start)"
    stale = stale_warm_start(report)
    weak += f" ({stale})" if stale else ""
    return f"trained {steps} steps; {rate:.0%} of its samples render{weak}" if rate is not None else "trained"


def _reward_needs(config: Any, store: Store) -> list[Need]:
    """Judged components want love-tier references and a judge; without them they are missing."""
    from core.reward import load_rubric  # deferred: heavy (playwright)
    from core.reward.registry import component_info  # deferred: heavy (playwright)

    try:
        rubric = load_rubric(config.rubric)
    except Exception as e:  # a broken preset is said here, and again by the runner
        return [Need("judge", "Reward", False, f"the rubric {config.rubric!r} cannot be loaded: {e}")]
    needs = _recogniser_needs(rubric)
    judged = [s for s in rubric.specs if s.weight > 0 and component_info(s.fn).get("judged")]
    if not judged:
        return needs + [Need("judge", "Reward", True, f"{rubric.name}: measured here, no judge or key needed",
                             required=False)]
    names = ", ".join(f"{s.name} ({s.weight:g})" for s in judged)
    love = RatingPool(store).counts().get("love", 0)
    needs.append(Need("references", "Pool references", love >= MIN_LOVE_REFERENCES,
                  f"{love} love-rated image{'s' if love != 1 else ''} in the pool" + (
                      "" if love >= MIN_LOVE_REFERENCES else
                      f": {names} compare{'s' if len(judged) == 1 else ''} with love-rated references; "
                      "build the demo pool or rate images in the Rate pane"), required=False, job="pool"))
    missing_keys = sorted({env for s in rubric.judge_settings.values() for env in _key_envs(s) if not os.environ.get(env)})
    if missing_keys:
        needs.append(Need("judge", "Judge key", False,
                          f"{' / '.join(missing_keys)} not set: {names} will be missing and the reward is "
                          "renormalised over the rest. Set it before starting the studio.", required=False))
    return needs


def _recogniser_needs(rubric: Any) -> list[Need]:
    """A rubric that weights `subject` needs the recogniser trained here: the runner's preflight refuses
    without it (core/reward/subject/preflight.py), so it is required."""
    from core.reward.subject.model import read_meta, recogniser_problem  # deferred: heavy (scipy, playwright)

    weighted = [s for s in rubric.specs if s.fn == "subject" and s.weight > 0]
    if not weighted:
        return []
    meta = read_meta()
    if recogniser_problem() is None:
        acc = meta.heldout_accuracy if meta is not None else None
        told = "" if acc is None else f": it names {acc:.0%} of {meta.heldout_images} held-out renders right"
        return [Need("recogniser", "Subject recogniser", True, f"trained{told}", job="subject")]
    # Short: the row has three lines at 900 px. What is wrong, who reads it, what making it costs.
    names = ", ".join(f"{s.name} ({s.weight:g})" for s in weighted)
    what = ("not trained" if meta is None else
            f"made for other features ({meta.features_version or 'unknown'}): retrain")
    return [Need("recogniser", "Subject recogniser", False,
                 f"{what}: {names} reads it (is the prompt's subject painted?); made here from corpus renders, "
                 f"~{duration(SUBJECT_TRAIN_S)}", job="subject")]


def _key_envs(settings: Any) -> list[str]:
    if settings.backend not in ("openai", "gemini"):
        return []
    if settings.base_url or (settings.base_url_env and os.environ.get(settings.base_url_env)):
        return []  # a local server (vLLM, Ollama…) needs no key
    default = "OPENAI_API_KEY" if settings.backend == "openai" else "GEMINI_API_KEY"
    return [settings.api_key_env or default]


# -- jobs ---------------------------------------------------------------------------------------------
@dataclass
class JobProgress:
    """What a job's output says so far: a fraction (None = not known yet), a line, an ETA."""

    fraction: float | None = None
    text: str = ""
    eta_s: float | None = None
    result: dict = field(default_factory=dict)


@dataclass
class FirstRunJob:
    """One running job: its process, log, and how to read its progress."""

    kind: str
    proc: subprocess.Popen
    log: Path
    started: float
    parse: Callable[[str, float], JobProgress]

    def progress(self) -> JobProgress:
        """Progress from the log so far (blocking read: call through run_in_thread)."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            text = ""
        return self.parse(text, time.monotonic() - self.started)

    def cancel(self) -> None:
        """End the job's process (SFT keeps the model saved at its last evaluation)."""
        if self.proc.poll() is None:
            self.proc.terminate()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "core.cli", *args]


def launch_job(kind: str, *, sft_steps: int = SFT_DEFAULT_STEPS, subject: dict[str, int] | None = None) -> FirstRunJob:
    """Start one job: "model" (tiny model), "sft" (warm start, at most `sft_steps`), "subject" (the subject
    recogniser; `subject` overrides `brushwork subject train`'s settings, e.g. {"steps": 100}), "pool" (demo pool)."""
    if kind == "model":
        cmd, parse = _cli("model", "tiny"), _parse_model
    elif kind == "sft":
        every = max(1, min(100, sft_steps))  # evaluate at least once, at the end of a short SFT
        cmd = _cli("sft", "--max-steps", str(sft_steps), "--eval-every", str(every))
        parse = _sft_parser(sft_steps, every)
    elif kind == "subject":
        options = [a for k, v in sorted((subject or {}).items()) for a in (f"--{k.replace('_', '-')}", str(int(v)))]
        cmd, parse = _cli("subject", "train", *options), _parse_subject
    elif kind == "pool":
        cmd, parse = _cli("rm", "demo-pool"), _parse_pool
    else:
        raise ValueError(f"no first-run job {kind!r}")
    log = log_path({"model": "model-tiny", "subject": "subject-train"}.get(kind, kind))
    return FirstRunJob(kind, launch(cmd, log), log, time.monotonic(), parse)


def _parse_model(text: str, elapsed: float) -> JobProgress:
    done = re.search(r"tiny model: ([\d,]+) parameters, vocab (\d+)", text)
    if done:
        return JobProgress(1.0, f"a tiny model of {done.group(1)} parameters (vocabulary {done.group(2)})")
    # no progress lines: an estimate from the measured build time, never past 95 %
    return JobProgress(min(0.95, elapsed / MODEL_BUILD_S), "training the tokenizer, building the model",
                       max(1.0, MODEL_BUILD_S - elapsed))


def _sft_parser(total: int, every: int) -> Callable[[str, float], JobProgress]:
    evals = -(-total // every)

    def parse(text: str, elapsed: float) -> JobProgress:
        steps = [int(m) for m in re.findall(r"sft step (\d+)", text)]
        step = max(steps, default=0)
        rates = re.findall(r"sft step (\d+): (\d+)% of (\d+)", text)
        result = {}
        for line in text.splitlines():
            if line.startswith("{") and '"reached_target"' in line:
                try:
                    result = json.loads(line)
                except ValueError:
                    pass
        if result:
            return JobProgress(1.0, f"stopped at step {result['steps']}: {result['nonblank']:.0%} of samples render",
                               0.0, result)
        if step:
            per_step = elapsed / step
            eta = per_step * (total - step)
            line = f"step {step} of at most {total}"
            if rates:
                line += f" · {rates[-1][1]}% of samples rendered at step {rates[-1][0]}"
            return JobProgress(step / total, line, eta)
        estimate = total * SFT_STEP_S + evals * 10 * SFT_SAMPLE_S
        return JobProgress(None, "loading the model and the corpus", max(1.0, estimate - elapsed))
    return parse


def _parse_subject(text: str, elapsed: float) -> JobProgress:
    """`brushwork subject train` prints "render: 17/176" and "fit: 50/500" lines, then its held-out accuracy."""
    done = re.search(r"held-out accuracy (\S+) on (\d+) renders", text)
    if done:
        acc = "not measured" if done.group(1) == "n/a" else f"{float(done.group(1)):.0%}"
        return JobProgress(1.0, f"trained: {acc} of {done.group(2)} held-out renders named right", 0.0)
    stages = {stage: (int(a), int(b)) for stage, a, b in re.findall(r"(render|fit): (\d+)/(\d+)", text)}
    if not stages:
        return JobProgress(None, "starting the renderer", max(1.0, SUBJECT_TRAIN_S - elapsed))
    render, fit = (stages.get(k, (0, 1)) for k in ("render", "fit"))
    fraction = SUBJECT_RENDER_SHARE * render[0] / render[1] + (1 - SUBJECT_RENDER_SHARE) * fit[0] / fit[1]
    line = (f"fitting: step {fit[0]} of {fit[1]}" if "fit" in stages
            else f"rendered {render[0]} of {render[1]} training sketches")
    eta = elapsed / fraction * (1 - fraction) if fraction > 0 else None
    return JobProgress(min(fraction, 0.99), line, eta)


def _parse_pool(text: str, elapsed: float) -> JobProgress:
    marks = re.findall(r"\[(\d+)/(\d+)\]", text)
    summary = re.search(r"demo pool: .*", text)
    if summary:
        return JobProgress(1.0, summary.group(0).strip(), 0.0)
    if not marks:
        return JobProgress(None, "starting the renderer", None)
    done, total = int(marks[-1][0]), int(marks[-1][1])
    eta = elapsed / done * (total - done) if done else None
    return JobProgress(done / total if total else None, f"rendered {done} of {total} sketches", eta)


def describe_eta(progress: JobProgress) -> str:
    """'· about 3 min left' (or nothing when unknown)."""
    return f" · about {duration(progress.eta_s)} left" if progress.eta_s else ""
