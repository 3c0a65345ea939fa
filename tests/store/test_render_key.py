"""The render cache key covers what decides a painting besides the code: harness, p5, p5.brush."""
from __future__ import annotations

import json
import shutil

import pytest

import core.hashing as hashing
from core.paths import NODE_MODULES, RESOURCES


@pytest.fixture
def fake_resources(tmp_path, monkeypatch):
    """A copy of the harness and the two package.json files the fingerprint reads."""
    harness = tmp_path / "harness"
    shutil.copytree(RESOURCES / "harness", harness)
    modules = tmp_path / "node_modules"
    for name in hashing.RENDER_PACKAGES:
        (modules / name).mkdir(parents=True)
        shutil.copy(NODE_MODULES / name / "package.json", modules / name / "package.json")
    monkeypatch.setattr(hashing, "HARNESS_DIR", harness)
    monkeypatch.setattr(hashing, "NODE_MODULES", modules)
    hashing.renderer_fingerprint.cache_clear()
    yield harness, modules
    hashing.renderer_fingerprint.cache_clear()


def _key() -> str:
    hashing.renderer_fingerprint.cache_clear()
    return hashing.render_key("brush.line(0, 0, 9, 9)", 1, 512, 512)


def test_key_changes_with_the_harness_and_each_library_version(fake_resources):
    harness, modules = fake_resources
    base = _key()
    assert _key() == base  # stable
    js = next(harness.glob("*.js"))
    js.write_text(js.read_text() + "\n// a harness change\n")
    after_harness = _key()
    assert after_harness != base
    seen = {base, after_harness}
    for name in hashing.RENDER_PACKAGES:
        meta = json.loads((modules / name / "package.json").read_text())
        meta["version"] += "-next"
        (modules / name / "package.json").write_text(json.dumps(meta))
        seen.add(_key())
    assert len(seen) == 4
    assert hashing.renderer_versions()["p5.brush"].endswith("-next")


def test_store_cache_misses_after_a_harness_change(store, fake_resources):
    harness, _ = fake_resources
    store.save_render("code()", 0, 64, 64, png=b"png bytes", ms=1.0)
    assert store.find_render("code()", 0, 64, 64) is not None
    (harness / "harness.html").write_text((harness / "harness.html").read_text() + "<!-- new -->")
    hashing.renderer_fingerprint.cache_clear()
    assert store.find_render("code()", 0, 64, 64) is None
