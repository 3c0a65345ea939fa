"""RunConfig: TOML round trip, validation, and the one translation into TRL's GRPOConfig / PEFT's LoraConfig."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from core.paths import RESOURCES
from core.train.config import ConfigError, RunConfig, config_from_dict, help_text, load_config, save_config
from core.train.translate import grpo_config, grpo_kwargs, lora_config

PRESETS = RESOURCES / "train"


def test_every_field_has_help_and_section():
    for f in dataclasses.fields(RunConfig):
        assert f.metadata["help"] and f.metadata["section"], f.name
    assert "vllm_server_url" in help_text()


def test_toml_round_trip(tmp_path: Path):
    cfg = RunConfig(name='quote"d', steps=7, beta=0.1, heldout_seeds=[3, 4], lora_target_modules=["q_proj", "v_proj"],
                    system_prompt="line one\nline two")
    save_config(cfg, tmp_path / "c.toml")
    assert load_config(tmp_path / "c.toml") == cfg


# what a pasted system prompt or a name may hold: every one of them broke the hand-written writer's file
AWKWARD = 'Paint.\r\nUse "brush".\tTab \\ back\x7f\x01 ünï €'


def test_toml_round_trip_of_control_characters(tmp_path: Path):
    cfg = RunConfig(name="cr\rname", system_prompt=AWKWARD, lora_target_modules=["q\rproj"])
    save_config(cfg, tmp_path / "c.toml")
    assert load_config(tmp_path / "c.toml") == cfg
    assert "# Rubric preset name" in (tmp_path / "c.toml").read_text()  # each value keeps its help above it


@pytest.mark.slow  # imports the training stack
def test_resume_reads_a_config_with_a_carriage_return(tmp_path: Path, brushwork_home):
    """`brushwork train --resume` gets past the run's config.toml (it stops later, at the model it cannot find)."""
    from tests.cli_helpers import run_brushwork

    run_dir = tmp_path / "run"
    run_dir.mkdir()
    rubric = tmp_path / "ramp.toml"  # a rubric this machine can always measure: the preflight lets it through
    rubric.write_text('name = "ramp"\n[components.length_ramp]\nweight = 1.0\n')
    save_config(RunConfig(name="crlf", system_prompt="Paint.\r\nUse brush.", model=str(tmp_path / "no-model"),
                          steps=1, rubric=str(rubric)), run_dir / "config.toml")
    proc = run_brushwork("train", "--resume", str(run_dir), timeout=300)
    assert "not valid TOML" not in proc.stderr
    assert "model.system_prompt = 'Paint.\\r\\nUse brush.'" in proc.stdout  # the config it printed at start
    assert proc.returncode != 0 and "No model at" in proc.stderr
    assert load_config(run_dir / "config.toml").system_prompt == "Paint.\r\nUse brush."  # saved again, still readable


@pytest.mark.parametrize("name", ["tiny-cpu", "workstation-lora"])
def test_presets_load(name: str):
    cfg = load_config(PRESETS / f"{name}.toml")
    assert cfg.beta > 0, "every preset keeps a KL anchor"


def test_unknown_and_mistyped_settings_are_errors():
    with pytest.raises(ConfigError, match="unknown setting.*stepz"):
        config_from_dict({"grpo": {"stepz": 3}})
    with pytest.raises(ConfigError, match="steps = 'many' should be a int"):
        config_from_dict({"grpo": {"steps": "many"}})
    with pytest.raises(ConfigError, match="batch_size.*multiple of num_generations"):
        config_from_dict({"num_generations": 4, "batch_size": 6})
    assert config_from_dict({"learning_rate": 1}).learning_rate == 1.0


def test_cpu_translation(tmp_path: Path):
    cfg = RunConfig(steps=12, num_generations=4, batch_size=8, beta=0.03, temperature=0.9, checkpoint_every=5)
    g = grpo_config(cfg, tmp_path, reward_weights=[1.0, 0.5], device="cpu")
    assert (g.max_steps, g.num_generations, g.per_device_train_batch_size) == (12, 4, 8)
    assert (g.beta, g.temperature, g.save_steps, g.logging_steps) == (0.03, 0.9, 5, 1)
    assert g.use_cpu and not g.bf16 and not g.use_vllm
    assert g.reward_weights == [1.0, 0.5]


def test_vllm_colocate_mapping(tmp_path: Path):
    cfg = RunConfig(rollout="vllm-colocate", vllm_gpu_memory_utilization=0.5, vllm_tensor_parallel_size=2)
    kw = grpo_kwargs(cfg, tmp_path, device="cuda")
    assert kw["use_vllm"] and kw["vllm_mode"] == "colocate"
    assert (kw["vllm_gpu_memory_utilization"], kw["vllm_tensor_parallel_size"]) == (0.5, 2)
    assert kw["bf16"] and not kw["use_cpu"]


def test_vllm_server_mapping(tmp_path: Path):
    cfg = RunConfig(rollout="vllm-server", vllm_server_url="http://10.0.0.5:8000/")
    kw = grpo_kwargs(cfg, tmp_path, device="cuda")
    assert kw["use_vllm"] and kw["vllm_mode"] == "server"
    assert kw["vllm_server_base_url"] == "http://10.0.0.5:8000"
    assert "vllm_gpu_memory_utilization" not in kw


def test_vllm_without_gpu_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="needs a CUDA GPU"):
        grpo_kwargs(RunConfig(rollout="vllm-server"), tmp_path, device="cpu")


def test_lora_translation():
    cfg = RunConfig(lora_r=4, lora_alpha=8, lora_target_modules=["q_proj"])
    lc = lora_config(cfg)
    assert (lc.r, lc.lora_alpha, set(lc.target_modules)) == (4, 8, {"q_proj"})
    assert lora_config(RunConfig()).target_modules == "all-linear"


def test_promoted_system_prompt_reaches_training(brushwork_home):
    from core.prompts.system import training_prompt_path
    from core.train.config import RunConfig, system_message

    cfg = RunConfig(prompt_format="chat", system_prompt="@promoted")
    assert "brush.polygon" in system_message(cfg)  # nothing promoted yet: the allowlist prompt
    path = training_prompt_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Paint with brush.circle only.", encoding="utf-8")
    assert system_message(cfg) == "Paint with brush.circle only."
    assert system_message(RunConfig(system_prompt="literal")) == "literal"
