"""A run's three prompt sets, fixed in its folder at the start: selection, training and held-out.

Progress is only honest on prompts the policy never trained on and that never chose anything: the
selection set decided where the run starts (SFT's stopping rule, or the prompt lab's system prompt),
the training set is what GRPO samples from, the held-out set is where progress is judged. They are
drawn from the config (procedural template splits, or text files), checked disjoint with
`check_disjoint` before anything is written, and saved as `prompts/{select,train,heldout}.txt` plus
`prompts/sets.json` (sources, counts, SHA-256). Every process, every evaluation and a resume read them
back from there, so a prompt file edited meanwhile changes no run that has started.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from core.train.config import RunConfig
from core.train.corpus import PromptOverlapError, check_disjoint, select_specs, train_specs
from core.train.heldout_eval import heldout_prompts, prompt_lines
from core.train.rundir import RunError

FOLDER = "prompts"
SETS = ("select", "train", "heldout")
LABELS = {"select": "selection", "train": "training", "heldout": "held-out"}


@dataclass(frozen=True)
class PromptSets:
    """The run's prompts: `select` chose its starting point, `train` is trained on, `heldout` judges progress."""

    select: list[str]
    train: list[str]
    heldout: list[str]

    @property
    def scored(self) -> list[str]:
        """The prompts the run's rubric scores: training, then held-out (its preflight checks them)."""
        return self.train + self.heldout

    def as_dict(self) -> dict[str, list[str]]:
        return {name: getattr(self, name) for name in SETS}


def train_prompts(cfg: RunConfig) -> list[str]:
    """Training prompts: the procedural template specs of the training split (shuffled by seed) or a file's lines."""
    if cfg.train_prompts == "procedural":
        prompts = [s.prompt for s in train_specs()]
        random.Random(cfg.seed).shuffle(prompts)
        return prompts
    return prompt_lines(cfg.train_prompts, "prompts.train_prompts")


def select_prompts(cfg: RunConfig) -> list[str]:
    """Selection prompts: the whole procedural selection split (SFT stops on a sample of it), a file, or none."""
    if cfg.select_prompts == "procedural":
        return [s.prompt for s in select_specs()]
    if cfg.select_prompts in ("", "none"):
        return []
    return prompt_lines(cfg.select_prompts, "prompts.select_prompts")


def prompt_sets(cfg: RunConfig) -> PromptSets:
    """The three sets a config asks for; RunError when one is empty or two share a prompt."""
    try:
        sets = PromptSets(select=select_prompts(cfg), train=train_prompts(cfg), heldout=heldout_prompts(cfg))
    except OSError as e:
        raise RunError(f"cannot read a prompt file: {e}. Fix the path in [prompts].") from e
    for name in ("train", "heldout"):
        if not getattr(sets, name):
            raise RunError(f"the {LABELS[name]} prompt set is empty: give [prompts] {name}_prompts a file with "
                           "one prompt a line, or \"procedural\".")
    try:  # an overlap is an error, raised before the run folder holds anything
        check_disjoint({LABELS[name]: prompts for name, prompts in sets.as_dict().items()})
    except PromptOverlapError as e:
        raise RunError(f"{e} (selection: {cfg.select_prompts}, training: {cfg.train_prompts}, "
                       f"held-out: {cfg.heldout_prompts})") from e
    return sets


def _sha(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def fix_prompt_sets(run_dir: Path, cfg: RunConfig, sets: PromptSets) -> dict:
    """Write the sets into run_dir/prompts (once: a folder that has them keeps them); returns sets.json."""
    folder = run_dir / FOLDER
    record_path = folder / "sets.json"
    if record_path.exists():
        return json.loads(record_path.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    record = {"sets": {}}
    for name, prompts in sets.as_dict().items():
        (folder / f"{name}.txt").write_text("".join(f"{p}\n" for p in prompts), encoding="utf-8")
        source = getattr(cfg, f"{name}_prompts")
        record["sets"][name] = {"count": len(prompts), "sha256": _sha(prompts), "source": source}
    record["heldout_seeds"] = list(cfg.heldout_seeds)
    tmp = folder / ".sets.json.tmp"
    tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    tmp.replace(record_path)
    return record


def read_prompt_sets(run_dir: Path) -> PromptSets:
    """The sets fixed in run_dir/prompts, each checked against its recorded hash (RunError if changed)."""
    folder = run_dir / FOLDER
    try:
        record = json.loads((folder / "sets.json").read_text(encoding="utf-8"))
        loaded = {name: [ln for ln in (folder / f"{name}.txt").read_text(encoding="utf-8").splitlines() if ln]
                  for name in SETS}
    except (OSError, ValueError) as e:
        raise RunError(f"{run_dir} lacks the prompt sets it was fixed to at its start ({e}). "
                       "Start a new run; this one cannot be continued as it was.") from e
    changed = [f"{FOLDER}/{n}.txt" for n in SETS if _sha(loaded[n]) != record["sets"][n]["sha256"]]
    if changed:
        raise RunError(f"{', '.join(changed)} in {run_dir} no longer match(es) what the run started with "
                       f"({FOLDER}/sets.json). Put the originals back, or start a new run.")
    return PromptSets(**loaded)


def run_prompt_sets(run_dir: Path, cfg: RunConfig) -> PromptSets:
    """The run's fixed sets; a run from before they were fixed gets them from its config now (and keeps them)."""
    if not (run_dir / FOLDER / "sets.json").exists():
        fix_prompt_sets(run_dir, cfg, prompt_sets(cfg))
    return read_prompt_sets(run_dir)
