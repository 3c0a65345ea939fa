"""How `brushwork rm train` trains: a module of its own so the CLI builds its flags without importing torch."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.reward.learned.pairs import HELDOUT_SHARE


@dataclass
class TrainConfig:
    """How `brushwork rm train` trains (printed at start, stored with the model)."""

    steps: int = field(default=250, metadata={"help": "full-batch optimiser steps over all training pairs"})
    lr: float = field(default=3e-3, metadata={"help": "Adam learning rate"})
    weight_decay: float = field(default=1e-2, metadata={"help": "AdamW weight decay (the pools are small)"})
    use_prompt: bool = field(default=True, metadata={"help": "read the prompt (colour, medium, subject words); "
                                                      "--no-use-prompt trains the image-only ablation"})
    use_cnn: bool = field(default=True, metadata={"help": "add the tiny CNN over 48 px pixels to the feature MLP"})
    cnn_width: int = field(default=12, metadata={"help": "channels of the CNN's first layer"})
    hidden: int = field(default=16, metadata={"help": "hidden units of the feature MLP"})
    heldout_share: float = field(default=HELDOUT_SHARE, metadata={"help": "share of image groups held out per tier"})
    embedding: str = field(default="", metadata={"help": "clip:PATH or siglip:PATH of local weights; '' for none"})
    max_seconds: float = field(default=45.0, metadata={"help": "stop training after this long whatever the steps"})
    # One thread: the net is tiny, and a second thread spin-waiting on a busy machine made steps 5-10x slower.
    threads: int = field(default=1, metadata={"help": "torch CPU threads for the fit"})
    seed: int = field(default=0, metadata={"help": "initialisation and augmentation seed"})
