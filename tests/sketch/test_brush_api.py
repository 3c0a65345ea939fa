"""The p5.brush API is read from the installed package, cached per version, never hand-typed."""
from __future__ import annotations

import json
import shutil

from core.paths import NODE_MODULES
from core.sketch import brush_api, brush_api_kinds, brush_version
from core.sketch.api import _cached_kinds, _kinds_from_source


def test_known_names_are_in_and_1x_names_are_not():
    api = brush_api()
    for name in ["set", "fill", "line", "circle", "hatch", "scaleBrushes", "fillBleed", "polygon", "rect",
                 "noStroke", "Polygon", "Plot", "Position"]:
        assert name in api, name
    for name in ["bleed", "watercolor", "createCanvas", "render", "angleMode", "default"]:
        assert name not in api, name  # bleed is 1.x; the rest belong to the standalone build or nowhere


def test_classes_are_marked_and_version_matches_package_json():
    kinds = brush_api_kinds()
    assert kinds["Polygon"] == "class" and kinds["set"] == "function"
    pkg = json.loads((NODE_MODULES / "p5.brush" / "package.json").read_text())
    assert brush_version() == pkg["version"]


def test_cached_as_json_in_the_data_home(brushwork_home):
    _cached_kinds.cache_clear()
    brush_api()
    (cache,) = (brushwork_home / "cache").glob("p5.brush-api-*.json")
    assert brush_version() in cache.name
    assert json.loads(cache.read_text())["fillBleed"] == "function"


def test_source_fallback_agrees_with_the_bundle():
    assert set(_kinds_from_source(NODE_MODULES / "p5.brush" / "src" / "index.shared.js")) == brush_api()


def test_another_version_is_read_from_its_own_files(tmp_path, monkeypatch):
    """A different package (here: a copy whose bundle lost `hatch`) gives a different API, not the cache."""
    pkg = tmp_path / "p5.brush"
    shutil.copytree(NODE_MODULES / "p5.brush", pkg, ignore=shutil.ignore_patterns("*.map", "src"))
    meta = json.loads((pkg / "package.json").read_text())
    meta["version"] = "9.9.9"
    (pkg / "package.json").write_text(json.dumps(meta))
    bundle = pkg / "dist" / "p5.brush.js"
    bundle.write_text(bundle.read_text().replace("t.hatch=", "t.hatch_gone="))
    assert brush_version(pkg) == "9.9.9"
    api = brush_api(pkg)
    assert "hatch" not in api and "hatch_gone" in api and "set" in api


def test_check_without_the_package_notes_it_and_does_not_crash(tmp_path, monkeypatch):
    import importlib

    from core.sketch import brush_api as real_brush_api

    check_module = importlib.import_module("core.sketch.check")  # the package exports a function of that name

    monkeypatch.setattr(check_module, "brush_api", lambda: real_brush_api(tmp_path / "absent"))
    report = check_module.check("brush.bleed(1); brush.hatch(1, 2);", syntax=False)
    assert report.unknown_apis == [] and [c.name for c in report.allowlist_violations] == ["bleed", "hatch"]
    assert any("p5.brush API unknown" in n for n in report.notes)
