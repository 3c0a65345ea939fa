"""Configs of the prompt lab: generator, judge, reflection model and an evolution run (TOML in, TOML out)."""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from core.store.home import prompt_runs_dir


class ConfigError(ValueError):
    """A prompt-lab config file is missing, unreadable or names unknown settings."""


@dataclass
class GeneratorConfig:
    kind: str = field(default="openai", metadata={"help": "openai (any OpenAI-compatible endpoint), gemini or local"})
    model: str = field(default="gpt-4o-mini", metadata={"help": "model name the endpoint knows"})
    base_url: str | None = field(default=None, metadata={"help": "endpoint URL, e.g. http://127.0.0.1:8000/v1; None = the SDK's default"})
    api_key_env: str | None = field(default="OPENAI_API_KEY", metadata={"help": "environment variable holding the key (keys never go in files); \"\" = no key"})
    model_path: str | None = field(default=None, metadata={"help": "local: a folder saved with save_pretrained (e.g. <data home>/models/tiny)"})
    temperature: float = field(default=0.7, metadata={"help": "sampling temperature"})
    max_tokens: int = field(default=2048, metadata={"help": "longest answer, in tokens"})
    timeout: float = field(default=120.0, metadata={"help": "seconds per request"})
    max_retries: int = field(default=3, metadata={"help": "SDK retries on 429 / 5xx / timeouts (with backoff)"})
    concurrency: int = field(default=4, metadata={"help": "requests in flight at once"})
    price_in_per_mtok: float = field(default=0.0, metadata={"help": "USD per million input tokens, for cost accounting"})
    price_out_per_mtok: float = field(default=0.0, metadata={"help": "USD per million output tokens"})


@dataclass
class JudgeConfig:
    kind: str = field(default="none", metadata={"help": "none (offline rubric) or openai (a vision model, taste-anchored few-shot)"})
    model: str = field(default="gpt-4o-mini", metadata={"help": "vision model name"})
    base_url: str | None = field(default=None, metadata={"help": "OpenAI-compatible endpoint URL"})
    api_key_env: str | None = field(default="OPENAI_API_KEY", metadata={"help": "environment variable holding the key"})
    shots: int = field(default=7, metadata={"help": "rated examples from the pool shown to the judge (love and nope)"})
    rubric: str = field(default="offline-default", metadata={"help": "reward preset used when there is no judge"})
    timeout: float = field(default=60.0, metadata={"help": "seconds per judge call"})
    concurrency: int = field(default=4, metadata={"help": "judge calls in flight at once"})


@dataclass
class ReflectionConfig:
    kind: str = field(default="rule", metadata={"help": "rule (offline proposer from the feedback) or openai (an LLM rewrites the prompt)"})
    model: str = field(default="gpt-4o-mini", metadata={"help": "reflection model name"})
    base_url: str | None = field(default=None, metadata={"help": "OpenAI-compatible endpoint URL"})
    api_key_env: str | None = field(default="OPENAI_API_KEY", metadata={"help": "environment variable holding the key"})
    temperature: float = field(default=0.7, metadata={"help": "sampling temperature of the reflection model"})
    timeout: float = field(default=120.0, metadata={"help": "seconds per request to the reflection model"})


@dataclass
class EvolveConfig:
    name: str = field(default="evolve", metadata={"help": "run name; the run folder defaults to <data home>/prompt_runs/<name>"})
    seed_prompt: str = field(default="allowlist", metadata={"help": "starting system prompt: allowlist, full-reference or a file"})
    prompts: str | None = field(default=None, metadata={"help": "prompt set file, one prompt a line (default: the bundled set)"})
    train_size: int = field(default=6, metadata={"help": "prompts GEPA reflects on"})
    val_size: int = field(default=4, metadata={"help": "prompts every accepted candidate is scored on (Pareto set)"})
    max_metric_calls: int = field(default=40, metadata={"help": "budget: sketch evaluations in all, cumulative over resumes (the last iteration may run past it)"})
    minibatch_size: int = field(default=3, metadata={"help": "prompts per reflection step"})
    render: bool = field(default=True, metadata={"help": "render while scoring; false = checker-only dry run (fast; render rate not measured)"})
    render_size: int = field(default=256, metadata={"help": "render side in pixels while scoring"})
    render_timeout: float = field(default=10.0, metadata={"help": "seconds per render"})
    seed: int = field(default=0, metadata={"help": "random seed (prompt split, gepa, render seeds)"})
    patience: int = field(default=6, metadata={"help": "stop after this many iterations without a better validation score"})
    run_dir: str | None = field(default=None, metadata={"help": "run folder (resumable); default under the data home"})
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)
    judge: JudgeConfig = field(default_factory=JudgeConfig)
    reflection: ReflectionConfig = field(default_factory=ReflectionConfig)

    def resolved_run_dir(self) -> Path:
        """The run folder: `run_dir` or `<data home>/prompt_runs/<name>`."""
        return Path(self.run_dir).expanduser() if self.run_dir else prompt_runs_dir() / self.name

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_NESTED = {"generator": GeneratorConfig, "judge": JudgeConfig, "reflection": ReflectionConfig}


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}.")
    kwargs = {k: _build(_NESTED[k], v, f"{where}[{k}]") if k in _NESTED and cls is EvolveConfig else v
              for k, v in data.items()}
    return cls(**kwargs)


def config_from_dict(data: dict[str, Any], where: str = "config") -> EvolveConfig:
    """An EvolveConfig from a plain dict (TOML tables [generator], [judge], [reflection] nest)."""
    return _build(EvolveConfig, data.get("evolve", data) if "evolve" in data else data, where)


def load_config(path: str | Path) -> EvolveConfig:
    """Read an evolution config from TOML; relative file paths in it are taken from the file's folder."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror}. Give the path of a TOML config.") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} is not valid TOML: {e}. Fix the line it names.") from e
    cfg = config_from_dict(data, str(path))
    for attr in ("prompts", "run_dir"):
        value = getattr(cfg, attr)
        if value and not Path(value).expanduser().is_absolute():
            setattr(cfg, attr, str(path.parent / value))
    if cfg.seed_prompt not in ("allowlist", "full-reference") and not Path(cfg.seed_prompt).is_absolute():
        candidate = path.parent / cfg.seed_prompt
        if candidate.exists():
            cfg.seed_prompt = str(candidate)
    return cfg


def dump_config(cfg: EvolveConfig) -> str:
    """TOML text for a config (None values left out: TOML has no null)."""
    def present(d: dict[str, Any]) -> dict[str, Any]:
        return {k: present(v) if isinstance(v, dict) else v for k, v in d.items() if v is not None}

    return tomli_w.dumps(present(cfg.to_dict()))
