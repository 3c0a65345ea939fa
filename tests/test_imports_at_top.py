"""Imports sit at the top of a module (house rule). One inside a function says why on its own line, in one form:

    import torch  # deferred: heavy (torch)
    from core.reward.learned.model import RewardModel  # deferred: heavy (scipy)
    from hpsv3 import HPSv3RewardInferencer  # deferred: optional extra ([hpsv3])
    from core.b import f  # deferred: cycle (core.a <-> core.b)

and the reason is checked, so that the comment is no free pass: a heavy module is one of HEAVY, the import really
reaches it (itself, or through the named module's own top-level imports), and the module that defers it does not
load it at import anyway; an extra is one of pyproject's optional dependencies and provides the imported package;
a cycle is real (the other module imports this one at its top, directly or through others). The imports are read
with `ast`, nothing is imported: `if TYPE_CHECKING:` blocks are annotations and are left alone.
"""
from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "studio")

# Deferring these keeps `brushwork --help`, a CLI verb and the studio's start from paying for them (seconds for
# torch; sqlite_utils costs 150 ms with the numpy, click and dateutil it loads, twice a `brushwork train --help`).
HEAVY = frozenset({
    "torch", "transformers", "trl", "peft", "accelerate", "datasets", "pyarrow", "tokenizers", "huggingface_hub",
    "gepa", "openai", "google.genai", "hpsv3", "vllm", "scipy", "sklearn", "playwright", "keyring", "sqlite_utils",
})
# What a heavy package loads at its own `import` (measured with the pinned versions: transformers and trl load
# lazily, peft does not): a module that imports peft at its top already holds torch, so deferring torch there
# would gain nothing.
IMPLIES = {
    "transformers": {"huggingface_hub"},
    "peft": {"torch", "transformers", "tokenizers", "huggingface_hub", "accelerate", "scipy"},
    "accelerate": {"torch"},
    "datasets": {"pyarrow", "huggingface_hub"},
}
COMMENT = re.compile(r"#\s*deferred:\s*(?P<kind>heavy|optional extra|cycle)\s*\((?P<what>[^)]*)\)")


@dataclass(frozen=True)
class Imported:
    """One import statement: the modules it loads (packages first), the line it starts on."""
    modules: tuple[str, ...]
    line: int


def heavy_name(module: str) -> str | None:
    """The HEAVY entry `module` belongs to (`google.genai.types` -> `google.genai`), or None."""
    return next((h for h in HEAVY if module == h or module.startswith(h + ".")), None)


