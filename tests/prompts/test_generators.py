"""Generators over real HTTP on loopback: OpenAI-compatible and Gemini, token and cost accounting."""
from __future__ import annotations

import dataclasses

import pytest

from core.prompts import CostMeter, GeneratorError, generate_many, make_generator
from core.prompts.config import GeneratorConfig
from core.prompts.generators import default_tiny_model


def test_openai_generator_answers_and_counts_cost(fake_server, fake_generator_config):
    gen = make_generator(fake_generator_config)
    meter = CostMeter()
    out = generate_many(gen, "Use only these brush methods: brush.set", ["draw a red rose", "draw a blue iris"],
                        meter=meter)
    assert [c.error for c in out] == [None, None]
    assert all("brush.set" in c.text for c in out)
    assert meter.calls == 2 and meter.tokens_in > 0 and meter.tokens_out > 0
    expected = (meter.tokens_in * 2.0 + meter.tokens_out * 8.0) / 1e6
    assert meter.cost_usd == pytest.approx(expected)
    sent = [body for path, body in fake_server.requests]
    assert sent[0]["messages"][0] == {"role": "system", "content": "Use only these brush methods: brush.set"}


def test_openai_generator_failure_is_data_not_a_crash(fake_generator_config):
    cfg = dataclasses.replace(fake_generator_config, base_url="http://127.0.0.1:9/v1", timeout=2)
    c = make_generator(cfg).generate("sys", "draw")
    assert c.text == "" and c.error


def test_gemini_generator_against_loopback(fake_server):
    cfg = GeneratorConfig(kind="gemini", model="fake", base_url=fake_server.base_url.removesuffix("/v1"),
                          api_key_env=None, price_in_per_mtok=1.0)
    c = make_generator(cfg).generate("Use only these brush methods", "draw a red rose")
    assert c.error is None and "brush.circle" in c.text
    assert c.tokens_in and c.tokens_out and c.cost_usd > 0
    path, body = fake_server.requests[-1]
    assert path.endswith("fake:generateContent") and "Use only" in str(body["systemInstruction"])


def test_unknown_kind_and_missing_local_model(tmp_path):
    with pytest.raises(GeneratorError, match="unknown generator kind"):
        make_generator(GeneratorConfig(kind="nope"))
    with pytest.raises(GeneratorError, match="save_pretrained"):
        make_generator(GeneratorConfig(kind="local", model_path=str(tmp_path)))


@pytest.mark.slow
def test_local_tiny_model_when_present():
    path = default_tiny_model()
    if not (path / "config.json").is_file():
        pytest.skip(f"no tiny model at {path} (the training room builds it)")
    gen = make_generator(GeneratorConfig(kind="local", model_path=str(path), max_tokens=16, temperature=0))
    c = gen.generate("Paint.", "draw a red rose", seed=0)
    assert c.error is None and c.tokens_out is not None
