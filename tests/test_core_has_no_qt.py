"""core/ must work without a screen: importing every core module loads no Qt (napari's contract)."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import core

QT_PREFIXES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qasync", "pyqtgraph", "studio")


def test_every_core_module_imports_without_qt():
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
    assert len(names) > 5, names
    # A fresh interpreter: this test process may already hold Qt from the GUI tests.
    script = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {QT_PREFIXES!r})\n"
        "print('\\n'.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"core pulled in Qt modules:\n{proc.stdout}\n{proc.stderr}"
