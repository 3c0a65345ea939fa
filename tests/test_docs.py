"""The README and docs/*.md stay true: the README opens with the two commands, every subcommand is listed, and
every link, repository path and command they name exists (a `brushwork` verb or option, a `make` target, a
`python -m` module)."""
from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from core.bench import bench_names
from core.cli import COMMANDS, build_parser

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
IDS = [str(d.relative_to(REPO)) for d in DOCS]
# a path in the repository, as the docs write it (in backticks or a code block)
PATH_RE = re.compile(r"(?<![\w/.~-])((?:core|studio|tests|resources|benchmarks|packaging|docs)/[\w./*\-:]*"
                     r"|Makefile|pyproject\.toml|CHANGELOG\.md)")
# a command at the start of a code span or line, after environment assignments and a venv's bin/
COMMAND_RE = re.compile(r"^(?:[A-Z_]+=\S*\s+)*(?:\S*/)?(brushwork|make|python -m)\s+(.*)$")
MAKE_TARGETS = set(re.findall(r"^([\w-]+):", (REPO / "Makefile").read_text(), re.M))


def _code(doc: Path) -> list[str]:
    """Each code span and each line of each code block of a markdown file."""
    text = doc.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    outside = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    spans = re.findall(r"`([^`\n]+)`", outside)
    return [*spans, *(ln.strip() for b in blocks for ln in b.splitlines() if ln.strip())]


def _anchors(text: str) -> set[str]:
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", text, re.M)}


def test_first_lines_are_the_two_commands():
    first = [ln.strip() for ln in README.splitlines() if ln.strip()][:2]
    assert first[0].startswith("make run") and first[1].startswith("make test")


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_local_links_and_anchors_resolve(doc):
    text = doc.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        linked = (doc.parent / file).resolve() if file else doc
        assert linked.exists(), f"{doc.name} links to a missing file {target}"
        assert linked.is_relative_to(REPO), f"{doc.name} links outside the repository: {target}"
        if anchor:
            assert anchor in _anchors(linked.read_text(encoding="utf-8")), f"{doc.name} links to a missing section {target}"


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_every_repository_path_named_exists(doc):
    missing = []
    for code in _code(doc):
        for found in PATH_RE.findall(code):
            path = re.sub(r"(?<![A-Za-z])[A-Z]{2,}(?![a-z])", "*", found.split("::")[0].rstrip(".:,"))  # NAME: a placeholder
            if not (any(REPO.glob(path)) if "*" in path else (REPO / path).exists()):
                missing.append(found)
        missing += [p for p in re.findall(r"(?:^|\s)(\.\./\S+)", code) if not (doc.parent / p).resolve().is_relative_to(REPO)]
    assert not missing, f"{doc.name} names paths that do not exist (or lie outside the repository): {missing}"


MD_FILES = {p.name for p in REPO.rglob("*.md") if "node_modules" not in p.parts}


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_every_markdown_file_named_is_in_the_repository(doc):
    """A guide the prose sends a reader to ("NOTES.md: ...") must ship with the repository (code spans name
    data-home files too: their paths are checked above)."""
    text = re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.S | re.M)
    text = re.sub(r"`[^`\n]+`|https?://\S+", "", text)
    named = set(re.findall(r"[\w.-]+\.md\b", text))
    assert named <= MD_FILES, f"{doc.name} names files that are not in the repository: {sorted(named - MD_FILES)}"


def _options(parser: argparse.ArgumentParser) -> tuple[set[str], dict[str, argparse.ArgumentParser]]:
    """Every option string of a parser and its sub-parsers, and its verbs (sub-parsers by name)."""
    options, verbs = set(), {}
    for action in parser._actions:
        options |= set(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                verbs[name] = sub
                options |= _options(sub)[0]
    return options, verbs


def _check_brushwork(words: list[str]) -> str | None:
    name = words[0] if words else ""
    if name in ("--version", "studio") or name.isupper():  # `brushwork COMMAND --help`
        return None
    if name not in COMMANDS:
        return f"no subcommand {name!r}"
    if name == "bench":  # its options belong to the benchmark
        bench = words[1] if len(words) > 1 else ""
        return None if bench.isupper() or bench.replace("-", "_") in bench_names() else f"no benchmark {bench!r}"
    sub = next(a for a in build_parser(name)._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    options, verbs = _options(sub)
    if verbs and len(words) > 1 and not words[1].startswith("-") and not words[1].isupper():
        unknown = [v for v in words[1].split("|") if v not in verbs]
        if unknown:
            return f"`brushwork {name}` has no verb {unknown}"
    flags = [w.split("=")[0] for w in words if w.startswith("--")]
    unknown = [f for f in flags if f.strip("[]") not in options]
    return f"`brushwork {name}` has no option {unknown}" if unknown else None


def _check(tool: str, rest: str) -> str | None:
    try:
        words = shlex.split(rest.split(" #")[0].replace("[", " ").replace("]", " "))
    except ValueError:
        words = rest.split()
    if tool == "brushwork":
        return _check_brushwork(words)
    if tool == "make":
        target = words[0] if words else ""
        return None if target in MAKE_TARGETS else f"no make target {target!r}"
    module = words[0] if words else ""
    if module in ("pytest", "venv", "pip"):
        return None
    base = REPO / module.replace(".", "/")
    return None if base.with_suffix(".py").exists() or (base / "__main__.py").exists() else f"no module {module!r}"


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_every_command_named_exists(doc):
    problems, seen = [], 0
    for code in _code(doc):
        m = COMMAND_RE.match(code)
        if m:
            seen += 1
            problem = _check(m.group(1), m.group(2))
            if problem:
                problems.append(f"{code!r}: {problem}")
    assert not problems, f"{doc.name}:\n" + "\n".join(problems)
    if doc.name in ("README.md", "training.md"):
        assert seen >= 5, "the command finder found nothing to check"


def test_every_subcommand_is_documented():
    for name in [*COMMANDS, "studio"]:
        assert re.search(rf"brushwork {name}\b", README), f"README does not mention `brushwork {name}`"


def test_the_checks_catch_a_wrong_command():
    """The finder really checks: an unknown verb, option, target or module is reported."""
    assert _check("brushwork", "runs shoo latest") is not None
    assert _check("brushwork", "train CONFIG.toml --stepz 3") is not None
    assert _check("brushwork", "painting") is not None
    assert _check("brushwork", "bench rendre --json") is not None
    assert _check("make", "tests") is not None
    assert _check("python -m", "core.clii") is not None
    assert _check("brushwork", "runs export latest -o out/ [--format csv]") is None
    assert _check("brushwork", "rm train|eval|info [--json]") is None
