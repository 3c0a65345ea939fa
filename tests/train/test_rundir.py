"""Run directory: lock against a second writer, clear errors before the first step."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.train.rundir import RunError, RunLock, check_writable, last_checkpoint
from tests.cli_helpers import REPO, run_brushwork

HOLD = "import sys, time; from pathlib import Path; from core.train.rundir import RunLock; " \
       "RunLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)"


def test_second_process_cannot_take_the_lock(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunError, match=rf"in use by a running training process \(pid {holder.pid}\)"):
            RunLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
    RunLock(tmp_path).acquire().release()  # the kernel dropped the dead holder's lock


def test_unwritable_and_full_are_clear_errors(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(RunError, match="Cannot write the run directory"):
        check_writable(blocker / "run", 0)
    with pytest.raises(RunError, match=r"MB free .* wants \d+ MB"):
        check_writable(tmp_path / "run", 10**12)


def test_cli_refuses_before_loading_a_model(tmp_path: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[model]\nmodel = "/nonexistent/model"\n[run]\nmin_free_mb = 1000000000\n')
    out = run_brushwork("train", str(cfg), "--run-dir", str(tmp_path / "run"), home=tmp_path / "home")
    assert out.returncode == 2
    assert "MB free" in out.stderr and "Traceback" not in out.stderr
    (tmp_path / "blocker").write_text("x")
    out = run_brushwork("train", str(cfg), "--run-dir", str(tmp_path / "blocker" / "run"), home=tmp_path / "home")
    assert out.returncode == 2 and "Cannot write the run directory" in out.stderr


def test_only_a_checkpoint_with_optimizer_state_is_a_resume_point(tmp_path: Path):
    """A stopped run's last save holds the weights only (for generate and export): resuming from it would
    restart AdamW from zero, so a resume goes back to the newest checkpoint that has the optimizer's state."""
    for step, files in ((2, ("optimizer.pt", "scheduler.pt")), (4, ("optimizer.pt",)), (5, ()), (6, ("scheduler.pt",))):
        folder = tmp_path / "checkpoints" / f"checkpoint-{step}"
        folder.mkdir(parents=True)
        for name in (*files, "adapter_model.safetensors", "trainer_state.json"):
            (folder / name).write_text("{}")
    (tmp_path / "checkpoints" / "checkpoint-8").mkdir()  # a save a kill interrupted: no trainer_state.json
    (tmp_path / "checkpoints" / "checkpoint-8" / "optimizer.pt").write_text("{}")
    assert last_checkpoint(tmp_path) == (tmp_path / "checkpoints" / "checkpoint-6", 6)
    assert last_checkpoint(tmp_path, resumable=True) == (tmp_path / "checkpoints" / "checkpoint-4", 4)
