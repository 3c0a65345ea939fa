"""Pluggable image embeddings for the learned reward: none by default, CLIP / SigLIP from weights on disk.

No model hub is reachable here, so nothing is downloaded: a GPU user points `--embedding` (or the
setting `reward_model.embedding`) at a local folder saved with `save_pretrained`, e.g.
`clip:/models/clip-vit-b32`. The embedding is appended to the hand-made features; its name and
width are stored in the artefact, so a model never scores with a different extractor than it was
trained with.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from core.reward.types import RewardError


class EmbeddingUnavailable(RewardError):
    """The embedding's weights or libraries are missing; the message says what to point it at."""


@dataclass
class EmbeddingExtractor:
    """`name` as given (e.g. "clip:/models/clip"), `dim`, and `embed(pngs) -> (n, dim)` float32."""

    name: str
    dim: int
    embed: Callable[[list[bytes]], np.ndarray]


def _hf_extractor(kind: str, path: Path) -> EmbeddingExtractor:
    if not path.is_dir():
        raise EmbeddingUnavailable(f"{kind} weights not found at {path}. Save a model there with "
                                   "save_pretrained (no hub download happens here) or drop --embedding.")
    try:
        import torch  # deferred: heavy (torch)
        from transformers import AutoModel, AutoProcessor  # deferred: heavy (transformers)
    except ImportError as e:  # pragma: no cover - transformers is a base dependency
        raise EmbeddingUnavailable(f"{kind} embeddings need transformers: {e}. pip install transformers.") from e
    model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
    processor = AutoProcessor.from_pretrained(str(path), local_files_only=True)

    def embed(pngs: list[bytes]) -> np.ndarray:
        images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
        with torch.no_grad():
            inputs = processor(images=images, return_tensors="pt")
            out = model.get_image_features(**inputs)
            out = out / out.norm(dim=-1, keepdim=True).clamp_min(1e-6)
        return out.float().numpy()

    dim = int(embed([_blank_png()]).shape[1])
    return EmbeddingExtractor(f"{kind}:{path}", dim, embed)


def _blank_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(buf, format="PNG")
    return buf.getvalue()


def load_extractor(spec: str | None) -> EmbeddingExtractor | None:
    """None for no embedding ("" / "none"); "clip:PATH" or "siglip:PATH" for local weights."""
    if not spec or spec == "none":
        return None
    kind, _, rest = spec.partition(":")
    if kind not in ("clip", "siglip") or not rest:
        raise EmbeddingUnavailable(f"unknown embedding {spec!r}; use clip:/path/to/weights, "
                                   "siglip:/path/to/weights or none.")
    return _hf_extractor(kind, Path(rest).expanduser())
