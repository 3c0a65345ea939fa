"""Versioned artefacts of the learned reward model in the data home, and loading the current one.

Layout: `<data home>/reward_model/<stamp>-<pool hash>/{model.pt, meta.json}` and `current.json`
naming the directory in use. meta.json holds the features version, the training pool's hash, the
held-out accuracy (and the baseline's), the pair counts and the date, so a reader can tell what a
model learned from and how good it was without loading it.

Formats: brushwork-rm-2 models read the prompt (`prompt_features_version` names how); a
brushwork-rm-1 model, trained before that, still loads and scores the image alone, and
`prompt_note` says so (retrain to use the prompt).
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.reward.learned.features import FEATURES_VERSION
from core.reward.learned.prompt_features import PROMPT_FEATURES_VERSION
from core.reward.types import RewardError
from core.store.home import reward_model_dir

FORMAT = "brushwork-rm-2"
IMAGE_ONLY_FORMAT = "brushwork-rm-1"  # before the prompt: loads and scores the image alone


class NoRewardModel(RewardError):
    """No trained reward model is available (or it is stale); the message says how to train one."""


@dataclass
class ModelMeta:
    """What a trained model is: its inputs, its training pool, how well it did, when."""

    format: str = FORMAT
    features_version: str = FEATURES_VERSION
    prompt_features_version: str = ""   # "" = the model ignores the prompt (rm-1, or trained --no-use-prompt)
    context_dim: int = 0
    prompt_anchors: int = 0             # training paintings the prompt head is centred on (prompt_head.py)
    feature_names: list[str] = field(default_factory=list)
    embedding: str = ""
    embedding_dim: int = 0
    use_cnn: bool = True
    cnn_width: int = 16
    hidden: int = 16
    pool_hash: str = ""
    images: int = 0
    train_images: int = 0
    heldout_images: int = 0
    pairs: int = 0
    train_pairs: int = 0
    heldout_pairs: int = 0
    heldout_pair_accuracy: float | None = None
    baseline_accuracy: float | None = None
    train_pair_accuracy: float | None = None
    heldout_split: str = "image"   # "prompt": no held-out image's prompt was trained on
    heldout: dict[str, Any] = field(default_factory=dict)  # heldout.pair_report of the held-out set
    love_utility: float = 0.0      # mean utility of the training love images: P(beats love tier) pivots here
    demo_pool: bool = False
    seconds: float = 0.0
    steps: int = 0                      # optimiser steps run (max_seconds may stop a fit early on a busy machine)
    trained_at: str = ""
    tiers: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelMeta:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def reads_prompt(self) -> bool:
        """True when the model scores a painting for its prompt."""
        return bool(self.prompt_features_version) and self.context_dim > 0


def prompt_note(meta: ModelMeta) -> str | None:
    """A sentence when the model ignores the prompt (None when it reads it)."""
    if meta.reads_prompt:
        return None
    if meta.format == IMAGE_ONLY_FORMAT:
        return ("the reward model was trained before it could read the prompt; it scores the image alone. "
                "Retrain to use the prompt: brushwork rm train.")
    return "the reward model was trained image-only (--no-use-prompt); it scores the image alone."


def models_dir(home: Path | None = None) -> Path:
    """Where reward models live."""
    return reward_model_dir(home)


def save_model(state: dict, meta: ModelMeta, home: Path | None = None) -> Path:
    """Write a new artefact directory and point `current.json` at it; returns the directory."""
    import torch  # deferred: heavy (torch)

    root = models_dir(home)
    meta.trained_at = meta.trained_at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    name = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{meta.pool_hash[:8] or 'nopool'}"
    target = root / name
    n = 1
    while target.exists():
        n += 1
        target = root / f"{name}-{n}"
    tmp = root / f".{target.name}.tmp"
    tmp.mkdir(parents=True)
    torch.save(state, tmp / "model.pt")
    (tmp / "meta.json").write_text(json.dumps(asdict(meta), indent=2))
    tmp.rename(target)
    pointer = root / "current.json.tmp"
    pointer.write_text(json.dumps({"dir": target.name}))
    pointer.replace(root / "current.json")
    return target


_PINNED: dict[str, Path | None] = {}  # "dir": what a training run fixed this process to at its start


def pin_current(path: Path | None) -> None:
    """Make `current_dir()` answer `path` (None: no model) in this process, whatever current.json says
    later: a training run keeps the model it started with (core/train/pinned.py). `unpin_current` undoes it."""
    _PINNED["dir"] = path


def unpin_current() -> None:
    """Follow current.json again."""
    _PINNED.pop("dir", None)


def current_dir(home: Path | None = None) -> Path | None:
    """The artefact directory in use (the pinned one in a training run), or None when none was trained."""
    if "dir" in _PINNED:
        pinned = _PINNED["dir"]
        return pinned if pinned is not None and (pinned / "meta.json").exists() else None
    root = models_dir(home)
    try:
        name = json.loads((root / "current.json").read_text())["dir"]
    except (OSError, ValueError, KeyError):
        return None
    path = root / name
    return path if (path / "meta.json").exists() else None


def read_meta(path: Path | None = None) -> ModelMeta | None:
    """The meta of an artefact directory (default: the current one); None when there is none."""
    path = path or current_dir()
    if path is None:
        return None
    try:
        return ModelMeta.from_dict(json.loads((path / "meta.json").read_text()))
    except (OSError, ValueError):
        return None


def load_state(path: Path) -> tuple[dict, ModelMeta]:
    """(state dict, meta) of an artefact; NoRewardModel when it is missing or was made for other features."""
    import torch  # deferred: heavy (torch)

    meta = read_meta(path)
    if meta is None or not (path / "model.pt").exists():
        raise NoRewardModel(f"no reward model in {path}. Train one: brushwork rm train.")
    if meta.format not in (FORMAT, IMAGE_ONLY_FORMAT) or meta.features_version != FEATURES_VERSION:
        raise NoRewardModel(f"the reward model in {path} was trained on features {meta.features_version} "
                            f"({meta.format}); this version computes {FEATURES_VERSION}. Retrain: brushwork rm train.")
    if meta.prompt_features_version and meta.prompt_features_version != PROMPT_FEATURES_VERSION:
        raise NoRewardModel(f"the reward model in {path} reads prompts as {meta.prompt_features_version}; this "
                            f"version reads them as {PROMPT_FEATURES_VERSION}. Retrain: brushwork rm train.")
    state = torch.load(path / "model.pt", map_location="cpu", weights_only=True)
    return state, meta
