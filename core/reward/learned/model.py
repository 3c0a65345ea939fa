"""The trained reward model in use: utilities, P(candidate beats reference), absolute scores, evaluation.

`RewardModel.current()` loads the artefact `current.json` names, once per process (reloaded when a
retrain replaces it). Utilities are memoised by image hash, so scoring the same render twice, or a
reference against many candidates, costs one forward pass.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from core.hashing import bytes_hash
from core.pool.pool import RatingPool
from core.reward.learned.artefacts import ModelMeta, NoRewardModel, current_dir, load_state
from core.reward.learned.dataset import load_rated, measure
from core.reward.learned.embedding import load_extractor
from core.reward.learned.pairs import pair_accuracy
from core.reward.learned.train import sigmoid

_LOADED: dict[str, RewardModel] = {}
_LOAD_LOCK = threading.Lock()


class RewardModel:
    """A loaded PreferenceNet with its meta; thread-safe for scoring."""

    def __init__(self, path: Path):
        import torch

        from core.reward.learned.net import PreferenceNet

        state, meta = load_state(path)
        self.path, self.meta = path, meta
        self.train_hashes: set[str] = set(state.get("train_hashes", []))
        n_features = len(meta.feature_names) + meta.embedding_dim
        self.net = PreferenceNet(n_features, meta.cnn_width, meta.hidden, meta.use_cnn)
        self.net.load_state_dict(state["net"])
        self.net.eval()
        self.extractor = load_extractor(meta.embedding) if meta.embedding else None
        self._torch = torch
        self._lock = threading.Lock()
        self._memo: dict[str, float] = {}

    @classmethod
    def current(cls, home: Path | None = None) -> RewardModel:
        """The model `current.json` names (cached per process); NoRewardModel when none was trained."""
        path = current_dir(home)
        if path is None:
            raise NoRewardModel("no reward model has been trained yet. Train one: brushwork rm train "
                                "(on a fresh install, build the demo pool first: brushwork rm demo-pool).")
        key = str(path)
        with _LOAD_LOCK:
            if key not in _LOADED:
                _LOADED.clear()
                _LOADED[key] = cls(path)
            return _LOADED[key]

    def utilities(self, pngs: list[bytes]) -> np.ndarray:
        """Bradley–Terry utility per painting (higher = better)."""
        digests = [bytes_hash(p) for p in pngs]
        todo = [i for i, d in enumerate(digests) if d not in self._memo]
        if todo:
            measured = [measure(pngs[i], digests[i]) for i in todo]
            feats = np.stack([m[0] for m in measured])
            if self.extractor is not None:
                feats = np.concatenate([feats, self.extractor.embed([pngs[i] for i in todo])], axis=1)
            pix = np.stack([m[1] for m in measured])
            with self._lock, self._torch.no_grad():
                u = self.net(self._torch.from_numpy(feats.astype(np.float32)), self._torch.from_numpy(pix)).numpy()
                for i, value in zip(todo, u, strict=True):
                    self._memo[digests[i]] = float(value)
        return np.array([self._memo[d] for d in digests])

    def prob_beats(self, candidate_png: bytes, reference_png: bytes) -> float:
        """P(candidate beats reference) under the model."""
        uc, ur = self.utilities([candidate_png, reference_png])
        return sigmoid(float(uc - ur))

    def absolute(self, png: bytes) -> float:
        """P(this painting beats the love tier's typical painting), in [0, 1]."""
        return self.prob_vs_love(self.utilities([png]))[0]

    def prob_vs_love(self, utilities: np.ndarray) -> list[float]:
        """P(beats the love tier) for utilities already computed."""
        return [sigmoid(float(u) - self.meta.love_utility) for u in utilities]


def evaluate(pool: RatingPool, model: RewardModel | None = None) -> dict:
    """Pair accuracy of the model on the pool's images it was not trained on, against "more colourful wins"."""
    model = model or RewardModel.current()
    data = load_rated(pool, model.extractor)
    unseen = data.subset([it for it in data.items if it.hash not in model.train_hashes])
    scores = list(model.utilities([Path(it.path).read_bytes() for it in unseen.items])) if unseen.items else []
    acc, pairs = pair_accuracy(scores, unseen.items)
    base, _ = pair_accuracy(list(unseen.colour), unseen.items)
    return {"pairs": pairs, "heldout_pair_accuracy": _r(acc), "baseline_accuracy": _r(base),
            "baseline": "more colourful wins", "images": len(unseen.items), "tiers": unseen.tiers(),
            "model": _model_info(model.meta, model.path)}


def _model_info(meta: ModelMeta, path: Path) -> dict:
    return {"path": str(path), "trained_at": meta.trained_at, "pool_hash": meta.pool_hash,
            "features_version": meta.features_version, "heldout_pair_accuracy": _r(meta.heldout_pair_accuracy),
            "baseline_accuracy": _r(meta.baseline_accuracy), "demo_pool": meta.demo_pool}


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 4)
