"""packaging/: desktop entry, metainfo and icon validate; install-desktop installs them; one version;
the bundle's entry point and file list hold. (The bundle build itself: packaging/check_bundle.sh.)"""
from __future__ import annotations

import ast
import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest

from core.paths import NODE_MODULES, p5_brush_js, p5_js
from core.version import __version__

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
APP = "org.brushwork.Brushwork"
DESKTOP, METAINFO, ICON = PACKAGING / f"{APP}.desktop", PACKAGING / f"{APP}.metainfo.xml", PACKAGING / f"{APP}.svg"


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_entry_keys():
    entry = desktop_entry(DESKTOP)
    assert entry["Type"] == "Application" and entry["Name"] == "Brushwork"
    assert entry["Exec"] == "brushwork studio" and entry["Icon"] == APP and entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Graphics" in entry["Categories"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validate():
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stdout.lower(), done.stdout


def test_metainfo_fields_and_one_version():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP
    assert root.findtext("metadata_license") == "CC0-1.0" and root.findtext("project_license") == "MIT"
    assert root.findtext("name") == "Brushwork" and root.findtext("summary")
    assert root.find("launchable").text == DESKTOP.name
    assert root.find("description/p") is not None
    assert root.find("releases/release").get("version") == __version__  # core/version.py is the one source


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_appstreamcli_validate():
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_icon_is_a_square_svg():
    root = ET.parse(ICON).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 128 128" and root.get("width") == root.get("height")


def test_install_desktop_into_a_folder(tmp_path):
    exe = tmp_path / "bin" / "brushwork"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    env = {**os.environ, "DATADIR": str(tmp_path / "share"), "BRUSHWORK_EXEC": str(exe)}
    done = subprocess.run(["bash", str(PACKAGING / "install_desktop.sh")], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    share = tmp_path / "share"
    installed = share / "applications" / DESKTOP.name
    entry = desktop_entry(installed)
    assert entry["Exec"] == f"{exe} studio" and entry["TryExec"] == str(exe)  # absolute: menus have no venv
    assert (share / "icons/hicolor/scalable/apps" / ICON.name).read_bytes() == ICON.read_bytes()
    assert (share / "metainfo" / METAINFO.name).exists()
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(installed)]).returncode == 0
    env["BRUSHWORK_EXEC"] = str(tmp_path / "with space" / "brushwork")
    refused = subprocess.run(["bash", str(PACKAGING / "install_desktop.sh")], capture_output=True, text=True, env=env)
    assert refused.returncode == 1 and "spaces or quotes" in refused.stderr


def test_version_has_one_source():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "core.version.__version__"}
    assert installed_version("brushwork") == __version__


def test_bundle_entry_answers_dash_m_like_python():
    entry = PACKAGING / "bundle_main.py"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    as_cli = subprocess.run([sys.executable, str(entry), "--version"], capture_output=True, text=True, env=env, cwd=REPO)
    as_module = subprocess.run([sys.executable, str(entry), "-m", "core.cli", "--version"], capture_output=True,
                               text=True, env=env, cwd=REPO)
    assert as_cli.stdout.strip() == as_module.stdout.strip() == f"brushwork {__version__}"


def test_bundle_spec_ships_every_asset_the_renderer_and_checker_load():
    tree = ast.parse((PACKAGING / "brushwork.spec").read_text())
    node_files = next(ast.literal_eval(n.value) for n in ast.walk(tree)
                      if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "NODE_FILES")
    for rel in node_files:
        assert (NODE_MODULES / rel).is_file(), rel
    for needed in (p5_js(), p5_brush_js(), NODE_MODULES / "acorn" / "dist" / "acorn.js"):
        assert str(needed.relative_to(NODE_MODULES)) in node_files
    for js in (REPO / "core" / "sketch").glob("*.js"):
        assert js.name in {"syntax_server.js", "brush_refs.js", "js_scope.js", "blind_spots.js"}  # the spec ships core/sketch/*.js
