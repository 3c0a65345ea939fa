"""A run's trained model outside training: find RUN_DIR[/checkpoint-N], load its base model with the LoRA
adapter of that checkpoint, and sample it exactly as the run did (its prompt format, system prompt,
temperature, top-p and completion length), one prompt and one seed at a time so a sketch can be made again.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from core.prompts.generators import Completion
from core.train.config import ConfigError, RunConfig, load_config
from core.train.heldout_eval import format_prompt
from core.train.pinned import run_system_prompt
from core.train.rundir import last_checkpoint
from core.train.translate import model_path


class TrainedModelError(Exception):
    """The folder is not a run or a checkpoint of one, or its model cannot be loaded; the message says why."""


@dataclass(frozen=True)
class CheckpointRef:
    """One checkpoint of one run, with the run's config."""

    run_dir: Path
    path: Path
    step: int
    config: RunConfig

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def run_id(self) -> str:
        return self.run_dir.name


def resolve_checkpoint(path: Path | str) -> CheckpointRef:
    """RUN_DIR (its newest complete checkpoint) or RUN_DIR/checkpoints/checkpoint-N."""
    path = Path(path).expanduser().resolve()
    if not path.is_dir():
        raise TrainedModelError(f"{path} is not a folder: give a run folder or one of its checkpoint-N folders.")
    if (path / "config.toml").is_file():
        run_dir = path
        found = last_checkpoint(run_dir)
        if found is None:
            raise TrainedModelError(f"{run_dir} has no complete checkpoint yet (checkpoints/checkpoint-N with "
                                    "trainer_state.json); train longer or wait for the first save.")
        ckpt, step = found
    elif path.name.startswith("checkpoint-") and (path.parent.parent / "config.toml").is_file():
        run_dir, ckpt = path.parent.parent, path
        step_text = path.name.removeprefix("checkpoint-")
        if not step_text.isdigit():
            raise TrainedModelError(f"{path.name} is not a checkpoint-N folder.")
        step = int(step_text)
    else:
        raise TrainedModelError(f"{path} is neither a run folder (with config.toml) nor a checkpoint-N folder of one. "
                                "For a plain model folder use `--generator local --model-path FOLDER`.")
    if not ((ckpt / "adapter_config.json").is_file() or (ckpt / "config.json").is_file()):
        raise TrainedModelError(f"{ckpt} holds no model (no adapter_config.json or config.json): it is incomplete.")
    try:
        cfg = load_config(run_dir / "config.toml")
    except ConfigError as e:
        raise TrainedModelError(f"the run's config cannot be read: {e}") from e
    return CheckpointRef(run_dir=run_dir, path=ckpt, step=step, config=cfg)


def base_model_path(ref: CheckpointRef) -> str:
    """The base model the adapter was trained on: the run's `model` as resolved now, else the path PEFT recorded."""
    where = model_path(ref.config)
    if Path(where).is_dir() or not Path(where).is_absolute():
        return where
    recorded = json.loads((ref.path / "adapter_config.json").read_text(encoding="utf-8")).get("base_model_name_or_path")
    if recorded and Path(recorded).is_dir():
        return recorded
    raise TrainedModelError(f"the base model {ref.config.model} is not at {where}: build it (`brushwork model tiny`, "
                            "`brushwork sft`) or set BRUSHWORK_HOME to the data home the run was trained in.")


def load_trained(ref: CheckpointRef, merge: bool = False, device: str = "cpu"):
    """(model, tokenizer): the base with this checkpoint's adapter (merged into the weights when `merge`)."""
    import torch  # deferred: heavy (torch)
    from transformers import AutoModelForCausalLM, AutoTokenizer  # deferred: heavy (transformers)

    is_adapter = (ref.path / "adapter_config.json").is_file()
    base = base_model_path(ref) if is_adapter else str(ref.path)
    dtype = torch.bfloat16 if ref.config.dtype == "bfloat16" else torch.float32
    # The trainer saves the tokenizer beside each checkpoint: the one the run used, even with a hub base.
    tok_source = ref.config.tokenizer or (str(ref.path) if (ref.path / "tokenizer_config.json").is_file() else base)
    try:
        tokenizer = AutoTokenizer.from_pretrained(tok_source)
        model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
        if is_adapter:
            from peft import PeftModel  # deferred: heavy (peft)

            model = PeftModel.from_pretrained(model, str(ref.path))
            if merge:
                model = model.merge_and_unload()
    except (OSError, ValueError) as e:
        raise TrainedModelError(f"cannot load {ref.path} on {base}: {e}") from e
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model.to(device).eval(), tokenizer


class CheckpointGenerator:
    """The `Generator` of core.prompts for a trained checkpoint: `brushwork generate --model RUN_DIR[/checkpoint-N]`.

    The run's own prompt format and system prompt are used (the `system` argument is ignored: the policy
    was trained on the run's), and its sampling settings, so samples look like its held-out ones."""

    def __init__(self, ref: CheckpointRef, device: str = "cpu"):
        self.ref = ref
        self.name = f"checkpoint:{ref.run_id}/{ref.name}"
        self.model, self.tokenizer = load_trained(ref, device=device)
        self._lock = threading.Lock()  # one generate at a time: torch already uses every core

    def generate(self, system: str, prompt: str, seed: int | None = None) -> Completion:
        """One sampled completion for `prompt`; the same (checkpoint, prompt, seed) gives the same text."""
        import torch  # deferred: heavy (torch)


        cfg = self.ref.config
        t0 = time.perf_counter()
        try:
            text = format_prompt(cfg, prompt, self.tokenizer, run_system_prompt(self.ref.run_dir, cfg))
            enc = self.tokenizer(text, return_tensors="pt", add_special_tokens=False).to(self.model.device)
            with self._lock, torch.no_grad():
                torch.manual_seed(0 if seed is None else seed)
                out = self.model.generate(**enc, do_sample=True, temperature=cfg.temperature, top_p=cfg.top_p, top_k=0,
                                          max_new_tokens=cfg.max_completion_length,
                                          pad_token_id=self.tokenizer.pad_token_id)
            new = out[0, enc["input_ids"].shape[1]:]
            answer = self.tokenizer.decode(new, skip_special_tokens=True)
        except Exception as e:  # a failed sample is a failure line in the report, not a crash of the batch
            return Completion("", ms=(time.perf_counter() - t0) * 1000, error=f"{type(e).__name__}: {e}")
        return Completion(answer, int(enc["input_ids"].shape[1]), int(new.shape[0]), 0.0,
                          (time.perf_counter() - t0) * 1000)
