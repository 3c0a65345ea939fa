"""A real training process beside a GUI benchmark: `brushwork sft` on the tiny model, started the way the
studio starts its jobs (studio.ops.launch: own session, background priority), for the benches'
'training beside it' phase.

The tiny model is built once and kept in the temp dir between runs (like the rating bench's
paintings); the SFT writes into the bench's own data home. SFT is what the studio runs first, and it
keeps both cores busy with torch (evaluation, with its renders, is pushed past the phase).

    with TrainingBeside(nice=None) as beside:   # None: the studio's background nice; 0: equal priority
        ... measure ...
    beside.summary  -> {"trainer": "sft", "nice": 10, "autogroup_nice": 10, "trainer_cpu_pct": 180.0, ...}
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODEL_CACHE = Path(tempfile.gettempdir()) / "brushwork-bench-tiny-model"
LOADED_CPU_S = 12.0
# The benches' `--beside` phases: (phase name, nice) each; None = the studio's background nice, 0 = the studio's own.
PHASES = {"none": [], "low": [("beside", None)], "both": [("beside", None), ("beside_equal", 0)]}


def add_beside_argument(parser: argparse.ArgumentParser) -> None:
    """The `--beside none|low|both` option of a GUI bench (a key of PHASES)."""
    parser.add_argument("--beside", choices=list(PHASES), default="low",
                        help="training beside it: none; low = at the studio's background priority (default); "
                             "both = also at the studio's own priority")


def tiny_model() -> Path:
    """The cached tiny model (built here with `brushwork model tiny` on first use, ~30 s)."""
    if not (MODEL_CACHE / "config.json").exists():
        print(f"building the tiny model for the training-beside phase in {MODEL_CACHE} …", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "core.cli", "model", "tiny", "--out", str(MODEL_CACHE)], cwd=REPO,
                       check=True, stdout=subprocess.DEVNULL)
    return MODEL_CACHE


class TrainingBeside:
    """Start SFT on the tiny model as a studio job; wait until it trains; stop it on exit."""

    def __init__(self, nice: int | None = None, warm_s: float = 5.0):
        self.nice, self.warm_s = nice, warm_s
        self.proc: subprocess.Popen | None = None
        self.summary: dict = {}

    def __enter__(self) -> TrainingBeside:
        import psutil

        from studio.ops.launch import autogroup_nice, launch, log_path

        model = tiny_model()
        if self.nice is not None:
            os.environ["BRUSHWORK_BACKGROUND_NICE"] = str(self.nice)
        out = Path(os.environ.get("BRUSHWORK_HOME", tempfile.mkdtemp())) / "models" / "bench-sft"
        cmd = [sys.executable, "-m", "core.cli", "sft", "--base", str(model), "--out", str(out),
               "--max-steps", "100000", "--eval-every", "100000", "--batch-size", "16"]
        self.proc = launch(cmd, log_path("bench-sft"))
        trainer = psutil.Process(self.proc.pid)
        # Loading torch, the corpus and the model costs ~6 s of CPU: past LOADED_CPU_S it is training.
        # (Waiting for it to take a whole core would never end on a shared machine at background nice.)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and sum(trainer.cpu_times()[:2]) < LOADED_CPU_S:
            time.sleep(1.0)
            if self.proc.poll() is not None:
                raise SystemExit(f"the training process ended (exit {self.proc.returncode}); see its log")
        time.sleep(self.warm_s)
        self.summary = {"trainer": "brushwork sft (tiny model, torch threads "
                        f"{os.environ.get('BRUSHWORK_TORCH_THREADS', '2')})", "nice": trainer.nice(),
                        "autogroup_nice": autogroup_nice(self.proc.pid)}
        self._cpu0 = sum(trainer.cpu_times()[:2])
        self._t0 = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        import psutil

        if self.proc is None:
            return
        try:
            cpu = sum(psutil.Process(self.proc.pid).cpu_times()[:2]) - self._cpu0
            self.summary["trainer_cpu_pct"] = round(100 * cpu / max(1e-6, time.monotonic() - self._t0), 1)
        except (psutil.Error, AttributeError):
            pass
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.nice is not None:
            os.environ.pop("BRUSHWORK_BACKGROUND_NICE", None)
