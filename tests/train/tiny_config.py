"""The run config of the tiny `brushwork train` runs that tests and benchmarks start: the settings they all
share, each caller's own laid over them, written with the one TOML writer (tomli-w)."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import tomli_w

# The smallest run that still passes every stage: CPU, LoRA, two generations a group, 64 px renders on one
# page, one held-out prompt. The run's name, its checkpoint interval and its steps are each caller's.
TINY_RUN: dict[str, dict[str, Any]] = {
    "run": {"device": "cpu", "min_free_mb": 1},
    "lora": {"lora_r": 4, "lora_alpha": 8},
    "grpo": {"num_generations": 2, "batch_size": 4, "max_completion_length": 24},
    "reward": {"render_size": 64, "render_pool": 1, "render_timeout": 60.0},
    "prompts": {"heldout_count": 1, "heldout_seeds": [0]},
}


def tiny_run_config(model: Path, **sections: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """TINY_RUN training `model`, with each section's keys in `sections` replacing or adding to the shared ones."""
    config = copy.deepcopy(TINY_RUN)
    config = {"run": config.pop("run"), "model": {"model": str(model)}, **config}
    for name, keys in sections.items():
        config.setdefault(name, {}).update(keys)
    return config


def write_tiny_run_config(path: Path, model: Path, **sections: dict[str, Any]) -> Path:
    """`tiny_run_config(model, **sections)` written to `path` as TOML; returns `path`."""
    path.write_text(tomli_w.dumps(tiny_run_config(model, **sections)))
    return path
