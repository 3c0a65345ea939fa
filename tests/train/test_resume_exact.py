"""Exact resume: a run killed (once inside a held-out evaluation, once mid-step) and resumed logs the same
metrics, samples and events as one never killed, and adds nothing to the library.

Real `brushwork train` processes on the tiniest model (random weights) with a rubric of two length
components, so rewards vary within groups and the policy really moves: a resume that restored the
weights but not the optimizer, the sampling RNG or the monitors' history would show as a different
curve. Held-out evaluations run at every checkpoint and reseed torch for their own sampling; without
`preserved_rng` the steps after them would differ.
"""
from __future__ import annotations

import math
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.cli_helpers import REPO
from tests.train.tiny_config import write_tiny_run_config
from tests.train.train_process import open_db, wait_for_run

pytestmark = [pytest.mark.slow, pytest.mark.long, pytest.mark.browser, pytest.mark.timeout(2400)]

RUBRIC = """
name = "lengths"
description = "two length components: varied rewards from a random model, no picture needed"
[components.ramp]
fn = "length_ramp"
weight = 0.7
params = { target_tokens = 30 }
[components.floor]
fn = "length_binary"
weight = 0.3
params = { min_tokens = 12 }
"""

TIMING = ("_ms", "seconds", "step_time", "_runtime", "_per_second")


def _train(args: list[str], procs: list) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRUSHWORK_TORCH_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "train", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    procs.append(proc)
    return proc


def _finish(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate(timeout=1200)
    assert proc.returncode == 0, out[-4000:]
    return out


def _metrics(db: sqlite3.Connection, run: str) -> dict[tuple[int, str], float | None]:
    rows = db.execute("SELECT step, key, value FROM metrics WHERE run_id=?", (run,)).fetchall()
    return {(s, k): v for s, k, v in rows if not any(t in k for t in TIMING)}


def _events(db: sqlite3.Connection, run: str) -> list[tuple[int | None, str, str]]:
    rows = db.execute("SELECT step, kind, message FROM run_events WHERE run_id=? ORDER BY step, id", (run,)).fetchall()
    # resume notes and progress phases are about the processes, not the trajectory; the last event's
    # message says how long the run took
    return [(s, k, m if k not in ("finished", "stopped") else "") for s, k, m in rows
            if k != "resumed" and not k.startswith("phase:")]


def _samples(db: sqlite3.Connection, run: str) -> list[tuple]:
    return db.execute("SELECT step, split, checkpoint, seed, prompt, completion, total, components FROM samples"
                      " WHERE run_id=? ORDER BY step, split, checkpoint, seed, prompt, id", (run,)).fetchall()


def test_killed_and_resumed_run_equals_one_never_killed(tmp_path, tiny_model, brushwork_home, procs):
    rubric = tmp_path / "lengths.toml"
    rubric.write_text(RUBRIC)
    cfg = write_tiny_run_config(
        tmp_path / "exact.toml", tiny_model, run={"name": "exact", "checkpoint_every": 2, "keep_checkpoints": 10},
        grpo={"steps": 6, "learning_rate": 5e-3, "beta": 0.04, "temperature": 1.0}, reward={"rubric": str(rubric)},
        prompts={"heldout_count": 4, "heldout_every": 2})
    whole, broken = tmp_path / "whole", tmp_path / "broken"

    _finish(_train([str(cfg), "--run-dir", str(whole)], procs))

    # 1. Killed inside checkpoint-2's held-out evaluation. The evaluation of a tiny model's sketches can take less
    #    than a poll (its renders cached by the run above), so the trainer is stopped (SIGSTOP) the moment its
    #    checkpoint folder appears and stepped in 5 ms slices until the checkpoint is announced: it is killed
    #    between the announcement and the evaluation's samples, never after them.
    proc = _train([str(cfg), "--run-dir", str(broken)], procs)
    with open_db(brushwork_home) as db:
        def announced() -> bool:
            return bool(db.execute("SELECT 1 FROM run_events WHERE run_id='broken' AND kind='checkpoint' AND step=2")
                        .fetchone())
        wait_for_run(lambda: (broken / "checkpoint-2").exists() or announced(), proc, poll=0.002)
        os.kill(proc.pid, signal.SIGSTOP)
        while not announced():
            os.kill(proc.pid, signal.SIGCONT)
            time.sleep(0.005)
            os.kill(proc.pid, signal.SIGSTOP)
            time.sleep(0.02)  # stopped for sure before the next read
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert not db.execute("SELECT 1 FROM samples WHERE run_id='broken' AND checkpoint='checkpoint-2'").fetchone()

    # 2. Resumed from checkpoint-2 (its evaluation redone), then killed mid-step after checkpoint-4.
    proc = _train(["--resume", str(broken)], procs)
    with open_db(brushwork_home) as db:
        wait_for_run(lambda: db.execute("SELECT 1 FROM metrics WHERE run_id='broken' AND key='reward' AND step=5")
              .fetchone(), proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    out = _finish(_train(["--resume", str(broken)], procs))
    assert "resuming from checkpoint-4" in out, out[-3000:]
    # the run ends with its paired rise over the held-out prompts and the independent signal's beside it
    lines = [ln.removeprefix("brushwork train: ") for ln in out.splitlines()]
    rise = next(ln for ln in lines if ln.startswith("held-out reward (sft -> checkpoint-6) "))
    assert re.search(r" [+-]\d\.\d{3} \(95 % CI [+-]\d\.\d{3} to [+-]\d\.\d{3}, n = 4 prompts", rise), rise
    assert lines[lines.index(rise) + 1].startswith("independent signal"), out[-3000:]

    with open_db(brushwork_home) as db:
        a, b = _metrics(db, "whole"), _metrics(db, "broken")
        assert a.keys() == b.keys()
        assert {s for s, k in a if k == "reward"} == set(range(1, 7))
        assert {k for _, k in a} >= {"loss", "kl", "reward", "heldout/reward", "heldout/delta", "heldout/ci_low",
                                     "diagnostics/effective/ramp", "frac_reward_zero_std"}
        differ = {k: (a[k], b[k]) for k in a if not _close(a[k], b[k])}
        assert not differ, f"{len(differ)} metric rows differ, e.g. {sorted(differ.items())[:5]}"
        assert _events(db, "whole") == _events(db, "broken")
        assert _samples(db, "whole") == _samples(db, "broken")
        checkpoints = [r[0] for r in db.execute("SELECT checkpoint FROM samples WHERE run_id='broken' AND "
                                                "split='heldout' GROUP BY checkpoint ORDER BY MIN(step)")]
        assert checkpoints == ["sft", "checkpoint-2", "checkpoint-4", "checkpoint-6"]
        # held-out samples stay in the run: a redone evaluation adds nothing to the library
        assert db.execute("SELECT COUNT(*) FROM sketches WHERE run_id IN ('whole', 'broken')").fetchone()[0] == 0


def _close(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is y
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)
