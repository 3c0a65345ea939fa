"""The contracts in .importlinter hold: core headless, core and studio in layers, SQLite only in core.store, the
GUI reaches core through studio.ops; and each contract really catches a breach."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    exe = Path(sys.executable).with_name("lint-imports")
    found = str(exe) if exe.exists() else shutil.which("lint-imports")
    assert found, "lint-imports is missing: run `make setup` (import-linter is in the [test] extra)."
    return found


def test_import_contracts_are_kept():
    proc = subprocess.run([_lint_imports(), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr


def _copy_tree(dest: Path) -> None:
    for pkg in ("core", "studio"):
        shutil.copytree(REPO / pkg, dest / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / ".importlinter", dest / ".importlinter")


# (contract, file written into a copy of the tree, its text, the line lint-imports must report)
BREACHES = [
    ("core-headless", "core/sneaky.py", "from PySide6 import QtCore  # noqa\n", "core.sneaky -> PySide6"),
    ("core-layers", "core/sketch/sneaky.py", "import core.train.runner  # noqa\n",
     "core.sketch.sneaky -> core.train.runner"),
    ("core-layers", "core/render/sneaky.py", "import core.reward.rubric  # noqa\n",
     "core.render.sneaky -> core.reward.rubric"),
    ("studio-layers", "studio/ops/sneaky.py", "import studio.panes.editor  # noqa\n",
     "studio.ops.sneaky -> studio.panes.editor"),
    ("studio-layers", "studio/widgets/sneaky.py", "import studio.ops.sketches  # noqa\n",
     "studio.widgets.sneaky -> studio.ops.sketches"),
    ("sqlite-in-store", "core/pool/sneaky.py", "import sqlite3  # noqa\n", "core.pool.sneaky -> sqlite3"),
    ("sqlite-in-store", "studio/ops/sneaky.py", "import sqlite_utils  # noqa\n", "studio.ops.sneaky -> sqlite_utils"),
    ("panes-through-ops", "studio/panes/sneaky.py", "from core.reward import rubric  # noqa\n",
     "studio.panes.sneaky -> core.reward"),
]


@pytest.mark.parametrize("contract,path,text,expected", BREACHES, ids=[f"{b[0]}:{b[1]}" for b in BREACHES])
def test_the_contracts_catch_a_breach(tmp_path, contract, path, text, expected):
    """The linter really looks: a copy of the tree with one forbidden import breaks that contract."""
    _copy_tree(tmp_path)
    (tmp_path / path).write_text(text)
    proc = subprocess.run([_lint_imports(), "--no-cache", "--contract", contract], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(tmp_path),
                                                                            "PATH": "/usr/bin:/bin"})
    assert proc.returncode != 0, proc.stdout
    assert expected in proc.stdout, proc.stdout


def test_a_new_module_must_take_its_place_in_the_layers(tmp_path):
    """The layers contracts are exhaustive: a top-level module nobody placed is an error, not a free pass."""
    _copy_tree(tmp_path)
    (tmp_path / "core" / "stray.py").write_text('"""A module in no layer."""\n')
    proc = subprocess.run([_lint_imports(), "--no-cache", "--contract", "core-layers"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(tmp_path),
                                                                            "PATH": "/usr/bin:/bin"})
    assert proc.returncode != 0
    assert "core.stray" in proc.stdout + proc.stderr


# What the GUI may take from core at run time: types, errors and fixed vocabularies (import-linter sees
# modules, not names; this pins the names). Store, RatingPool and Rubric are only annotations there.
GUI_RUNTIME_NAMES = {"StoreError", "SOURCES", "ALL_GROUPS", "Lineage", "KEYWORDS", "LITERALS", "PLAIN", "line_spans"}


def _runtime_core_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
                   for n in ast.walk(node)}
    names = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "core":
            names |= {f"{node.module}.{a.name}" if a.name == "*" else a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.split(".")[0] == "core"}
    return names


def test_the_gui_takes_only_types_errors_and_vocabularies_from_core():
    files = [REPO / "studio" / "main_window.py", *sorted((REPO / "studio" / "panes").glob("*.py")),
             *sorted((REPO / "studio" / "widgets").glob("*.py"))]
    extra = {str(f.relative_to(REPO)): sorted(_runtime_core_names(f) - GUI_RUNTIME_NAMES) for f in files}
    assert not {k: v for k, v in extra.items() if v}, "call core through studio.ops (or import the type under TYPE_CHECKING)"


def test_brushwork_cli_loads_no_studio_or_qt():
    script = ("import sys\nfrom core import cli, bench\ncli.build_parser()\n"
              "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('studio', 'PySide6', 'qasync', 'pyqtgraph'))\n"
              "print(bad)\nsys.exit(1 if bad else 0)\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b")


def sql_outside_the_store(root: Path) -> list[str]:
    """Lines of core/ and studio/ Python outside core/store that spell an SQL statement's verb (upper case)."""
    found = []
    for path in sorted([*(root / "core").rglob("*.py"), *(root / "studio").rglob("*.py")]):
        if (root / "core" / "store") in path.parents:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line):
                found.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    return found


def test_sql_lives_only_in_the_store(tmp_path):
    assert sql_outside_the_store(REPO) == []
    # and the check sees a statement written anywhere else
    (tmp_path / "core" / "store").mkdir(parents=True)
    (tmp_path / "studio" / "ops").mkdir(parents=True)
    (tmp_path / "core" / "store" / "fine.py").write_text('Q = "SELECT 1"\n')
    (tmp_path / "studio" / "ops" / "sneaky.py").write_text('Q = "DELETE FROM sketches"\n')
    assert sql_outside_the_store(tmp_path) == ['studio/ops/sneaky.py:1: Q = "DELETE FROM sketches"']
