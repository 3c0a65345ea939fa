"""What a run is fixed to at its start: the system prompt text, the rubric TOML and the reward model.

Rank 0 writes them into the run folder before step 1; every process, every held-out evaluation and a
resume read them back from there. A prompt promoted in the prompt lab, a preset edited in the Rubric
pane or a reward model retrained meanwhile therefore changes no run that has already started.
Layout: `system_prompt.txt`, `rubric.toml`, `reward_model/` (a copy of the artefact in use, when there
is one) and `pinned.json` (their SHA-256, and where each came from).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.reward import RewardError, Rubric, load_rubric
from core.reward.learned.artefacts import current_dir, pin_current, unpin_current
from core.train.config import RunConfig, system_message
from core.train.rundir import RunError

PINNED = "pinned.json"
SYSTEM_PROMPT = "system_prompt.txt"
RUBRIC = "rubric.toml"
REWARD_MODEL = "reward_model"


@dataclass
class PinnedInputs:
    """The run's fixed inputs, as read back from its folder."""

    system_prompt: str
    rubric: Rubric
    reward_model: Path | None
    record: dict[str, Any]


def tree_hash(path: Path) -> str:
    """SHA-256 over a folder's files (relative names and bytes, in name order)."""
    digest = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(f.relative_to(path).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pin_inputs(run_dir: Path, cfg: RunConfig) -> dict[str, Any]:
    """Write the run's fixed inputs once (rank 0, before step 1); a folder that has them keeps them.

    Returns the record (pinned.json); a resumed run that predates pinning is pinned now, and says so.
    """
    existing = run_dir / PINNED
    if existing.exists():
        return json.loads(existing.read_text(encoding="utf-8"))

    system = system_message(cfg) if cfg.prompt_format == "chat" else ""
    try:
        rubric = load_rubric(cfg.rubric)
    except RewardError as e:
        raise RunError(f"reward.rubric: {e}") from e
    if rubric.path is None:
        raise RunError(f"the rubric {cfg.rubric!r} has no preset file to keep with the run.")
    rubric_bytes = rubric.path.read_bytes()
    (run_dir / SYSTEM_PROMPT).write_text(system, encoding="utf-8")
    (run_dir / RUBRIC).write_bytes(rubric_bytes)
    model = current_dir()
    target = run_dir / REWARD_MODEL
    shutil.rmtree(target, ignore_errors=True)
    if model is not None:
        shutil.copytree(model, target)
    record = {
        "pinned_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "system_prompt": {"sha256": _sha(system.encode()), "source": cfg.system_prompt or None},
        "rubric": {"sha256": _sha(rubric_bytes), "source": str(rubric.path), "name": rubric.name},
        "reward_model": {"sha256": tree_hash(target), "source": str(model)} if model is not None else None,
    }
    tmp = run_dir / f".{PINNED}.tmp"
    tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    tmp.replace(existing)
    return record


def read_pinned(run_dir: Path) -> PinnedInputs:
    """The fixed inputs from the run folder, each checked against its recorded hash (RunError if changed)."""
    try:
        record = json.loads((run_dir / PINNED).read_text(encoding="utf-8"))
        system = (run_dir / SYSTEM_PROMPT).read_text(encoding="utf-8")
        rubric_bytes = (run_dir / RUBRIC).read_bytes()
    except (OSError, ValueError) as e:
        raise RunError(f"{run_dir} lacks the inputs it was fixed to at its start ({e}). "
                       "Start a new run; this one cannot be continued as it was.") from e
    changed = []
    if _sha(system.encode()) != record["system_prompt"]["sha256"]:
        changed.append(SYSTEM_PROMPT)
    if _sha(rubric_bytes) != record["rubric"]["sha256"]:
        changed.append(RUBRIC)
    model = run_dir / REWARD_MODEL if record.get("reward_model") else None
    if model is not None and (not model.is_dir() or tree_hash(model) != record["reward_model"]["sha256"]):
        changed.append(f"{REWARD_MODEL}/")
    if changed:
        raise RunError(f"{', '.join(changed)} in {run_dir} no longer match(es) what the run started with "
                       f"({PINNED}). Put the originals back, or start a new run.")
    try:
        rubric = load_rubric(run_dir / RUBRIC)
    except RewardError as e:  # a component the preset names is no longer registered
        raise RunError(f"{run_dir / RUBRIC}: {e}") from e
    return PinnedInputs(system_prompt=system, rubric=rubric, reward_model=model, record=record)


def run_system_prompt(run_dir: Path, cfg: RunConfig) -> str:
    """The system prompt a run trained with: its pinned copy (a run from before pinning: the config's)."""
    path = run_dir / SYSTEM_PROMPT
    if path.exists():
        return path.read_text(encoding="utf-8")
    return system_message(cfg) if cfg.prompt_format == "chat" else ""


def apply_pins(pinned: PinnedInputs) -> None:
    """Make this process use the pinned reward model (or none) whatever is trained meanwhile."""
    pin_current(pinned.reward_model)


def release_pins() -> None:
    """Follow the current reward model again (the run is over)."""
    unpin_current()
