"""The data home's layout: every file and folder Brushwork keeps there, named once.

The root is `core.paths.data_home()` ($BRUSHWORK_HOME, else the platform's user data dir); the README's
"Data and privacy" table lists what lives under it. Each function here takes `home` (default: the data
home) so a test or a command working on another home names the same places. The database and what it
indexes (renders/, pool/) are the Store's own: `Store.path`, `Store.render_file`, core.store.pool.
One place outside core/store names a folder here: core/sketch/api.py caches the installed p5.brush API
under cache/ (core.sketch sits below the store, and `brushwork check` must not load SQLite's libraries).
"""
from __future__ import annotations

from pathlib import Path

from core.paths import data_home

TRAINING_PROMPT_NAME = "training_system_prompt.md"
# The tiny model and its warm start, as run configs name them (relative to the data home).
TINY_MODEL, TINY_SFT_MODEL = "models/tiny", "models/tiny-sft"


def _home(home: Path | None) -> Path:
    return Path(home) if home is not None else data_home()


def under_home(relative: str | Path, home: Path | None = None) -> Path:
    """A path a config or a user gave relative to the data home (e.g. "models/tiny-sft")."""
    return _home(home) / relative


def database_file(home: Path | None = None) -> Path:
    """brushwork.db: the library, the pool, judgements and training runs (core/store)."""
    return _home(home) / "brushwork.db"


def models_dir(home: Path | None = None) -> Path:
    """models/: models built here (`brushwork model tiny`) and their warm starts (`brushwork sft`)."""
    return _home(home) / "models"


def runs_dir(home: Path | None = None) -> Path:
    """runs/: one folder per training run (config, pinned inputs, checkpoints, held-out, contact sheet)."""
    return _home(home) / "runs"


def logs_dir(home: Path | None = None) -> Path:
    """logs/: output of the jobs and runs the studio starts."""
    return _home(home) / "logs"


def run_configs_dir(home: Path | None = None) -> Path:
    """run-configs/: run configs saved from the studio's Train pane."""
    return _home(home) / "run-configs"


def presets_dir(home: Path | None = None) -> Path:
    """presets/: rubric presets saved from the studio's Rubric pane."""
    return _home(home) / "presets"


def prompt_runs_dir(home: Path | None = None) -> Path:
    """prompt_runs/: prompt-evolution runs (lineage, summary), one folder each."""
    return _home(home) / "prompt_runs"


def training_prompt_file(home: Path | None = None) -> Path:
    """prompts/training_system_prompt.md: the promoted training system prompt."""
    return _home(home) / "prompts" / TRAINING_PROMPT_NAME


def reward_model_dir(home: Path | None = None) -> Path:
    """reward_model/: learned reward model versions (`current.json` points at the newest)."""
    return _home(home) / "reward_model"


def subject_model_dir(home: Path | None = None) -> Path:
    """subject_model/: the offline reward's subject recogniser."""
    return _home(home) / "subject_model"


def rendered_dir(home: Path | None = None) -> Path:
    """rendered/: `brushwork render` output when the sketch's own folder is read-only."""
    return _home(home) / "rendered"


def settings_file(home: Path | None = None) -> Path:
    """settings.toml: optional settings (HPSv3 weights)."""
    return _home(home) / "settings.toml"


def studio_settings_file(home: Path | None = None) -> Path:
    """studio.ini: the studio's window and pane state."""
    return _home(home) / "studio.ini"
