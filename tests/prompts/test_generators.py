"""Generators over real HTTP on loopback: OpenAI-compatible and Gemini, token and cost accounting."""
from __future__ import annotations

import dataclasses
import sys
import types

import pytest

from core.prompts import CostMeter, GeneratorError, generate_many, make_generator
from core.prompts.config import GeneratorConfig


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


@pytest.mark.slow  # builds a tiny model (tokenizer + one-layer LM) and loads transformers
def test_local_generator_samples_a_tiny_model(tmp_path):
    from core.train.tiny import TinySpec, make_tiny

    make_tiny(tmp_path / "tiny", TinySpec(vocab_size=320, hidden_size=32, layers=1, heads=2, corpus_size=200))
    gen = make_generator(GeneratorConfig(kind="local", model_path=str(tmp_path / "tiny"), max_tokens=16,
                                         temperature=1.0))
    first, again = gen.generate("Paint.", "draw a red rose", seed=3), gen.generate("Paint.", "draw a red rose", seed=3)
    assert first.error is None and first.tokens_in > 0 and 0 < first.tokens_out <= 16
    assert first.text == again.text  # the seed fixes the sample
    assert gen.name == "local:tiny" and first.cost_usd == 0.0


class _Keyring(types.ModuleType):
    """The `keyring` package's one call we use, over a dict: the OS keyring of a desktop, in memory."""

    def __init__(self, secrets: dict[tuple[str, str], str]):
        super().__init__("keyring")
        self.secrets, self.asked = secrets, []

    def get_password(self, service: str, user: str) -> str | None:
        self.asked.append((service, user))
        return self.secrets.get((service, user))


@pytest.mark.parametrize("kind", ["openai", "gemini"])
def test_a_key_in_the_keyring_reaches_the_endpoint_as_the_judges_find_theirs(fake_server, monkeypatch, kind):
    """README: keys come from the environment or the OS keyring (service brushwork) for the prompt lab too."""
    ring = _Keyring({("brushwork", kind): "sk-from-keyring"})
    monkeypatch.setitem(sys.modules, "keyring", ring)
    monkeypatch.delenv("LAB_KEY", raising=False)
    base = fake_server.base_url if kind == "openai" else fake_server.base_url.removesuffix("/v1")
    gen = make_generator(GeneratorConfig(kind=kind, model="fake", base_url=base, api_key_env="LAB_KEY", max_retries=0))
    assert gen.generate("Use only these brush methods", "draw a red rose").error is None
    assert ring.asked == [("brushwork", kind)]
    assert fake_server.keys[-1] in ("Bearer sk-from-keyring", "sk-from-keyring")
    monkeypatch.setenv("LAB_KEY", "sk-from-env")  # the variable comes first, as for the judges
    make_generator(GeneratorConfig(kind=kind, model="fake", base_url=base, api_key_env="LAB_KEY",
                                   max_retries=0)).generate("sys", "draw a red rose")
    assert fake_server.keys[-1] in ("Bearer sk-from-env", "sk-from-env")


def test_no_key_variable_means_no_key_even_with_one_in_the_keyring(fake_server, monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", _Keyring({("brushwork", "openai"): "sk-from-keyring"}))
    gen = make_generator(GeneratorConfig(kind="openai", model="fake", base_url=fake_server.base_url,
                                         api_key_env="", max_retries=0))
    assert gen.generate("sys", "draw a red rose").error is None
    assert "sk-from-keyring" not in fake_server.keys[-1]
