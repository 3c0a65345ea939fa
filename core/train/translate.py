"""RunConfig → TRL `GRPOConfig` and PEFT `LoraConfig`: the only place that knows their field names."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from core.store.home import under_home
from core.train.config import ConfigError, RunConfig

# torch, transformers, trl and peft are imported inside the functions that build their objects: a config is
# read, checked and printed (`brushwork train --help-config`, doctor) without loading them.


def resolved_device(cfg: RunConfig) -> str:
    """cpu or cuda; `auto` asks torch."""
    if cfg.device != "auto":
        return cfg.device
    import torch  # deferred: heavy (torch)

    return "cuda" if torch.cuda.is_available() else "cpu"


def grpo_kwargs(cfg: RunConfig, output_dir: Path | str, reward_weights: list[float] | None = None,
                device: str | None = None) -> dict[str, Any]:
    """Keyword arguments for `trl.GRPOConfig` (a dict, so tests can read them without TRL's validation)."""
    device = device or resolved_device(cfg)
    if cfg.rollout != "transformers" and device != "cuda":
        raise ConfigError(f"rollout = {cfg.rollout!r} needs a CUDA GPU and the [gpu] extra; use rollout = \"transformers\" on {device}.")
    bf16 = cfg.dtype == "bfloat16" or (cfg.dtype == "auto" and device == "cuda")
    kw: dict[str, Any] = dict(
        output_dir=str(output_dir),
        seed=cfg.seed,
        max_steps=cfg.steps,
        num_generations=cfg.num_generations,
        per_device_train_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        learning_rate=cfg.learning_rate,
        beta=cfg.beta,
        epsilon=cfg.epsilon,
        loss_type=cfg.loss_type,
        scale_rewards=cfg.scale_rewards,
        max_completion_length=cfg.max_completion_length,
        temperature=cfg.temperature,
        top_p=cfg.top_p,
        reward_weights=reward_weights,
        use_cpu=device == "cpu",
        bf16=bf16,
        # The name TRL reads (GRPOTrainer enables LoRA input gradients on it); transformers 5 mirrors it
        # into `activation_checkpointing`, and its own alias would not reach TRL's check on transformers 4.
        gradient_checkpointing=cfg.gradient_checkpointing,
        logging_steps=1,
        save_strategy="steps",
        save_steps=cfg.checkpoint_every,
        save_total_limit=cfg.keep_checkpoints,
        report_to=reporters(cfg) or "none",
        disable_tqdm=True,
        dataloader_num_workers=0,
        log_completions=False,  # samples go to the store through core/train/run_writer.py instead
        remove_unused_columns=False,
    )
    if cfg.rollout == "vllm-colocate":
        kw.update(use_vllm=True, vllm_mode="colocate", vllm_gpu_memory_utilization=cfg.vllm_gpu_memory_utilization,
                  vllm_tensor_parallel_size=cfg.vllm_tensor_parallel_size)
    elif cfg.rollout == "vllm-server":
        kw.update(use_vllm=True, vllm_mode="server", vllm_server_base_url=cfg.vllm_server_url.rstrip("/"))
    else:
        kw.update(use_vllm=False)
    return kw


def reporters(cfg: RunConfig) -> list[str]:
    """`report_to` checked against transformers' integrations and what is installed (ConfigError with the fix)."""
    names = [n for n in cfg.report_to if n != "none"]
    if not names:
        return []
    from transformers.integrations.integration_utils import (  # deferred: heavy (transformers)
        INTEGRATION_TO_CALLBACK,
        get_available_reporting_integrations,
    )

    unknown = [n for n in names if n not in INTEGRATION_TO_CALLBACK]
    if unknown:
        # "all" would switch on whatever happens to be installed, network loggers included: name them instead.
        raise ConfigError(f"report_to: {', '.join(map(repr, unknown))} is not a reporter; write a list of "
                          f"{', '.join(sorted(INTEGRATION_TO_CALLBACK))}, or [] for the store only.")
    installed = set(get_available_reporting_integrations())
    missing = [n for n in names if n not in installed]
    if missing:
        raise ConfigError(f"report_to = {names!r}: {', '.join(missing)} is not installed in this environment; "
                          f"pip install {' '.join(missing)}, or remove it from [run] report_to.")
    return list(dict.fromkeys(names))


class _SkipUnmeasured(logging.Filter):
    """Drops transformers' warning for a None scalar: a component not measured in a step is None (never a
    fake 0), TensorBoard has no "missing", and the warning came once per such key and step. The store keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return 'a value of "None"' not in record.getMessage()


def tensorboard_dir(output_dir: Path | str) -> Path:
    """Where TensorBoard event files go: RUN_DIR/tensorboard (output_dir is RUN_DIR/checkpoints)."""
    return Path(output_dir).parent / "tensorboard"


def grpo_config(cfg: RunConfig, output_dir: Path | str, reward_weights: list[float] | None = None,
                device: str | None = None):
    """The TRL GRPOConfig for this run."""
    from trl import GRPOConfig  # deferred: heavy (trl)

    kw = grpo_kwargs(cfg, output_dir, reward_weights, device)
    if "tensorboard" in kw["report_to"]:
        # transformers 5 dropped `logging_dir`: its TensorBoard callback reads this variable when the
        # trainer is built (else it writes under checkpoints/runs/, beside the checkpoints).
        os.environ["TENSORBOARD_LOGGING_DIR"] = str(tensorboard_dir(output_dir))
        tb_log = logging.getLogger("transformers.integrations.integration_utils")
        if not any(isinstance(f, _SkipUnmeasured) for f in tb_log.filters):
            tb_log.addFilter(_SkipUnmeasured())
    return GRPOConfig(**kw)


def lora_config(cfg: RunConfig):
    """The PEFT LoraConfig for this run."""
    from peft import LoraConfig  # deferred: heavy (peft)

    targets: str | list[str] = cfg.lora_target_modules
    if targets == ["all-linear"]:
        targets = "all-linear"
    return LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                      target_modules=targets, task_type="CAUSAL_LM", bias="none")


def model_path(cfg: RunConfig) -> str:
    """The model as from_pretrained wants it: an existing folder (absolute or under the data home) or a hub name."""
    p = Path(cfg.model).expanduser()
    if p.is_absolute() or p.exists():
        return str(p)
    local = under_home(cfg.model)
    if local.exists() or cfg.model.startswith("models/"):
        return str(local)
    return cfg.model
