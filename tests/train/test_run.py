"""`brushwork train` as a real process on the tiniest model: kill -9 and resume, stop file, collapse warning.

The model is untrained (random weights), so rewards are mostly 0: these tests are about the run's
plumbing and its records, not about learning (benchmarks/train_bench.py measures that).
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import REPO
from tests.train.tiny_config import write_tiny_run_config
from tests.train.train_process import open_db, wait_for_run

pytestmark = [pytest.mark.slow, pytest.mark.long, pytest.mark.browser, pytest.mark.timeout(1500)]


def _start(tmp_path: Path, model: Path, steps: int, temperature: float = 1.0, resume: bool = False,
           procs: list | None = None) -> subprocess.Popen:
    cfg = write_tiny_run_config(tmp_path / "c.toml", model, run={"name": "t", "checkpoint_every": 2},
                                grpo={"steps": steps, "learning_rate": 1e-3, "temperature": temperature})
    run_dir = tmp_path / "run"
    args = ["--resume", str(run_dir)] if resume else [str(cfg), "--run-dir", str(run_dir)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRUSHWORK_TORCH_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "train", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if procs is not None:
        procs.append(proc)
    return proc


def _max_step(home: Path) -> int:
    try:
        with open_db(home) as db:
            return db.execute("SELECT COALESCE(MAX(step), 0) FROM metrics WHERE key='reward'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_kill_9_then_resume_gives_one_row_per_step_and_key(tmp_path, tiny_model, tiny_recogniser, brushwork_home,
                                                            procs):
    proc = _start(tmp_path, tiny_model, steps=5, procs=procs)
    wait_for_run(lambda: _max_step(brushwork_home) >= 3, proc, timeout=900)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with open_db(brushwork_home) as db:
        assert db.execute("SELECT status FROM runs").fetchone()[0] == "running"  # died without a word
    proc = _start(tmp_path, tiny_model, steps=5, resume=True, procs=procs)
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out[-3000:]
    assert re.search(r"resuming from checkpoint-[24] ", out), out[-3000:]
    with open_db(brushwork_home) as db:
        steps = [r[0] for r in db.execute("SELECT step FROM metrics WHERE key='reward' ORDER BY step")]
        assert steps == [1, 2, 3, 4, 5]
        keys_per_step = dict(db.execute("SELECT step, COUNT(*) FROM metrics WHERE key LIKE 'rewards/%' GROUP BY step"))
        assert len(set(keys_per_step.values())) == 1
        per_step = dict(db.execute("SELECT step, COUNT(*) FROM samples WHERE split='train' GROUP BY step"))
        assert per_step == {s: 4 for s in range(1, 6)}, "no duplicated or lost samples"
        assert db.execute("SELECT status FROM runs").fetchone()[0] == "finished"
        kinds = [r[0] for r in db.execute("SELECT kind FROM run_events ORDER BY id")]
        assert "resumed" in kinds and kinds[-1] == "finished"
        assert db.execute("SELECT COUNT(*) FROM samples WHERE split='heldout'").fetchone()[0] == 2
        assert db.execute("SELECT COUNT(*) FROM metrics WHERE key='heldout/reward'").fetchone()[0] == 2
    assert (tmp_path / "run" / "checkpoints" / "checkpoint-4" / "adapter_model.safetensors").exists()


def test_stop_file_and_collapse_warning(tmp_path, tiny_model, tiny_recogniser, brushwork_home, procs):
    # Near-greedy sampling: every generation of a prompt is the same text, a collapse by construction.
    proc = _start(tmp_path, tiny_model, steps=40, temperature=0.02, procs=procs)
    wait_for_run(lambda: _max_step(brushwork_home) >= 2, proc, timeout=900)
    (tmp_path / "run" / "STOP").touch()
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-3000:]
    with open_db(brushwork_home) as db:
        status, = db.execute("SELECT status FROM runs").fetchone()
        last = _max_step(brushwork_home)
        assert status == "stopped" and 2 <= last < 40
        events = dict(db.execute("SELECT kind, message FROM run_events"))
        assert "collapse" in events and "identical" in events["collapse"]
    assert (tmp_path / "run" / "checkpoints" / f"checkpoint-{last}").exists()
    assert not (tmp_path / "run" / "STOP").exists()
