"""A test fixture: the tiniest model that paints. It is taught a few procedural-corpus sketches (under
every training prompt), so its samples render and reach the judges, which a random model's never do."""
from __future__ import annotations

import random
from pathlib import Path

SKETCHES = 3
MAX_COMPLETION = 200  # tokens: the taught sketches are 90-170 BPE tokens


def make_painting_model(out: Path, steps: int = 160, seed: int = 3) -> list[str]:
    """Build and teach the model into `out`; returns the sketches it knows."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from core.train.corpus import corpus, train_specs
    from core.train.sft import _batch
    from core.train.tiny import TinySpec, make_tiny

    make_tiny(out, TinySpec(vocab_size=1024, hidden_size=48, layers=1, heads=2, corpus_size=300))
    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForCausalLM.from_pretrained(out)
    codes = [c for _, c in corpus(SKETCHES, seed=seed, careless_share=0.0)]  # careful sketches only
    prompts = [s.prompt for s in train_specs()]
    rng = random.Random(seed)
    torch.manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=4e-3)
    for _ in range(steps):
        ids, mask, labels = _batch(tokenizer, [(rng.choice(prompts), rng.choice(codes)) for _ in range(4)])
        model(input_ids=ids, attention_mask=mask, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return codes
