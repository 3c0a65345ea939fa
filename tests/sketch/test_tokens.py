"""Token length: a fast estimate, and exact counts with a tokenizer trained here (no hub)."""
from __future__ import annotations

from pathlib import Path

import pytest
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from core.paths import STARTERS
from core.sketch import approx_tokens, check, count_tokens, load_tokenizer

CODE = "function setup() {\n  createCanvas(600, 600, WEBGL);\n  brush.set('HB', '#2f2a26', 1.4);\n}\n"


@pytest.fixture(scope="module")
def tokenizer_file(tmp_path_factory) -> Path:
    """A byte-level BPE trained on the starter sketches, as real training code would build one."""
    corpus = [p.read_text() for p in sorted(STARTERS.glob("*.js"))] or [CODE * 20]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=400, special_tokens=["<eos>"],
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    tok.save(str(path))
    return path


def test_approx_tracks_length():
    assert approx_tokens("") == 0
    one = approx_tokens(CODE)
    assert 25 <= one <= 45  # cl100k/o200k give 34 for this snippet
    assert approx_tokens(CODE * 10) == pytest.approx(10 * one, rel=0.05)
    assert count_tokens(CODE) == (one, "approx")


def test_exact_with_a_tokenizer_json(tokenizer_file):
    expected = len(Tokenizer.from_file(str(tokenizer_file)).encode(CODE).ids)
    assert count_tokens(CODE, str(tokenizer_file)) == (expected, "exact")
    assert count_tokens(CODE, tokenizer_file.parent) == (expected, "exact")  # the folder works too
    assert load_tokenizer(tokenizer_file) is load_tokenizer(str(tokenizer_file))  # cached
    report = check(CODE, tokenizer=str(tokenizer_file), syntax=False)
    assert (report.tokens, report.token_method) == (expected, "exact")


def test_exact_with_a_transformers_folder(tokenizer_file, tmp_path):
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    fast = PreTrainedTokenizerFast(tokenizer_file=str(tokenizer_file), eos_token="<eos>")
    folder = tmp_path / "hf"
    fast.save_pretrained(folder)  # the layout of a saved model's folder
    expected = len(fast(CODE, add_special_tokens=False)["input_ids"])
    assert expected == len(Tokenizer.from_file(str(tokenizer_file)).encode(CODE).ids)
    loaded = load_tokenizer(folder)
    assert not isinstance(loaded, Tokenizer) and type(loaded) is type(AutoTokenizer.from_pretrained(folder))
    assert count_tokens(CODE, folder) == (expected, "exact")
    assert count_tokens(CODE, fast) == (expected, "exact")  # an already-loaded tokenizer


def test_missing_tokenizer_path_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        count_tokens(CODE, tmp_path / "nope")
