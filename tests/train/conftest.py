"""Fixtures of the tests that start real training processes (tests/train/test_run.py, test_resume_exact.py)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A one-layer model and tokenizer built locally (no hub), once per test module."""
    from core.train.tiny import TinySpec, make_tiny  # torch: only the modules that train pay for importing it
    out = tmp_path_factory.mktemp("tiny") / "model"
    make_tiny(out, TinySpec(vocab_size=320, hidden_size=32, layers=1, heads=2, corpus_size=200))
    return out


@pytest.fixture
def procs():
    """Training processes a test started; any still running when it ends (a failure) are killed."""
    started: list[subprocess.Popen] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
            p.wait()