class Tree:
    """The modules of core/ and studio/ under `root`, each with its top-level and its function-level imports."""

    def __init__(self, root: Path, sources: dict[str, str] | None = None) -> None:
        self.root = root
        self.files: dict[str, Path] = {}
        self.sources: dict[str, str] = dict(sources or {})
        if sources is None:
            for pkg in PACKAGES:
                for path in sorted((root / pkg).rglob("*.py")):
                    name = module_name(path.relative_to(root))
                    self.files[name] = path
                    self.sources[name] = path.read_text(encoding="utf-8")
        self.top: dict[str, list[Imported]] = {}
        self.deferred: dict[str, list[Imported]] = {}
        for name, text in self.sources.items():
            self.top[name], self.deferred[name] = self._imports(name, ast.parse(text))

    def where(self, module: str, line: int) -> str:
        path = self.files.get(module)
        return f"{path.relative_to(self.root) if path else module}:{line}"

    def _imports(self, module: str, tree: ast.Module) -> tuple[list[Imported], list[Imported]]:
        top: list[Imported] = []
        deferred: list[Imported] = []

        def visit(node: ast.AST, in_function: bool) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and _is_type_checking(child.test):
                    for sub in child.orelse:  # the `else:` of TYPE_CHECKING runs
                        visit_one(sub, in_function)
                    continue
                visit_one(child, in_function)

        def visit_one(child: ast.AST, in_function: bool) -> None:
            if isinstance(child, ast.Import | ast.ImportFrom):
                (deferred if in_function else top).append(Imported(self._targets(module, child), child.lineno))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

        visit(tree, False)
        return top, deferred

    def _targets(self, module: str, node: ast.Import | ast.ImportFrom) -> tuple[str, ...]:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:
                package = module.split(".")
                is_package = self.files.get(module, Path("__init__.py")).name == "__init__.py"
                package = package[: len(package) - node.level + (1 if is_package else 0)]
                base = ".".join(package + ([base] if base else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names
                              if f"{base}.{a.name}" in self.sources or heavy_name(f"{base}.{a.name}")]
        out: list[str] = []
        for name in names:  # `import a.b.c` runs a, then a.b, then a.b.c
            parts = name.split(".")
            out.extend(".".join(parts[: i + 1]) for i in range(len(parts)) if ".".join(parts[: i + 1]) not in out)
        return tuple(out)

    def loads(self, modules: Iterable[str]) -> set[str]:
        """Every module importing `modules` loads: ours followed through their top-level imports, others as named."""
        seen: set[str] = set()
        todo = list(modules)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.top:
                todo.extend(m for imp in self.top[name] for m in imp.modules)
                if "." in name:
                    todo.append(name.rsplit(".", 1)[0])
        heavy = {h for h in map(heavy_name, seen) if h}
        return seen | {implied for h in heavy for implied in IMPLIES.get(h, ())}


def module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _extras(pyproject: Path) -> dict[str, set[str]]:
    """Each optional extra of pyproject.toml -> the import names its requirements provide (dashes as underscores)."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    extras = data.get("project", {}).get("optional-dependencies", {})
    return {name: {re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0].lower().replace("-", "_") for req in reqs}
            for name, reqs in extras.items()}


def problems(tree: Tree, extras: dict[str, set[str]]) -> list[str]:
    """`file:line: why` for every function-level import without a true `# deferred:` reason."""
    out = []
    for module, imports in tree.deferred.items():
        lines = tree.sources[module].splitlines()
        for imp in imports:
            where = tree.where(module, imp.line)
            found = COMMENT.search(lines[imp.line - 1])
            if found is None:
                out.append(f"{where}: an import inside a function: move it to the top of the module, or end its "
                           "line with `# deferred: heavy (X)` / `optional extra ([name])` / `cycle (a <-> b)`")
                continue
            kind, what = found["kind"], [w.strip() for w in found["what"].split(",") if w.strip()]
            why = {"heavy": _heavy_problem, "optional extra": _extra_problem, "cycle": _cycle_problem}[kind](
                tree, module, imp, what, extras)
            if why:
                out.append(f"{where}: {why}")
    return sorted(out)


def _heavy_problem(tree: Tree, module: str, imp: Imported, names: list[str], _extras: dict) -> str | None:
    if not names:
        return "`deferred: heavy ()` names no module"
    reached, already = tree.loads(imp.modules), tree.loads([module])
    for name in names:
        if name not in HEAVY:
            return f"`deferred: heavy ({name})`: {name} is not a heavy module (HEAVY in {Path(__file__).name})"
        if not any(heavy_name(m) == name for m in reached) and name not in reached:
            return f"`deferred: heavy ({name})`: this import does not load {name}"
        if any(heavy_name(m) == name for m in already) or name in already:
            return f"`deferred: heavy ({name})`: {module} loads {name} at its top anyway: import at the top"
    return None


def _extra_problem(tree: Tree, module: str, imp: Imported, names: list[str], extras: dict) -> str | None:
    for name in names:
        extra = name.strip("[]")
        if extra not in extras:
            return f"`deferred: optional extra ({name})`: pyproject.toml has no such extra ({', '.join(extras)})"
        if not any(m.split(".")[0] in extras[extra] for m in imp.modules):
            return f"`deferred: optional extra ({name})`: that extra does not provide {imp.modules[-1]}"
    return None if names else "`deferred: optional extra ()` names no extra"


def _cycle_problem(tree: Tree, module: str, imp: Imported, names: list[str], _extras: dict) -> str | None:
    found = re.fullmatch(r"\s*([\w.]+)\s*<->\s*([\w.]+)\s*", ",".join(names))
    if not found or module not in found.groups():
        return f"`deferred: cycle (...)` must read `cycle ({module} <-> other.module)`"
    other = found[2] if found[1] == module else found[1]
    if other not in imp.modules:
        return f"`deferred: cycle`: this import does not load {other}"
    if module not in tree.loads([other]):
        return f"`deferred: cycle`: {other} does not import {module} at its top: no cycle, import at the top"
    return None


def test_function_level_imports_say_why():
    found = problems(Tree(REPO), _extras(REPO / "pyproject.toml"))
    assert not found, "\n" + "\n".join(found)


# -- the check itself catches each breach (planted in small sources, the real tree's rules) -----------------------
EXTRAS = {"hpsv3": {"hpsv3"}, "gpu": {"vllm", "deepspeed"}}
PLANTED = {
    "core.light": "import json\n",
    "core.heavyweight": "import scipy.stats\n",
    "core.uses_torch": "import torch\n",
    "core.a": "from core.b import g\n\ndef f():\n    return g\n",
    "core.b": "def g():\n    from core.a import f  # deferred: cycle (core.b <-> core.a)\n    return f\n",
}


@pytest.mark.parametrize("source, expected", [
    ("def f():\n    import json\n", "an import inside a function"),
    ("def f():\n    import json  # imported here: it is slow\n", "an import inside a function"),
    ("def f():\n    import json  # deferred: heavy (json)\n", "json is not a heavy module"),
    ("def f():\n    import json  # deferred: heavy (torch)\n", "this import does not load torch"),
    ("def f():\n    from core.light import x  # deferred: heavy (scipy)\n", "this import does not load scipy"),
    ("import torch\n\ndef f():\n    import torch.nn  # deferred: heavy (torch)\n", "loads torch at its top anyway"),
    ("from core.uses_torch import f\n\ndef g():\n    import torch  # deferred: heavy (torch)\n",
     "loads torch at its top anyway"),
    ("import peft\n\ndef g():\n    import torch  # deferred: heavy (torch)\n", "loads torch at its top anyway"),
    ("class C:\n    def m(self):\n        import os\n", "an import inside a function"),
    ("def f():\n    from hpsv3 import X  # deferred: optional extra ([hpsv3x])\n", "no such extra"),
    ("def f():\n    import scipy  # deferred: optional extra ([gpu])\n", "does not provide scipy"),
    ("def f():\n    from core.light import x  # deferred: cycle (core.planted <-> core.light)\n",
     "does not import core.planted at its top"),
    ("def f():\n    from core.light import x  # deferred: cycle (core.a <-> core.light)\n", "must read"),
])
def test_a_planted_breach_is_named_with_its_line(source, expected):
    tree = Tree(REPO, {**PLANTED, "core.planted": source})
    found = [p for p in problems(tree, EXTRAS) if p.startswith("core.planted:")]
    assert len(found) == 1 and expected in found[0], found
    line = int(found[0].split(":")[1])
    assert "import" in source.splitlines()[line - 1]


@pytest.mark.parametrize("source", [
    "import json\n\ndef f():\n    return json\n",
    "def f():\n    from core.heavyweight import x  # deferred: heavy (scipy)\n",
    "def f():\n    from transformers import X  # deferred: heavy (transformers)\n",
    "def f():\n    from google.genai import types  # deferred: heavy (google.genai)\n",
    "def f():\n    from hpsv3 import X  # deferred: optional extra ([hpsv3])\n",
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import torch\n",
])
def test_a_reasoned_deferral_passes(source):
    tree = Tree(REPO, {**PLANTED, "core.planted": source})
    assert [p for p in problems(tree, EXTRAS) if p.startswith("core.planted:")] == []


def test_the_planted_tree_is_clean_apart_from_the_plant():
    """The fixtures' own deferrals (a real cycle, a real heavy import) pass: the breaches above are the plants'."""
    assert problems(Tree(REPO, PLANTED), EXTRAS) == []


def test_a_planted_breach_in_a_copy_of_the_real_tree_fails(tmp_path):
    """The check on files: a copy of core/ and studio/ passes, and one new bare import inside a function fails."""
    for pkg in PACKAGES:
        for path in (REPO / pkg).rglob("*.py"):
            dest = tmp_path / path.relative_to(REPO)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    extras = _extras(REPO / "pyproject.toml")
    assert problems(Tree(tmp_path), extras) == []
    target = tmp_path / "core" / "doctor.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n\ndef planted():\n    import os\n    return os\n",
                      encoding="utf-8")
    line = len(target.read_text(encoding="utf-8").splitlines()) - 1
    assert problems(Tree(tmp_path), extras) == [
        f"core/doctor.py:{line}: an import inside a function: move it to the top of the module, or end its line with "
        "`# deferred: heavy (X)` / `optional extra ([name])` / `cycle (a <-> b)`"]
