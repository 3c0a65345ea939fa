"""Reward test fixtures: a loopback judge server (OpenAI + Gemini over real HTTP on 127.0.0.1)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.judge_server import LoopbackJudgeServer  # noqa: E402


@pytest.fixture
def judge_server():
    with LoopbackJudgeServer() as server:
        yield server
