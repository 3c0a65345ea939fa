"""Shared fixtures: every test gets its own BRUSHWORK_HOME; Qt runs offscreen."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from solo_tests import SOLO
from subject_helpers import (  # noqa: F401 (the subject recogniser: a session's trained one, a tiny one)
    recogniser,
    tiny_recogniser,
    trained_recogniser_home,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


# A test that uses one of these fixtures needs Chromium / Qt, whether or not it says so: the fast
# inner loop `pytest -m "not browser and not gui"` must never start either.
BROWSER_FIXTURES = {"renderer"}  # the session recogniser is fitted on shipped renders (subject_helpers.py)
GUI_FIXTURES = {"qtbot", "qapp"}
STUDIO_TESTS = Path(__file__).resolve().parent / "studio"

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add `browser` / `gui` to tests that use a browser or Qt fixture, `gui` to tests/studio/, `solo` per SOLO."""
    for item in items:
        where = Path(str(item.path)).relative_to(ROOT).as_posix()
        if where in SOLO or f"{where}::{item.originalname}" in SOLO:
            item.add_marker(pytest.mark.solo)
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & GUI_FIXTURES or STUDIO_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.gui)


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

    with SyncRenderer(pool_size=2) as r:
        yield r
