"""The trained reward model in use: utilities, P(candidate beats reference), absolute scores, evaluation.

`RewardModel.current()` loads the artefact `current.json` names, once per process (reloaded when a
retrain replaces it). A painting is scored *for a prompt* (both sides of a pairwise judgement for the
candidate's prompt); a model that ignores the prompt (an rm-1 artefact) scores the image alone.
Utilities are memoised by (image hash, prompt words), so scoring the same render twice, or a
reference against many candidates of one prompt, costs one forward pass.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from core.hashing import bytes_hash
from core.pool.pool import RatingPool
from core.reward.learned.artefacts import ModelMeta, NoRewardModel, current_dir, load_state, prompt_note
from core.reward.learned.dataset import load_rated, measure
from core.reward.learned.embedding import load_extractor
from core.reward.learned.heldout import pair_report
from core.reward.learned.pairs import pair_accuracy
from core.reward.learned.prompt_features import contexts, prompt_key
from core.reward.learned.train import sigmoid

_LOADED: dict[str, RewardModel] = {}
_LOAD_LOCK = threading.Lock()


class RewardModel:
    """A loaded PreferenceNet with its meta; thread-safe for scoring."""

    def __init__(self, path: Path):
        import torch  # deferred: heavy (torch)

        from core.reward.learned.net import PreferenceNet  # deferred: heavy (torch)

        state, meta = load_state(path)
        self.path, self.meta = path, meta
        self.train_hashes: set[str] = set(state.get("train_hashes", []))
        # None for an artefact from before prompts were recorded: then no image can be called "unseen prompt".
        self.train_prompts: set[str] | None = set(state["train_prompts"]) if "train_prompts" in state else None
        n_features = len(meta.feature_names) + meta.embedding_dim
        self.net = PreferenceNet(n_features, meta.cnn_width, meta.hidden, meta.use_cnn, meta.context_dim,
                                 meta.prompt_anchors)
        self.net.load_state_dict(state["net"])
        self.net.eval()
        self.extractor = load_extractor(meta.embedding) if meta.embedding else None
        self._torch = torch
        self._lock = threading.Lock()
        self._memo: dict[tuple[str, str], float] = {}
        self.prompt_note = prompt_note(meta)  # None when the model reads the prompt

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

    @property
    def reads_prompt(self) -> bool:
        """True when scores depend on the prompt."""
        return self.meta.reads_prompt

    def utilities(self, pngs: list[bytes], prompts: list[str | None] | str | None = None) -> np.ndarray:
        """Bradley–Terry utility per painting for its prompt (one prompt for all, or one each; higher = better)."""
        if prompts is None or isinstance(prompts, str):
            prompts = [prompts] * len(pngs)
        if len(prompts) != len(pngs):
            raise ValueError(f"{len(pngs)} paintings but {len(prompts)} prompts")
        words = [prompt_key(p) if self.reads_prompt else "" for p in prompts]
        keys = [(bytes_hash(p), w) for p, w in zip(pngs, words, strict=True)]
        todo = [i for i, k in enumerate(keys) if k not in self._memo]
        if todo:
            measured = [measure(pngs[i], keys[i][0]) for i in todo]
            feats = np.stack([m.feats for m in measured])
            if self.extractor is not None:
                feats = np.concatenate([feats, self.extractor.embed([pngs[i] for i in todo])], axis=1)
            pix = np.stack([m.pix for m in measured])
            ctx = (self._torch.from_numpy(contexts([prompts[i] for i in todo], np.stack([m.shares for m in measured])))
                   if self.reads_prompt else None)
            with self._lock, self._torch.no_grad():
                u = self.net(self._torch.from_numpy(feats.astype(np.float32)), self._torch.from_numpy(pix), ctx).numpy()
                for i, value in zip(todo, u, strict=True):
                    self._memo[keys[i]] = float(value)
        return np.array([self._memo[k] for k in keys])

    def prob_beats(self, candidate_png: bytes, reference_png: bytes, prompt: str | None = None) -> float:
        """P(candidate beats reference), both painted for `prompt`, under the model."""
        uc, ur = self.utilities([candidate_png, reference_png], prompt)
        return sigmoid(float(uc - ur))

    def absolute(self, png: bytes, prompt: str | None = None) -> float:
        """P(this painting, for `prompt`, beats the love tier's typical painting), in [0, 1]."""
        return self.prob_vs_love(self.utilities([png], prompt))[0]

    def prob_vs_love(self, utilities: np.ndarray) -> list[float]:
        """P(beats the love tier) for utilities already computed."""
        return [sigmoid(float(u) - self.meta.love_utility) for u in utilities]


def evaluate(pool: RatingPool, model: RewardModel | None = None) -> dict:
    """Pair accuracy of the model on the pool's images it was not trained on, against "more colourful wins";
    `unseen_prompts` restricts that to images whose prompts it never trained on."""
    model = model or RewardModel.current()
    data = load_rated(pool, model.extractor)
    unseen = data.subset([it for it in data.items if it.hash not in model.train_hashes])
    pngs = [Path(it.path).read_bytes() for it in unseen.items]
    scores = list(model.utilities(pngs, [it.prompt for it in unseen.items])) if unseen.items else []
    acc, pairs = pair_accuracy(scores, unseen.items)
    base, _ = pair_accuracy(list(unseen.colour), unseen.items)
    trained = model.train_prompts
    new = [i for i, it in enumerate(unseen.items) if trained is not None and it.prompt_key and it.prompt_key not in trained]
    return {"pairs": pairs, "heldout_pair_accuracy": _r(acc), "baseline_accuracy": _r(base),
            "baseline": "more colourful wins", "images": len(unseen.items), "tiers": unseen.tiers(),
            "heldout": pair_report(scores, unseen.items),
            "unseen_prompts": (pair_report([scores[i] for i in new], [unseen.items[i] for i in new])
                               if trained is not None else None),
            "reads_prompt": model.reads_prompt, "prompt_note": model.prompt_note,
            "model": _model_info(model.meta, model.path)}


def _model_info(meta: ModelMeta, path: Path) -> dict:
    return {"path": str(path), "trained_at": meta.trained_at, "pool_hash": meta.pool_hash,
            "features_version": meta.features_version, "prompt_features_version": meta.prompt_features_version,
            "heldout_split": meta.heldout_split, "heldout_pair_accuracy": _r(meta.heldout_pair_accuracy),
            "baseline_accuracy": _r(meta.baseline_accuracy), "demo_pool": meta.demo_pool}


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 4)
