"""Shared fixtures: every test gets its own BRUSHWORK_HOME; Qt runs offscreen."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(autouse=True)
def brushwork_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("BRUSHWORK_HOME", str(home))
    return home


@pytest.fixture
def store(brushwork_home):
    from core.store import Store

    s = Store()
    yield s
    s.close()


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots and renders a person should look at (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def renderer():
    """One started SyncRenderer (headless Chromium, warm pages) shared by the whole test session."""
    from core.render import SyncRenderer

    r = SyncRenderer(pool_size=2)
    r.start()
    yield r
    r.close()
