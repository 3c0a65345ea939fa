"""`brushwork model tiny`: a byte-level BPE tokenizer trained on the procedural corpus and a small
Qwen3-style causal LM built with `from_config`, saved so the normal `from_pretrained(path)` loads both.

No model hub: everything comes from the corpus on this machine. The result is a blank (untrained)
model; `brushwork sft` warm-starts it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.train.corpus import corpus

EOS, PAD = "<|endoftext|>", "<|pad|>"


@dataclass
class TinySpec:
    """Size of the tiny model; the defaults train on 2 CPU cores in minutes."""

    vocab_size: int = field(default=1024, metadata={"help": "BPE vocabulary size."})
    hidden_size: int = field(default=128, metadata={"help": "Width of the residual stream."})
    layers: int = field(default=4, metadata={"help": "Transformer blocks."})
    heads: int = field(default=4, metadata={"help": "Attention heads (key/value heads = half)."})
    max_positions: int = field(default=512, metadata={"help": "Longest prompt + completion in tokens."})
    corpus_size: int = field(default=4000, metadata={"help": "Corpus samples the tokenizer is trained on."})
    seed: int = field(default=0, metadata={"help": "Seed for the corpus and the initial weights."})


def plain_prompt(prompt: str) -> str:
    """How prompt_format = plain shows a prompt to the model: the text and a newline."""
    return prompt.strip() + "\n"


def build_tokenizer(spec: TinySpec):
    """A byte-level BPE PreTrainedTokenizerFast trained on corpus prompts and code."""
    from tokenizers import (  # deferred: heavy (tokenizers)
        Tokenizer,
        decoders,
        models,
        pre_tokenizers,
        trainers,
    )
    from transformers import PreTrainedTokenizerFast  # deferred: heavy (transformers)

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=spec.vocab_size, special_tokens=[EOS, PAD],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    texts = [plain_prompt(p) + code for p, code in corpus(spec.corpus_size, seed=spec.seed)]
    tok.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=EOS, pad_token=PAD, bos_token=None,
                                   model_max_length=spec.max_positions, padding_side="left")


def build_model(spec: TinySpec, tokenizer):
    """A freshly initialised Qwen3-style causal LM sized by `spec`."""
    import torch  # deferred: heavy (torch)
    from transformers import AutoModelForCausalLM, Qwen3Config  # deferred: heavy (transformers)

    torch.manual_seed(spec.seed)
    head_dim = spec.hidden_size // spec.heads
    config = Qwen3Config(
        vocab_size=len(tokenizer), hidden_size=spec.hidden_size, intermediate_size=spec.hidden_size * 3,
        num_hidden_layers=spec.layers, num_attention_heads=spec.heads, num_key_value_heads=max(1, spec.heads // 2),
        head_dim=head_dim, max_position_embeddings=spec.max_positions, tie_word_embeddings=True,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, bos_token_id=None,
    )
    return AutoModelForCausalLM.from_config(config, dtype=torch.float32)


def make_tiny(out: Path, spec: TinySpec | None = None) -> dict:
    """Build tokenizer + model into `out`; returns a summary (parameters, vocab, mean sample tokens)."""
    spec = spec or TinySpec()
    tokenizer = build_tokenizer(spec)
    model = build_model(spec, tokenizer)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    sample = [plain_prompt(p) + c for p, c in corpus(200, seed=spec.seed + 1)]
    lengths = [len(tokenizer(t).input_ids) for t in sample]
    return {"path": str(out), "parameters": sum(p.numel() for p in model.parameters()),
            "vocab": len(tokenizer), "mean_tokens": sum(lengths) / len(lengths), "max_tokens": max(lengths)}
