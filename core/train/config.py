"""`RunConfig`: one dataclass for a GRPO run, saved as TOML, printed at start, translated to TRL here only.

Every field carries `help` (shown by `brushwork train --help-config`) and a `section` (its TOML table).
`grpo_config()` and `lora_config()` are the one place that knows TRL's and PEFT's names.
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

ROLLOUTS = ("transformers", "vllm-colocate", "vllm-server")
DEVICES = ("cpu", "cuda", "auto")
PROMPT_FORMATS = ("plain", "chat")


class ConfigError(ValueError):
    """A run configuration is invalid; the message names the field and what to write instead."""


def _f(default: Any, section: str, help: str, **kw: Any) -> Any:
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"help": help, "section": section}, **kw)
    return field(default=default, metadata={"help": help, "section": section}, **kw)


@dataclass
class RunConfig:
    """Everything a training run needs; `brushwork train CONFIG.toml` reads one."""

    name: str = _f("run", "run", "Run name; the run directory is <data home>/runs/<name>-<time> unless --run-dir.")
    seed: int = _f(0, "run", "Seed for sampling, dataset order and LoRA initialisation.")
    device: str = _f("auto", "run", "cpu | cuda | auto (cuda when available).")
    checkpoint_every: int = _f(25, "run", "Save a checkpoint (adapter + trainer state, HF format) every N steps.")
    keep_checkpoints: int = _f(3, "run", "How many checkpoints to keep; the oldest are deleted.")
    sample_every: int = _f(1, "run", "Write the step's rollouts to the samples table every N steps (0 = never).")
    min_free_mb: int = _f(200, "run", "Refuse to start when the run directory's disk has less free space (MB).")
    report_to: list[str] = _f([], "run", "Also report metrics through TRL to these: [] = the store only; "
                              "[\"tensorboard\"] = offline event files in RUN_DIR/tensorboard; any other transformers "
                              "integration (wandb, mlflow, trackio, ...) when its package is installed.")

    model: str = _f("models/tiny-sft", "model", "Model: a folder, a path relative to the data home, or a hub name.")
    tokenizer: str = _f("", "model", "Tokenizer folder or hub name; empty = the model's.")
    prompt_format: str = _f("plain", "model", "plain: the prompt text then a newline (tiny model); chat: the chat template.")
    system_prompt: str = _f("", "model", "System message for prompt_format = chat; \"@promoted\" = the prompt "
                            "promoted in the prompt lab (the allowlist prompt when none was).")
    dtype: str = _f("auto", "model", "float32 | bfloat16 | auto (bfloat16 on cuda, float32 on cpu).")
    gradient_checkpointing: bool = _f(False, "model", "Trade compute for memory (large models on a GPU).")

    lora_r: int = _f(16, "lora", "LoRA rank.")
    lora_alpha: int = _f(32, "lora", "LoRA alpha (scale = alpha / r).")
    lora_dropout: float = _f(0.0, "lora", "LoRA dropout.")
    lora_target_modules: list[str] = _f(["all-linear"], "lora", "Modules that get adapters; ['all-linear'] = every linear layer.")

    steps: int = _f(200, "grpo", "Optimizer steps (TRL max_steps).")
    num_generations: int = _f(8, "grpo", "Completions per prompt (the GRPO group).")
    batch_size: int = _f(8, "grpo", "Completions per device per step; a multiple of num_generations.")
    gradient_accumulation_steps: int = _f(1, "grpo", "Micro-batches per optimizer step.")
    learning_rate: float = _f(5e-5, "grpo", "AdamW learning rate for the LoRA weights.")
    beta: float = _f(0.04, "grpo", "KL anchor to the starting model; > 0 keeps the policy honest (0 = none).")
    epsilon: float = _f(0.2, "grpo", "PPO clip range.")
    loss_type: str = _f("dapo", "grpo", "TRL loss: grpo | dapo | dr_grpo | bnpo.")
    scale_rewards: str = _f("group", "grpo", "Advantage scaling: group | batch | none.")
    max_completion_length: int = _f(256, "grpo", "Longest completion in tokens.")
    min_completion_tokens: int = _f(0, "grpo", "Length floor: completions shorter than this get reward 0 (0 = none).")
    temperature: float = _f(1.0, "grpo", "Sampling temperature for rollouts.")
    top_p: float = _f(1.0, "grpo", "Nucleus sampling for rollouts.")

    rubric: str = _f("offline-default", "reward", "Rubric preset name (resources/presets) or a TOML path; 'structure' = built-in.")
    render_size: int = _f(256, "reward", "Rendered image side in px for rewards and the collapse monitor.")
    render_timeout: float = _f(20.0, "reward", "Seconds before one render is stopped (its components become None).")
    render_pool: int = _f(2, "reward", "Chromium pages rendering in parallel.")

    train_prompts: str = _f("procedural", "prompts", "procedural (the template corpus) or a text file, one prompt a line.")
    select_prompts: str = _f("procedural", "prompts", "Prompts that chose the starting point (SFT's stopping rule, the "
                             "prompt lab's system prompt): procedural, a text file, or none. Never trained on nor held out.")
    heldout_prompts: str = _f("procedural", "prompts", "procedural (never-trained template triples) or a text file.")
    heldout_count: int = _f(50, "prompts", "Held-out prompts rendered and scored per evaluation (each prompt is one "
                            "cluster of the paired interval: more prompts, a narrower interval).")
    heldout_seeds: list[int] = _f([0, 1], "prompts", "Sampling seeds per held-out prompt.")
    heldout_every: int = _f(0, "prompts", "Also evaluate held-out at checkpoints every N steps (0 = only first and last).")
    independent: str = _f("auto", "prompts", "Second opinion on the held-out images, a signal the policy never trained on: "
                          "auto (the learned reward model when the rubric does not use it, else offline-default's "
                          "components the rubric lacks), preference, a preset name or TOML path, or none.")

    rollout: str = _f("transformers", "rollout", "transformers | vllm-colocate | vllm-server (the [gpu] extra).")
    vllm_server_url: str = _f("http://127.0.0.1:8000", "rollout", "`trl vllm-serve` address for rollout = vllm-server.")
    vllm_gpu_memory_utilization: float = _f(0.3, "rollout", "GPU memory share vLLM may take in colocate mode.")
    vllm_tensor_parallel_size: int = _f(1, "rollout", "GPUs one colocated vLLM engine spans.")

    def validate(self) -> RunConfig:
        """Raise ConfigError for a value TRL would reject later or silently misread."""
        checks = [
            (self.rollout in ROLLOUTS, "rollout", f"one of {', '.join(ROLLOUTS)}"),
            (self.device in DEVICES, "device", f"one of {', '.join(DEVICES)}"),
            (self.prompt_format in PROMPT_FORMATS, "prompt_format", "plain or chat"),
            (self.num_generations >= 2, "num_generations", "at least 2 (GRPO compares within a group)"),
            (self.batch_size % self.num_generations == 0, "batch_size", f"a multiple of num_generations ({self.num_generations})"),
            (self.steps >= 1, "steps", "at least 1"),
            (self.beta >= 0, "beta", "0 or more"),
            (self.temperature > 0, "temperature", "above 0"),
            (self.checkpoint_every >= 1, "checkpoint_every", "at least 1"),
            (bool(self.heldout_seeds), "heldout_seeds", "a non-empty list of integers"),
            (self.heldout_count >= 1, "heldout_count", "at least 1"),
        ]
        for ok, name, want in checks:
            if not ok:
                raise ConfigError(f"{name} = {getattr(self, name)!r} is invalid: write {want}.")
        return self

    def describe(self) -> str:
        """The config as `section.name = value` lines, printed when a run starts."""
        return "\n".join(f"  {f.metadata['section']}.{f.name} = {getattr(self, f.name)!r}" for f in dataclasses.fields(self))


def help_text() -> str:
    """Every field with its default and help, grouped by section."""
    out, last = [], None
    for f in dataclasses.fields(RunConfig):
        if f.metadata["section"] != last:
            last = f.metadata["section"]
            out.append(f"[{last}]")
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        out.append(f"  {f.name} = {default!r}\n      {f.metadata['help']}")
    return "\n".join(out)


def to_toml(cfg: RunConfig) -> str:
    """TOML text with one table per section, each value preceded by its help as a comment."""
    out, last = [], None
    for f in dataclasses.fields(cfg):
        if f.metadata["section"] != last:
            last = f.metadata["section"]
            out.append(f"\n[{last}]")
        out.append(f"# {f.metadata['help']}\n" + tomli_w.dumps({f.name: getattr(cfg, f.name)}).rstrip("\n"))
    return "\n".join(out).lstrip() + "\n"


def save_config(cfg: RunConfig, path: Path | str) -> None:
    """Write the config as TOML."""
    Path(path).write_text(to_toml(cfg), encoding="utf-8")


def config_from_dict(data: dict[str, Any], source: str = "config") -> RunConfig:
    """RunConfig from parsed TOML (tables or flat keys); unknown keys are an error, not ignored."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(value)
        else:
            flat[key] = value
    known = {f.name: f for f in dataclasses.fields(RunConfig)}
    unknown = sorted(set(flat) - set(known))
    if unknown:
        raise ConfigError(f"{source}: unknown setting(s) {', '.join(unknown)}; see `brushwork train --help-config`.")
    for name, value in flat.items():
        want = type(known[name].default) if known[name].default is not dataclasses.MISSING else list
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            flat[name] = float(value)
        elif not isinstance(flat[name], want) or (want is int and isinstance(value, bool)):
            raise ConfigError(f"{source}: {name} = {value!r} should be a {want.__name__}.")
    return RunConfig(**flat).validate()


def load_config(path: Path | str) -> RunConfig:
    """Read a run config TOML file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist; presets are in resources/train/.") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} is not valid TOML: {e}.") from None
    return config_from_dict(data, str(path))


PROMOTED = "@promoted"


def system_message(cfg: RunConfig) -> str:
    """The system prompt text a run uses (resolving "@promoted" to the prompt lab's promoted prompt)."""
    if cfg.system_prompt.strip() == PROMOTED:
        from core.prompts.system import training_prompt  # deferred: heavy (playwright)

        return training_prompt()
    return cfg.system_prompt
