"""The layering contracts in .importlinter hold (core headless; panes reach core through studio.ops)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    exe = Path(sys.executable).with_name("lint-imports")
    found = str(exe) if exe.exists() else shutil.which("lint-imports")
    assert found, "lint-imports is missing: run `make setup` (import-linter is in the [test] extra)."
    return found


def test_import_contracts_are_kept():
    proc = subprocess.run([_lint_imports(), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr


def test_the_contracts_catch_a_core_module_importing_qt(tmp_path):
    """The linter really looks: a copy of core with one Qt import breaks the first contract."""
    shutil.copytree(REPO / "core", tmp_path / "core", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "studio", tmp_path / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / ".importlinter", tmp_path / ".importlinter")
    (tmp_path / "core" / "sneaky.py").write_text("from PySide6 import QtCore  # noqa\n")
    proc = subprocess.run([_lint_imports(), "--no-cache", "--contract", "core-headless"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(tmp_path),
                                                                            "PATH": "/usr/bin:/bin"})
    assert proc.returncode != 0
    assert "core.sneaky -> PySide6" in proc.stdout


def test_brushwork_cli_loads_no_studio_or_qt():
    script = ("import sys\nfrom core import cli, bench\ncli.build_parser()\n"
              "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('studio', 'PySide6', 'qasync', 'pyqtgraph'))\n"
              "print(bad)\nsys.exit(1 if bad else 0)\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
