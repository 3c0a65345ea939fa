"""The model card (README.md) of an exported checkpoint: how to use it, the run's config, its rubric and
the held-out figures it earned, and the versions it was trained with. Figures come from the store of
the data home the run was trained in; an export made elsewhere says they are not there."""
from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

from core.reward import load_rubric
from core.reward.types import RewardError
from core.store import Store
from core.train.trained import CheckpointRef
from core.version import __version__

VERSIONED = ("trl", "transformers", "peft", "accelerate", "torch")


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _num(v: Any) -> str:
    return "–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def heldout_section(store: Store | None, ref: CheckpointRef) -> str:
    """A markdown table of every held-out evaluation of the run (this checkpoint's row marked)."""
    from core.train.runs import heldout_table, reward_trend  # deferred: heavy (pyarrow, scipy)

    rows = heldout_table(store, ref.run_id) if store is not None else []
    if not rows:
        return ("No held-out figures for this run in this data home's database (exported from another machine, "
                "or the run never evaluated).")
    cfg = ref.config
    keys = [k for k in ("reward", "delta", "ci_low", "ci_high", "p_value", "independent", "independent_delta",
                        "nonblank", "diversity/image", "diversity/code") if any(r.get(k) is not None for r in rows)]
    lines = [f"Never-trained prompts ({cfg.heldout_prompts}, {cfg.heldout_count} prompts × seeds {cfg.heldout_seeds}), "
             "sampled at the run's temperature, rendered and scored with its rubric. `reward` is the mean rubric total "
             "over the samples it measured; `delta` the paired rise against the first evaluation over prompts, with its "
             "prompt-clustered 95 % interval (`ci_low`, `ci_high`) and Wilcoxon p; `independent` a signal the "
             "policy never trained on; `nonblank` the share that rendered a picture.", "",
             "| checkpoint | step | " + " | ".join(keys) + " |", "|---|---|" + "---|" * len(keys)]
    for r in rows:
        mark = " (this export)" if r["checkpoint"] == ref.name else ""
        lines.append(f"| {r['checkpoint']}{mark} | {r['step']} | " + " | ".join(_num(r.get(k)) for k in keys) + " |")
    if not any(r["checkpoint"] == ref.name for r in rows):
        lines += ["", f"{ref.name} itself was not evaluated on the held-out prompts."]
    trend = reward_trend(store, ref.run_id)
    n = trend["reward_window"]
    lines += ["", f"Training reward, mean of the first {n} logged steps → the last {n}: {_num(trend['reward_first'])} → "
              f"{_num(trend['reward_last'])}."]
    return "\n".join(lines)


def rubric_section(name: str) -> str:
    """The rubric preset the run named, as loadable now: gates and weighted components."""
    try:
        rubric = load_rubric(name).to_dict()
    except RewardError as e:
        return f"`{name}` (cannot be loaded here: {e})"
    lines = [f"`{rubric['name']}`: {rubric.get('description', '')}", "",
             f"Gates (a failed gate zeroes the total): {', '.join(rubric.get('gates') or []) or 'none'}.", "",
             "| component | weight |", "|---|---|"]
    lines += [f"| {k} | {v:g} |" for k, v in (rubric.get("weights") or {}).items()]
    return "\n".join(lines)


def usage_section(ref: CheckpointRef, kind: str, base: str) -> str:
    cfg = ref.config
    if cfg.prompt_format == "plain":
        fmt = "the prompt text then a newline (`plain`), e.g. `\"draw a red boat in ink\\n\"`"
    else:
        fmt = "the chat template with the run's system prompt (`chat`)"
    load = ("from peft import AutoPeftModelForCausalLM\nmodel = AutoPeftModelForCausalLM.from_pretrained(\"THIS_FOLDER\")"
            if kind == "adapter" else
            "from transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained(\"THIS_FOLDER\")")
    return "\n".join([
        f"Prompts are formatted as {fmt}. Sample as the run did: temperature {cfg.temperature}, top-p {cfg.top_p}, "
        f"up to {cfg.max_completion_length} new tokens; the answer is a p5.brush sketch.", "",
        "```python", load, "from transformers import AutoTokenizer",
        "tokenizer = AutoTokenizer.from_pretrained(\"THIS_FOLDER\")", "```", "",
        "Into a Brushwork library, rendered and ready to rate: "
        f"`brushwork generate --model {ref.run_dir}/checkpoints/{ref.name} -n 8`.",
        *(["", f"The adapter applies to the base model `{base}`."] if kind == "adapter" else []),
    ])


def model_card(ref: CheckpointRef, store: Store | None, kind: str, base: str) -> str:
    """README.md for an exported `adapter` or `merged` model of `ref`."""
    from huggingface_hub import ModelCardData  # deferred: heavy (huggingface_hub)

    cfg = ref.config
    hub_base = base if not Path(base).is_absolute() and not Path(base).exists() else None
    data = ModelCardData(base_model=hub_base, library_name="peft" if kind == "adapter" else "transformers",
                         pipeline_tag="text-generation", tags=["brushwork", "p5.brush", "trl", "grpo", "lora"])
    what = "the LoRA adapter" if kind == "adapter" else "the base model with the LoRA adapter merged into its weights"
    config_text = (ref.run_dir / "config.toml").read_text(encoding="utf-8")
    versions = ", ".join(f"{n} {_version(n)}" for n in VERSIONED)
    return "\n".join([
        "---", data.to_yaml(), "---", "",
        f"# {ref.run_id} · {ref.name}", "",
        f"A policy that writes [p5.brush](https://github.com/acamposuribe/p5.brush) sketches, trained with GRPO "
        f"(TRL) and LoRA in Brushwork {__version__} from `{cfg.model}`: step {ref.step} of run `{ref.run_id}`. "
        f"This folder holds {what}.", "",
        "## Use", usage_section(ref, kind, base), "",
        "## Held-out figures", heldout_section(store, ref), "",
        "## Reward rubric", rubric_section(cfg.rubric), "",
        "## Run config", "The run's `config.toml` (also saved beside this card as `brushwork-run.toml`):", "",
        "```toml", config_text.rstrip(), "```", "",
        "## Versions", f"Exported with {versions}.", "",
    ])
