"""Fixtures for the prompt lab: the loopback OpenAI/Gemini server answering with sketches of known quality."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_openai import FakeOpenAIServer  # noqa: E402


@pytest.fixture
def fake_server():
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def fake_generator_config(fake_server):
    from core.prompts.config import GeneratorConfig

    return GeneratorConfig(kind="openai", model="fake", base_url=fake_server.base_url, api_key_env=None,
                           max_retries=0, concurrency=2, price_in_per_mtok=2.0, price_out_per_mtok=8.0)
