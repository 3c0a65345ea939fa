"""Mode-collapse monitor: within-group diversity, completion length, entropy, KL and zero-spread groups per step.

"Every rollout looked the same" was only seen by eye in the original project. Here each step gets
`diversity/image` (mean pairwise ΔE between the 32×32 Lab renders of one prompt's generations),
`diversity/code` (mean pairwise 1 − difflib ratio of their code), and the monitor compares those, the
mean completion length and the entropy (which fall in a collapse) and the KL to the starting model and
TRL's `frac_reward_zero_std` (which rise: the policy drifts and its groups stop differing) to their
level over the first steps. When at least three of the six have moved that way (or image and code
diversity are both ~0) it warns once per `window` steps with a `collapse` run event. Its history is
part of the checkpoint (`to_state` / `from_state`), so a resumed run warns where an unbroken one would.
"""
from __future__ import annotations

import difflib
import io
import itertools
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from core.pool.colour import srgb_to_lab

SIGNALS = ("diversity/image", "diversity/code", "completions/mean_length", "entropy")  # fall in a collapse
RISING = ("kl", "frac_reward_zero_std")                                                 # rise in one


def small_lab(png: bytes, side: int = 32) -> np.ndarray:
    """The image downscaled to side×side and converted to Lab (side*side, 3)."""
    img = Image.open(io.BytesIO(png)).convert("RGB").resize((side, side), Image.Resampling.BOX)
    return srgb_to_lab(np.asarray(img, dtype=np.float64).reshape(-1, 3))


def _pairs(items: Sequence) -> list[tuple]:
    return list(itertools.combinations(items, 2))


def group_diversity(prompts: Sequence[str], codes: Sequence[str], pngs: Sequence[bytes | None]) -> dict[str, float | None]:
    """Mean within-prompt pairwise image ΔE (None without two renders) and code distance."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(prompts):
        groups[p].append(i)
    image, code = [], []
    for idx in groups.values():
        labs = [small_lab(pngs[i]) for i in idx if pngs[i]]
        image += [float(np.linalg.norm(a - b, axis=1).mean()) for a, b in _pairs(labs)]
        code += [1.0 - difflib.SequenceMatcher(None, codes[a], codes[b], autojunk=False).ratio()
                 for a, b in _pairs(idx)]
    return {"diversity/image": statistics.fmean(image) if image else None,
            "diversity/code": statistics.fmean(code) if code else None}


@dataclass
class CollapseMonitor:
    """Watches the six signals; `update(step, metrics)` returns a warning dict when they move together."""

    window: int = 5
    ratio: float = 0.35
    floor: float = 0.02  # image ΔE and code distance below this mean identical rollouts
    kl_floor: float = 0.05     # KL (nats per token) below this is no drift, whatever its baseline
    kl_ratio: float = 3.0
    zero_spread: float = 0.5   # half the groups without reward spread...
    zero_spread_rise: float = 0.25  # ...and that many more than at the start
    history: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    last_warning: int = -(10**9)

    def baseline(self, key: str) -> float | None:
        vals = self.history[key][: self.window]
        return statistics.median(vals) if len(vals) >= min(3, self.window) else None

    def recent(self, key: str) -> float | None:
        vals = self.history[key][self.window:][-self.window:]
        return statistics.median(vals) if len(vals) >= min(3, self.window) else None

    def _risen(self, key: str, base: float, now: float) -> bool:
        if key == "kl":
            return now > max(self.kl_floor, self.kl_ratio * base)
        return now >= self.zero_spread and now >= base + self.zero_spread_rise

    def update(self, step: int, metrics: dict[str, float | None]) -> dict | None:
        """Record this step's signals; a warning {message, data} when they have moved together."""
        for key in (*SIGNALS, *RISING):
            v = metrics.get(key)
            if v is not None and v == v:
                self.history[key].append(float(v))
        if step - self.last_warning < self.window:
            return None
        fallen, risen, data = [], [], {}
        for key in (*SIGNALS, *RISING):
            base, now = self.baseline(key), self.recent(key)
            data[key] = {"baseline": base, "recent": now}
            if base is None or now is None:
                continue
            if key in RISING and self._risen(key, base, now):
                risen.append(key)
            elif key in SIGNALS and base > 0 and now < self.ratio * base:
                fallen.append(key)
        # Identical rollouts: code distance ~0, and image distance ~0 too when there are renders to compare.
        last = {k: self.history[k][-1] for k in SIGNALS[:2] if self.history[k]}
        code_same = last.get("diversity/code", 1.0) < self.floor
        image_same = metrics.get("diversity/image") is None or last.get("diversity/image", 0.0) < self.floor
        identical = "diversity/code" in last and metrics.get("diversity/code") is not None and code_same and image_same
        if len(fallen) + len(risen) >= 3 or identical:
            self.last_warning = step
            moved = [f"{', '.join(keys)} {verb}" for keys, verb in ((fallen, "fell"), (risen, "rose")) if keys]
            why = "rollouts within a group are identical" if identical else f"{' and '.join(moved)} together"
            return {"message": f"possible mode collapse at step {step}: {why}",
                    "data": {**data, "fallen": fallen, "risen": risen, "last": last}}
        return None

    def to_state(self) -> dict:
        """JSON-ready history and the step of the last warning (kept in the checkpoint)."""
        return {"history": {k: list(v) for k, v in self.history.items()}, "last_warning": self.last_warning}

    def load_state(self, state: dict) -> None:
        """Continue from `to_state()`: the baseline stays the run's first steps, not the resume's."""
        self.history = defaultdict(list, {k: [float(x) for x in v] for k, v in state.get("history", {}).items()})
        self.last_warning = int(state.get("last_warning", self.last_warning))
