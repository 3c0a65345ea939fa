"""Real `trl.GRPOConfig` objects for every shipped preset and rollout mode, built with the pinned TRL.

The vLLM modes are built as configs only (vLLM is not installed here: the engine starts in the trainer,
not in the config). A GPU preset asks for bf16, which transformers refuses on a machine without a
bf16-capable GPU, so those tests say the machine has one (`bf16_gpu`); everything else is TRL's own
validation. Also: gradient checkpointing reaches the name TRL reads, `report_to` reaches TRL with its
checks, `deepspeed` is in the [gpu] extra, and a multi-process ZeRO-3 launch is refused before it can hang.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from core.paths import REPO_ROOT, RESOURCES
from core.train.config import ROLLOUTS, ConfigError, RunConfig, load_config
from core.train.distributed import zero3_refusal
from core.train.translate import grpo_config, reporters, tensorboard_dir

PRESETS = sorted((RESOURCES / "train").glob("*.toml"))


@pytest.fixture
def bf16_gpu(monkeypatch):
    """Stand for a machine with a bf16 GPU (transformers asks torch; this CPU box has none)."""
    import transformers.training_args as ta

    monkeypatch.setattr(ta, "is_torch_bf16_gpu_available", lambda: True)


def test_the_presets_are_the_ones_tested():
    assert {p.stem for p in PRESETS} == {"tiny-cpu", "workstation-lora", "vllm-server"}


@pytest.mark.parametrize("rollout", ROLLOUTS)
@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.stem)
def test_every_preset_in_every_rollout_mode_builds_a_grpo_config(preset: Path, rollout: str, tmp_path, bf16_gpu,
                                                                  monkeypatch):
    monkeypatch.delenv("TENSORBOARD_LOGGING_DIR", raising=False)
    cfg = dataclasses.replace(load_config(preset), rollout=rollout)
    device = "cpu" if cfg.device == "cpu" and rollout == "transformers" else "cuda"
    g = grpo_config(cfg, tmp_path / "checkpoints", reward_weights=[1.0], device=device)
    assert (g.max_steps, g.num_generations, g.per_device_train_batch_size) == (cfg.steps, cfg.num_generations,
                                                                               cfg.batch_size)
    assert (g.beta, g.learning_rate, g.max_completion_length) == (cfg.beta, cfg.learning_rate,
                                                                  cfg.max_completion_length)
    assert g.gradient_checkpointing is cfg.gradient_checkpointing  # overrides TRL's default of True
    assert g.use_vllm is (rollout != "transformers")
    if rollout == "vllm-colocate":
        assert g.vllm_mode == "colocate"
        assert g.vllm_gpu_memory_utilization == cfg.vllm_gpu_memory_utilization
        assert g.vllm_tensor_parallel_size == cfg.vllm_tensor_parallel_size
    elif rollout == "vllm-server":
        assert g.vllm_mode == "server" and g.vllm_server_base_url == cfg.vllm_server_url.rstrip("/")
    assert g.use_cpu is (device == "cpu") and g.bf16 is (device == "cuda" or cfg.dtype == "bfloat16")
    assert g.report_to == [] and g.save_steps == cfg.checkpoint_every


def test_vllm_is_not_needed_to_build_its_config(tmp_path, bf16_gpu):
    assert importlib.util.find_spec("vllm") is None, "this check means something only where vLLM is absent"
    g = grpo_config(RunConfig(rollout="vllm-server"), tmp_path, device="cuda")
    assert g.use_vllm and "vllm" not in sys.modules


@pytest.mark.parametrize("on", [True, False])
def test_gradient_checkpointing_reaches_the_name_trl_reads(on: bool, tmp_path, bf16_gpu):
    from trl import GRPOConfig

    g = grpo_config(RunConfig(gradient_checkpointing=on), tmp_path, device="cuda")
    assert isinstance(g, GRPOConfig)
    assert g.gradient_checkpointing is on and g.activation_checkpointing is on


def test_report_to_tensorboard_reaches_trl_and_writes_in_the_run_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("TENSORBOARD_LOGGING_DIR", raising=False)
    run_dir = tmp_path / "run"
    g = grpo_config(RunConfig(report_to=["tensorboard"]), run_dir / "checkpoints", device="cpu")
    assert g.report_to == ["tensorboard"]
    assert os.environ["TENSORBOARD_LOGGING_DIR"] == str(run_dir / "tensorboard") == str(
        tensorboard_dir(run_dir / "checkpoints"))
    from transformers.integrations.integration_utils import TensorBoardCallback

    callback = TensorBoardCallback()  # what the trainer builds for report_to: it writes where we said
    assert callback.logging_dir == str(run_dir / "tensorboard")
    assert reporters(RunConfig(report_to=["none"])) == [] and reporters(RunConfig()) == []


def test_report_to_names_and_packages_are_checked():
    from transformers.integrations.integration_utils import (
        INTEGRATION_TO_CALLBACK,
        get_available_reporting_integrations,
    )

    with pytest.raises(ConfigError, match="'all' is not a reporter"):
        reporters(RunConfig(report_to=["all"]))
    with pytest.raises(ConfigError, match="'tensorbord' is not a reporter.*tensorboard"):
        reporters(RunConfig(report_to=["tensorbord"]))
    absent = sorted(set(INTEGRATION_TO_CALLBACK) - set(get_available_reporting_integrations()) - {"flyte", "kubeflow"})
    assert absent, "every reporter is installed: nothing to check the refusal with"
    with pytest.raises(ConfigError, match=f"{absent[0]} is not installed.*pip install {absent[0]}"):
        reporters(RunConfig(report_to=["tensorboard", absent[0]]))


def test_deepspeed_is_in_the_gpu_extra_the_launch_config_names():
    extras = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(r.startswith("deepspeed") for r in extras["gpu"])
    assert "[gpu] extra" in (RESOURCES / "train" / "accelerate-deepspeed-zero2.yaml").read_text()


def _deepspeed_env(config: str, world: int = 2) -> dict[str, str]:
    return {"ACCELERATE_USE_DEEPSPEED": "true", "WORLD_SIZE": str(world),
            "ACCELERATE_DEEPSPEED_CONFIG_FILE": str(RESOURCES / "train" / config)}


def test_zero3_with_several_processes_is_refused_and_zero2_is_not(tmp_path):
    assert "ZeRO-3 with 2 processes" in zero3_refusal(_deepspeed_env("deepspeed-zero3.json"))
    assert zero3_refusal(_deepspeed_env("deepspeed-zero2.json")) is None
    assert zero3_refusal(_deepspeed_env("deepspeed-zero3.json", world=1)) is None  # one process holds it all
    assert "ZeRO-3" in zero3_refusal({"ACCELERATE_USE_DEEPSPEED": "true", "WORLD_SIZE": "4",
                                      "ACCELERATE_DEEPSPEED_ZERO_STAGE": "3"})
    assert zero3_refusal({"WORLD_SIZE": "2"}) is None  # plain DDP
    bad = tmp_path / "ds.json"
    bad.write_text(json.dumps({"zero_optimization": {}}))
    assert "cannot read the DeepSpeed config" in zero3_refusal({**_deepspeed_env("x"), "ACCELERATE_DEEPSPEED_CONFIG_FILE": str(bad)})


def test_a_zero3_rank_refuses_at_once_instead_of_waiting_for_the_others(tmp_path):
    # As `accelerate launch` would start rank 1 of 2 under deepspeed-zero3.json: it must exit with the
    # reason, not block in a collective waiting for a rank 0 that also refused.
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "BRUSHWORK_HOME": str(tmp_path / "home"), "RANK": "1",
           "LOCAL_RANK": "1", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "1", **_deepspeed_env("deepspeed-zero3.json")}
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "core.cli", "train", str(RESOURCES / "train" / "tiny-cpu.toml"),
                           "--run-dir", str(tmp_path / "run")], capture_output=True, text=True, env=env, timeout=120,
                          cwd=REPO_ROOT)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "ZeRO-3 with 2 processes is not supported" in done.stderr and "ZeRO-2" in done.stderr
    assert time.monotonic() - t0 < 60 and not (tmp_path / "run").exists()
