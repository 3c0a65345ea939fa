"""The HPSv3 preference slot: an adapter for the optional `hpsv3` package with weights from a local path.

No model hub is reachable, so the weights come from a path: `$BRUSHWORK_HPSV3_WEIGHTS`, else
`[hpsv3] weights = "/path/to/HPSv3.safetensors"` in `<data home>/settings.toml`. Install the
package with `pip install 'brushwork[hpsv3]'`. When either is missing, `hpsv3_status()` says which,
in a sentence, and the presets' `fallback = "preference"` lets the learned model fill the slot.
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.store.home import settings_file

ENV = "BRUSHWORK_HPSV3_WEIGHTS"


@dataclass(frozen=True)
class HPSv3Status:
    """Whether HPSv3 can score here; `message` says what to do when it cannot."""

    available: bool
    message: str
    weights: Path | None = None


def configured_weights(home: Path | None = None) -> Path | None:
    """The weights path from the environment or the settings file (None when neither names one)."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    path = settings_file(home)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("hpsv3", {}).get("weights")
    return Path(value).expanduser() if value else None


def hpsv3_status(home: Path | None = None) -> HPSv3Status:
    """Can HPSv3 run? Checks the package, then the weights path; never downloads anything."""
    if importlib.util.find_spec("hpsv3") is None:
        return HPSv3Status(False, "HPSv3 is not installed (pip install 'brushwork[hpsv3]'); "
                                  "the learned preference model fills its slot.")
    weights = configured_weights(home)
    if weights is None:
        return HPSv3Status(False, f"HPSv3 has no weights: set {ENV} or [hpsv3] weights in "
                                  f"{settings_file(home)} to a local checkpoint; "
                                  "the learned preference model fills its slot.")
    if not weights.exists():
        return HPSv3Status(False, f"HPSv3 weights not found at {weights}; fix the path. "
                                  "The learned preference model fills its slot.", weights)
    return HPSv3Status(True, f"HPSv3 from {weights}", weights)


_MODELS: dict[str, Any] = {}  # one loaded model per weights file, for the life of the process


def hpsv3_score(weights: Path | str, png: bytes, prompt: str) -> float:
    """HPSv3's reward for a painting and its prompt on the CPU, mapped from roughly 0…15 to [0, 1]."""
    from hpsv3 import HPSv3RewardInferencer  # deferred: optional extra ([hpsv3])

    key = str(weights)
    model = _MODELS.get(key) or _MODELS.setdefault(key, HPSv3RewardInferencer(checkpoint_path=key, device="cpu"))
    with tempfile.NamedTemporaryFile(suffix=".png") as f:  # its reward() takes image paths
        f.write(png)
        f.flush()
        raw = float(model.reward([f.name], [prompt])[0][0])
    return min(1.0, max(0.0, raw / 15.0))
