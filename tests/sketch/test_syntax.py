"""The long-lived node syntax checker: errors with positions, lifetime, restarts, threads, no node."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from core.sketch import SyntaxChecker, check
from core.sketch.syntax import node_path

pytestmark = pytest.mark.skipif(node_path() is None, reason="node is not installed")


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if _zombie(pid):
            return True
        time.sleep(0.02)
    return False


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture
def checker():
    c = SyntaxChecker()
    yield c
    c.close()


@pytest.mark.parametrize("code, line, column, words", [
    ("function setup() {\n  let x = ;\n}", 2, 11, "Unexpected token ';'"),
    ("brush.set('HB', 'red', 1)\nbrush.line(0, 0, 1 1)", 2, 18, "missing ) after argument list"),
    # An unclosed brace: the last character of the file, never the empty line after it.
    ("function setup() {\n  brush.line(0, 0, 1, 1);\n", 2, 25, "the `{` opened at line 1, column 18 is never closed"),
    ("let s = 'abc", 1, 9, "Invalid or unexpected token"),
    ("let é = '😀'; let = = 2", 1, 20, "Unexpected token '='"),
    ("\tfoo bar", 1, 6, "Unexpected identifier 'bar'"),
])
def test_errors_carry_message_line_and_column(checker, code, line, column, words):
    err = checker.check(code)
    assert err is not None and err.kind == "syntax"
    assert words in err.message
    assert (err.line, err.column) == (line, column)


def test_valid_code_and_nothing_is_run(checker, tmp_path):
    marker = tmp_path / "ran"
    code = f"require('fs').writeFileSync({str(marker)!r}, 'x'); async function setup() {{ await 1; }}"
    assert checker.check(code) is None
    assert not marker.exists()  # compiled only, never executed


def test_node_exits_when_its_stdin_closes(checker):
    checker.check("1")
    pid = checker.pid
    checker._proc.stdin.close()  # exactly what happens when we die: the pipe closes
    assert _gone(pid)


def test_node_does_not_outlive_a_killed_parent():
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from core.sketch import SyntaxChecker
        c = SyntaxChecker(); c.check("1"); print(c.pid, flush=True); time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    try:
        pid = int(child.stdout.readline())
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _gone(pid)
    finally:
        child.kill()


def test_restarts_after_node_dies(checker):
    checker.check("1")
    first = checker.pid
    os.kill(first, signal.SIGKILL)
    assert _gone(first)
    assert checker.check("let = ;") is not None  # transparently restarted
    assert checker.pid not in (None, first)


def test_forked_child_gets_its_own_node(checker):
    checker.check("1")
    parent_node = checker.pid
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            ok = checker.check("let = ;") is not None and checker.pid != parent_node
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    assert os.read(read, 1) == b"1"
    assert checker.pid == parent_node and checker.check("1") is None


def test_thread_safe(checker):
    results: dict[int, object] = {}

    def work(i: int) -> None:
        code = f"let v{i} = {i};" if i % 2 else f"let v{i} = ;\n"
        results[i] = checker.check(code)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all((results[i] is None) == bool(i % 2) for i in range(40))


def test_warm_up_starts_the_shared_node():
    from core.sketch import warm_up
    from core.sketch.syntax import shared_checker

    assert warm_up() is True
    assert shared_checker().pid is not None


def test_fast_once_started(checker, tmp_path):
    code = "function setup() {\n" + "  brush.line(0, 0, 10, 10);\n" * 200 + "}\n"
    checker.analyse(code)
    start = time.perf_counter()
    for i in range(20):  # distinct sources: V8 caches a compile of the same text, acorn does not
        assert checker.analyse(code + f"// {i}\n").parsed
    per_check = (time.perf_counter() - start) / 20
    sketch = tmp_path / "s.js"
    sketch.write_text(code)
    start = time.perf_counter()
    for _ in range(3):
        subprocess.run([node_path(), "--check", str(sketch)], check=True)
    per_spawn = (time.perf_counter() - start) / 3
    # ~2 ms vs ~95 ms on an idle machine; a ratio, so a loaded machine slows both sides alike.
    assert per_check < per_spawn / 3, (per_check, per_spawn)


def test_missing_node_is_unknown_not_a_crash(monkeypatch):
    import core.sketch.syntax as syntax

    monkeypatch.setenv("BRUSHWORK_NODE", "/nonexistent/node")
    monkeypatch.setattr(syntax, "_shared", None)
    report = check("function setup() { brush.line(0, 0, 1, 1); }")
    assert report.syntax_error is None and not report.syntax_checked
    assert any("syntax not checked" in n for n in report.notes)
    monkeypatch.setattr(syntax, "_shared", None)
