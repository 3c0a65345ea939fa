"""The subject recogniser: a small CNN over ink crops, its training loop, and its artefact in the data home.

Layout: `<data home>/subject_model/{model.pt, meta.json}` (written to a temporary folder, then renamed
over the old one). meta.json says what the model knows (labels, the prompt words per subject), what it
was trained on and how well it did on held-out renders, so `brushwork subject info` needs no torch.
torch is imported inside the functions that need it: scoring without the subject component never pays
for it.
"""
from __future__ import annotations

import functools
import json
import random
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.reward.subject.augment import made_negative, positive_input
from core.reward.subject.features import FEATURES_VERSION
from core.reward.subject.inference import fold
from core.reward.types import RewardError
from core.store.home import subject_model_dir

FORMAT = "brushwork-subject-1"
# Share of each training batch that is made-up negatives (augment.MADE_NEGATIVES): words, hatching, jigsaws.
MADE_SHARE = 0.15


class NoRecogniser(RewardError):
    """No subject recogniser is trained here (or it was made for other features); says how to train one."""


@dataclass
class RecogniserMeta:
    """What a trained recogniser knows and how well it did."""

    labels: list[str]
    words: dict[str, list[str]]              # subject -> prompt words that name it
    format: str = FORMAT
    features_version: str = FEATURES_VERSION
    width: int = 16
    render_size: int = 128
    train_images: int = 0
    heldout_images: int = 0
    heldout_accuracy: float | None = None
    heldout_by_label: dict[str, float] = field(default_factory=dict)
    steps: int = 0
    seconds: float = 0.0
    trained_at: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecogniserMeta:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def model_dir(home: Path | None = None) -> Path:
    """Where the recogniser lives in the data home."""
    return subject_model_dir(home)


def build_net(classes: int, width: int = 16):  # noqa: ANN201 (torch.nn.Module; torch loads lazily)
    """Four 3x3 conv blocks (BatchNorm, ReLU, 2x pooling) and a linear head on average + max pooling."""
    import torch  # deferred: heavy (torch)
    from torch import nn  # deferred: heavy (torch)

    class SubjectNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            chans = [1, width, 2 * width, 4 * width, 4 * width]
            blocks = []
            for a, b in zip(chans, chans[1:], strict=False):
                blocks += [nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU(), nn.MaxPool2d(2)]
            self.body = nn.Sequential(*blocks)
            self.head = nn.Linear(8 * width, classes)

        def forward(self, x):  # noqa: ANN001, ANN202
            h = self.body(x)
            return self.head(torch.cat([h.mean((2, 3)), h.amax((2, 3))], dim=1))

    return SubjectNet()


def fit(maps: list[np.ndarray], labels: list[int], classes: int, none: int, *, steps: int = 500,
        batch: int = 64, width: int = 16, seed: int = 0, made_share: float = MADE_SHARE,
        on_step=None):  # noqa: ANN001, ANN201
    """Train a SubjectNet on ink maps (classes sampled evenly, `made_share` of each batch made-up negatives,
    augment.py); returns the model in eval mode. The same seed gives the same weights."""
    import torch  # deferred: heavy (torch)

    torch.manual_seed(seed)
    # One thread: on a shared 2-core machine two intra-op threads spin against other work (a step took
    # 3 s under load instead of 0.12 s); the net is small enough that one core is the fast choice.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _fit(maps, labels, classes, none, steps=steps, batch=batch, width=width, seed=seed,
                    made_share=made_share, on_step=on_step)
    finally:
        torch.set_num_threads(threads)


def _fit(maps, labels, classes, none, *, steps, batch, width, seed, made_share, on_step):  # noqa: ANN001, ANN202
    import torch  # deferred: heavy (torch)
    from torch import nn  # deferred: heavy (torch)

    rng = random.Random(seed)
    by_label: dict[int, list[np.ndarray]] = {}
    for ink, y in zip(maps, labels, strict=True):
        by_label.setdefault(y, []).append(ink)
    present = sorted(by_label)
    net = build_net(classes, width)
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    net.train()
    for step in range(steps):
        made = [rng.random() < made_share for _ in range(batch)]
        ys = [none if m else rng.choice(present) for m in made]
        xs = np.stack([made_negative(by_label, rng) if m else positive_input(rng.choice(by_label[y]), y, by_label, none, rng)
                       for m, y in zip(made, ys, strict=True)])
        loss = loss_fn(net(torch.from_numpy(xs[:, None])), torch.tensor(ys))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if on_step is not None:
            on_step(step, float(loss))
    return net.eval()


def predict(net, inputs: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """Class probabilities (N, classes) for (N, INPUT, INPUT) inputs."""
    import torch  # deferred: heavy (torch)

    with torch.inference_mode():
        return torch.softmax(net(torch.from_numpy(np.array(inputs, dtype=np.float32)[:, None])), dim=1).numpy()


def save(net, meta: RecogniserMeta, home: Path | None = None) -> Path:  # noqa: ANN001
    """Write the artefact (model.pt, its folded weights.npz for scoring, meta.json) to a temporary folder,
    then put it in place."""
    import torch  # deferred: heavy (torch)

    target = model_dir(home)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    meta.trained_at = meta.trained_at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    torch.save(net.state_dict(), tmp / "model.pt")
    np.savez(tmp / "weights.npz", **fold(net.eval()))
    (tmp / "meta.json").write_text(json.dumps(asdict(meta), indent=2))
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def read_meta(home: Path | None = None) -> RecogniserMeta | None:
    """The trained recogniser's meta, or None when there is none."""
    try:
        return RecogniserMeta.from_dict(json.loads((model_dir(home) / "meta.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def recogniser_problem(home: Path | None = None) -> str | None:
    """Why no recogniser can score here (its NoRecogniser message, which says how to train one), or None."""
    try:
        load(home)
    except NoRecogniser as e:
        return str(e)
    return None


def load(home: Path | None = None) -> tuple[dict[str, np.ndarray], RecogniserMeta]:
    """(folded weights, meta) of the trained recogniser for `inference.probabilities`, cached per artefact;
    NoRecogniser when there is none or it was made for other features. Needs no torch."""
    path = model_dir(home) / "weights.npz"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise NoRecogniser("no subject recogniser trained here. Train one: brushwork subject train") from None
    return _load(str(path), stamp)


@functools.lru_cache(maxsize=2)
def _load(path: str, _stamp: int) -> tuple[dict[str, np.ndarray], RecogniserMeta]:
    meta = read_meta(Path(path).parent.parent)
    if meta is None or meta.format != FORMAT or meta.features_version != FEATURES_VERSION:
        raise NoRecogniser(f"the subject recogniser in {Path(path).parent} was made for other features "
                           f"({meta.features_version if meta else 'unknown'}). Retrain: brushwork subject train")
    with np.load(path) as data:
        return {k: data[k] for k in data.files}, meta
