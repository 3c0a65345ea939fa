"""Several training processes: `accelerate launch` with 2 CPU processes on the tiny model, and the GPU configs.

The two-process run is real (torchrun under accelerate, gloo, two Chromium pools); the GPU files
(DeepSpeed ZeRO, vLLM server) can only be checked for what they say here: no CUDA on this machine.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.cli_helpers import REPO
from tests.db_helpers import sql_rows
from tests.train.tiny_config import write_tiny_run_config

TRAIN = REPO / "resources" / "train"


@pytest.mark.slow
@pytest.mark.long
@pytest.mark.browser
@pytest.mark.timeout(1800)
def test_two_processes_write_one_coherent_run(tmp_path, brushwork_home, tiny_recogniser):
    # (offline-default, the default rubric, weights the subject: the runner refuses to start without a recogniser)
    from core.train.tiny import TinySpec, make_tiny

    model = tmp_path / "model"
    make_tiny(model, TinySpec(vocab_size=320, hidden_size=32, layers=1, heads=2, corpus_size=200))
    batch = 2  # completions per process per step
    cfg = write_tiny_run_config(tmp_path / "c.toml", model, run={"name": "two", "checkpoint_every": 2},
                                grpo={"steps": 2, "batch_size": batch, "max_completion_length": 16, "learning_rate": 1e-3},
                                reward={"render_timeout": 120.0})
    run_dir = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRUSHWORK_TORCH_THREADS": "1", "OMP_NUM_THREADS": "1"}
    from core.train.distributed import launch_command

    cmd = launch_command([str(cfg), "--run-dir", str(run_dir)])
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=1700)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    with sqlite3.connect(brushwork_home / "brushwork.db") as db:
        assert db.execute("SELECT COUNT(*), MIN(status) FROM runs").fetchone() == (1, "finished")
        dup = db.execute("SELECT COUNT(*) FROM (SELECT step, key FROM metrics GROUP BY step, key HAVING COUNT(*) > 1)")
        assert dup.fetchone()[0] == 0  # the table's key forbids it; a second writer would still race on it
        assert dict(db.execute("SELECT step, value FROM metrics WHERE key='processes'")) == {1: 2.0, 2: 2.0}
        # Both processes' completions are scored and kept: 2 processes x `batch` per step.
        per_step = dict(db.execute("SELECT step, COUNT(*) FROM samples WHERE split='train' GROUP BY step"))
        assert per_step == {1: 2 * batch, 2: 2 * batch}, out[-3000:]
        assert db.execute("SELECT COUNT(*) FROM samples WHERE split='train' AND components IS NULL").fetchone()[0] == 0
        # TRL's logged reward is the mean over every process's completions: it equals the stored samples' mean.
        for step in (1, 2):
            logged = db.execute("SELECT value FROM metrics WHERE step=? AND key='reward'", (step,)).fetchone()[0]
            totals = [t or 0.0 for (t,) in db.execute("SELECT total FROM samples WHERE step=? AND split='train'", (step,))]
            assert logged == pytest.approx(sum(totals) / len(totals), abs=1e-4)
        events = [k for (k,) in db.execute("SELECT kind FROM run_events WHERE kind IN ('checkpoint', 'heldout', 'finished')")]
        assert events.count("checkpoint") == 1 and events.count("heldout") == 2 and events.count("finished") == 1
        assert db.execute("SELECT COUNT(*) FROM samples WHERE split='heldout'").fetchone()[0] == 2  # rank 0 only
    checkpoints = sorted(p.name for p in (run_dir / "checkpoints").glob("checkpoint-*"))
    assert checkpoints == ["checkpoint-2"]
    assert (run_dir / "checkpoints" / "checkpoint-2" / "adapter_model.safetensors").exists()
    assert out.count("brushwork train: run ") == 1  # rank 0 alone announces the run


def test_follower_writer_writes_nothing(store):
    from core.train.distributed import FollowerWriter
    from core.train.run_writer import SampleRow

    w = FollowerWriter("r1")
    w.start("n", "grpo", {}, Path("/nowhere"))
    w.metrics(1, {"reward": 1.0})
    w.samples([SampleRow(step=1, prompt="p", completion="c", code="c", components={}, total=1.0)])
    w.event(1, "x", "y")
    assert w.heldout_done("checkpoint-1")  # held-out evaluation is rank 0's
    for table in ("runs", "metrics", "samples", "run_events"):
        assert sql_rows(store, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] == 0


def test_one_process_decisions_are_local():
    from core.train import distributed as dist
    from core.train.rundir import RunError

    assert dist.ranks().world == 1 and dist.ranks().is_main
    assert dist.main_value(7) == 7 and dist.on_main(lambda: 3, (RunError,)) == 3
    assert dist.any_process(True) and not dist.any_process(False)

    def bad():
        raise RunError("disk full. Free space.")

    with pytest.raises(RunError, match="disk full"):
        dist.on_main(bad, (RunError,))


def test_deepspeed_configs_leave_sizes_to_the_trainer():
    for stage in (2, 3):
        ds = json.loads((TRAIN / f"deepspeed-zero{stage}.json").read_text())
        assert ds["zero_optimization"]["stage"] == stage
        # "auto" lets HF fill these from the run config, so one TOML drives 1 or N GPUs.
        for key in ("train_micro_batch_size_per_gpu", "gradient_accumulation_steps", "train_batch_size"):
            assert ds[key] == "auto"
    text = (TRAIN / "accelerate-deepspeed-zero2.yaml").read_text()
    assert "distributed_type: DEEPSPEED" in text and "resources/train/deepspeed-zero2.json" in text


def test_vllm_server_config_translates_to_trl_server_mode():
    from core.train.config import load_config
    from core.train.translate import grpo_kwargs

    cfg = load_config(TRAIN / "vllm-server.toml")
    kw = grpo_kwargs(cfg, "/tmp/out", device="cuda")
    assert kw["use_vllm"] and kw["vllm_mode"] == "server" and kw["vllm_server_base_url"] == "http://127.0.0.1:8000"
    assert kw["bf16"] and not kw["use_cpu"]
    assert tomllib.loads((TRAIN / "vllm-server.toml").read_text())["rollout"]["rollout"] == "vllm-server"
