"""API keys go only over https:// or to loopback; a plain-HTTP host elsewhere needs BRUSHWORK_ALLOW_PLAIN_HTTP_KEYS.

Judges and the prompt lab's clients are built against `.invalid` hosts (RFC 2606: never resolves) and never
sent anything there; the keys that may travel are checked on the wire, on the loopback judge server.
"""
from __future__ import annotations

import asyncio
import logging

import pytest

from core import doctor
from core.prompts.config import GeneratorConfig
from core.prompts.generators import OpenAIGenerator
from core.reward import JudgeSettings
from core.reward.judges import build_judges
from core.reward.judges.keys import ALLOW_PLAIN_HTTP_ENV, key_refusal

KEY = "sk-transport-test-" + "K" * 12
FAR = "http://judge.invalid:8000/v1"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for var in ("OPENAI_BASE_URL", "BRUSHWORK_JUDGE_BASE_URL", "GEMINI_BASE_URL", "BRUSHWORK_GEMINI_BASE_URL",
                "GOOGLE_GEMINI_BASE_URL", ALLOW_PLAIN_HTTP_ENV):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("GEMINI_API_KEY", KEY)


@pytest.mark.parametrize("url", [None, "", "https://api.openai.com/v1", "HTTPS://example.com", "http://127.0.0.1:8000/v1",
                                 "http://127.9.9.9/", "http://localhost:11434/v1", "http://[::1]:8000/v1",
                                 "http://vllm.localhost/v1"])
def test_tls_and_loopback_may_carry_a_key(url):
    assert key_refusal(url) is None


@pytest.mark.parametrize("url", [FAR, "http://10.0.0.5:8000/v1", "http://127.0.0.1.example.com/v1",
                                 "http://localhost.example.com/", "http://127.0.0.1@example.com/v1",
                                 "ftp://example.com/", "ws://127.0.0.2.example.com/"])
def test_anything_else_may_not(url):
    assert "not sent" in key_refusal(url)


def test_the_sdk_default_url_variable_counts(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", FAR)  # the OpenAI SDK sends there when given no base_url
    assert "judge.invalid" in key_refusal(None)
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", FAR)
    assert "judge.invalid" in key_refusal(None, "gemini")


def test_an_explicit_host_allows_plain_http_and_nothing_wider(monkeypatch):
    monkeypatch.setenv(ALLOW_PLAIN_HTTP_ENV, "judge.invalid:8000, other.invalid")
    assert key_refusal(FAR) is None and key_refusal("http://other.invalid/v1") is None
    assert key_refusal("http://judge.invalid:9000/v1")      # another port of the host named with a port
    assert key_refusal("ftp://other.invalid/")             # plain HTTP only, never another scheme


def test_an_openai_judge_keeps_its_key_from_a_far_plain_http_server(caplog):
    with caplog.at_level(logging.WARNING):
        judges = build_judges({"far": JudgeSettings(name="far", backend="openai", model="m", base_url=FAR),
                               "near": JudgeSettings(name="near", backend="openai", model="m",
                                                     base_url="http://127.0.0.1:9/v1")})
    assert judges["far"]._key is None and judges["far"].unavailable is None  # asked without the key
    assert judges["near"]._key == KEY
    assert [r.getMessage() for r in caplog.records if "judge far" in r.getMessage()] == [
        f"judge far: {key_refusal(FAR)}"]
    assert KEY not in caplog.text


def test_a_gemini_judge_without_its_key_is_off_and_says_why():
    judge = build_judges({"g": JudgeSettings(name="g", backend="gemini", model="m", base_url=FAR)})["g"]
    assert "judge.invalid" in judge.unavailable and ALLOW_PLAIN_HTTP_ENV in judge.unavailable


def test_a_judge_sends_its_key_to_loopback_on_the_wire(judge_server):
    from reward_helpers import painting

    judge = build_judges({"j": JudgeSettings(name="j", backend="openai", model="m", base_url=judge_server.openai_url,
                                             backoff_s=0.01)})["j"]

    async def go():
        try:
            return await judge.judge_order(painting(size=64, seed=1), painting(size=32, seed=2), "a boat")
        finally:
            await judge.aclose()

    asyncio.run(go())
    assert judge_server.requests and all(r["headers"]["authorization"] == f"Bearer {KEY}"
                                         for r in judge_server.requests)


def test_the_prompt_lab_client_follows_the_same_rule(judge_server, monkeypatch):
    far = OpenAIGenerator(GeneratorConfig(kind="openai", model="m", base_url=FAR, api_key_env="OPENAI_API_KEY"))
    assert far.client.api_key != KEY
    monkeypatch.setenv("OPENAI_BASE_URL", FAR)
    assert OpenAIGenerator(GeneratorConfig(kind="openai", model="m", api_key_env="OPENAI_API_KEY")).client.api_key != KEY
    monkeypatch.setenv(ALLOW_PLAIN_HTTP_ENV, "judge.invalid")
    assert OpenAIGenerator(GeneratorConfig(kind="openai", model="m", api_key_env="OPENAI_API_KEY")).client.api_key == KEY
    near = OpenAIGenerator(GeneratorConfig(kind="openai", model="m", base_url=judge_server.openai_url,
                                           api_key_env="OPENAI_API_KEY", max_retries=0))
    near.generate("system", "draw a boat", seed=1)
    assert judge_server.requests[-1]["headers"]["authorization"] == f"Bearer {KEY}"


def test_doctor_says_where_keys_go(monkeypatch):
    ok = doctor.check_key_transport()
    assert ok.ok and "https://" in ok.summary
    monkeypatch.setenv("BRUSHWORK_JUDGE_BASE_URL", FAR)
    withheld = doctor.check_key_transport()
    assert not withheld.ok and "BRUSHWORK_JUDGE_BASE_URL" in withheld.summary and ALLOW_PLAIN_HTTP_ENV in withheld.fix
    monkeypatch.setenv(ALLOW_PLAIN_HTTP_ENV, "judge.invalid")
    allowed = doctor.check_key_transport()
    assert not allowed.ok and "over plain HTTP to judge.invalid" in allowed.summary
    assert KEY not in str(doctor.check_key_transport().to_dict())
