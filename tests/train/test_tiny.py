"""`brushwork model tiny`: tokenizer + Qwen3-style model saved and loaded with plain from_pretrained; SFT batches."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.train.corpus import Spec, sketch_code
from core.train.tiny import TinySpec, make_tiny, plain_prompt


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny") / "m"
    summary = make_tiny(out, TinySpec(vocab_size=320, hidden_size=32, layers=1, heads=2, corpus_size=200))
    assert summary["parameters"] < 100_000 and summary["max_tokens"] < 512
    return out


@pytest.mark.slow
def test_loads_with_from_pretrained_and_generates(tiny: Path):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny)
    model = AutoModelForCausalLM.from_pretrained(tiny)
    assert type(model).__name__ == "Qwen3ForCausalLM"
    code = sketch_code(Spec("sun", "red", "ink", "in the centre"))
    assert tok.decode(tok(code).input_ids) == code  # byte-level BPE: lossless on sketch code
    enc = tok([plain_prompt("draw a red sun in the centre in ink")], return_tensors="pt")
    out = model.generate(**enc, max_new_tokens=5, do_sample=False, pad_token_id=tok.pad_token_id)
    assert out.shape[1] == enc.input_ids.shape[1] + 5 or int(out[0, -1]) == tok.eos_token_id
    assert torch.isfinite(model(**enc).logits).all()


@pytest.mark.slow
def test_sft_batch_trains_on_code_only(tiny: Path):
    from transformers import AutoTokenizer

    from core.train.sft import _batch

    tok = AutoTokenizer.from_pretrained(tiny)
    pairs = [("draw a red sun in the centre in ink", "brush.line(0, 0, 1, 1);\n"), ("p", "x")]
    ids, mask, labels = _batch(tok, pairs)
    n_prompt = len(tok(plain_prompt(pairs[0][0])).input_ids)
    assert (labels[0, :n_prompt] == -100).all() and (labels[0, n_prompt:mask[0].sum()] != -100).all()
    assert int(labels[0, mask[0].sum() - 1]) == tok.eos_token_id  # learns to stop
    assert (labels[1][mask[1] == 0] == -100).all()
