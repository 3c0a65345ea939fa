"""Export a run's trained model: the LoRA adapter alone, or merged into its base, with a model card.

`export_model` loads RUN_DIR's last checkpoint (or the checkpoint-N given) with core/train/trained.py,
writes it with `save_pretrained` (weights and tokenizer, no optimizer state), the run's config as
`brushwork-run.toml`, the contact sheet when the run has one, and README.md (core/train/model_card.py).
Everything is written into a sibling temporary folder first and renamed at the end: a failed export
leaves no half-written OUT behind, and an existing non-empty OUT is never touched.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from core.store import Store
from core.train.model_card import model_card
from core.train.trained import CheckpointRef, TrainedModelError, base_model_path, load_trained

KINDS = ("adapter", "merged")


def export_model(ref: CheckpointRef, out: Path, kind: str, store: Store | None = None) -> dict[str, Any]:
    """Write `ref` to `out` as an `adapter` or a `merged` model with its card; returns what was written."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}: use {' or '.join(KINDS)}.")
    out = out.expanduser().resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise TrainedModelError(f"{out} already exists and is not an empty folder: choose another OUT or remove it.")
    if not (ref.path / "adapter_config.json").is_file():
        raise TrainedModelError(f"{ref.path} holds no LoRA adapter (no adapter_config.json): nothing to export.")
    base = base_model_path(ref)
    model, tokenizer = load_trained(ref, merge=kind == "merged")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)  # left by an export of this pid that was killed
    work.mkdir()
    try:
        model.save_pretrained(work)
        tokenizer.save_pretrained(work)
        shutil.copyfile(ref.run_dir / "config.toml", work / "brushwork-run.toml")
        sheet = ref.run_dir / "contact_sheet.png"
        if sheet.is_file():
            shutil.copyfile(sheet, work / "contact_sheet.png")
        (work / "README.md").write_text(model_card(ref, store, kind, base), encoding="utf-8")
        if out.exists():
            out.rmdir()  # empty (checked above); rename needs the name free
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return {"out": str(out), "kind": kind, "run": ref.run_id, "checkpoint": ref.name, "step": ref.step,
            "base_model": base, "files": sorted(p.name for p in out.iterdir())}
