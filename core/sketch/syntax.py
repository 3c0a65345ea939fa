"""Syntax check and parse through one long-lived node process (~0.5 ms vs ~95 ms per `node --check`).

V8 (`vm.Script`, compiled, never run) gives the verdict; acorn then parses what V8 accepted and
brush_refs.js lists every way the code reaches `brush` and blind_spots.js every place it cannot follow
(see `Analysis`). The node side (syntax_server.js) reads JSON lines on stdin and exits when stdin
closes, so it dies with us even on SIGKILL. One lock serialises requests; a dead process is restarted once per call.
"""
from __future__ import annotations

import atexit
import itertools
import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.paths import NODE_MODULES
from core.sketch.errors import NodeUnavailable, SketchError
from core.sketch.jstokens import LineIndex, scan

SERVER_JS = Path(__file__).with_name("syntax_server.js")


def node_path() -> str | None:
    """The node executable: $BRUSHWORK_NODE if set (empty = none), else `node` on PATH, else /usr/bin/node."""
    override = os.environ.get("BRUSHWORK_NODE")
    if override is not None:
        return override if override and os.access(override, os.X_OK) else None
    found = shutil.which("node")
    if found:
        return found
    return "/usr/bin/node" if os.access("/usr/bin/node", os.X_OK) else None


@dataclass
class Analysis:
    """What node said about one source. Offsets in refs/dynamic/prints count code points.

    refs: {name, start, end, called, via, nameStart?} per place the code reaches `brush.<name>`;
    blind: {start, end, why, brush} per place the checker cannot follow (code made at run time, brush
    or the window escaping, names built at run time; `brush` when it is brush that escapes there);
    prints: {start, end, window} for calls that open the print dialog; shadows: {start, end} per
    declaration of a `brush` that is not p5.brush (a parameter or local of that name).
    parsed is False when acorn did not read the code (a syntax error, acorn missing: see note).
    """

    error: SketchError | None
    parsed: bool = False
    refs: list[dict[str, Any]] = field(default_factory=list)
    blind: list[dict[str, Any]] = field(default_factory=list)
    prints: list[dict[str, Any]] = field(default_factory=list)
    shadows: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None


class SyntaxChecker:
    """A node process that compiles sketches on request; thread-safe, restarts itself if it dies."""

    def __init__(self, node: str | None = None, node_modules: Path = NODE_MODULES) -> None:
        self._node = node
        self._node_modules = node_modules  # where acorn is
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._owner = os.getpid()
        self._ids = itertools.count(1)

    @property
    def pid(self) -> int | None:
        """Process id of the running node, if any."""
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def check(self, code: str) -> SketchError | None:
        """None when the code compiles, else a SketchError(kind="syntax"). Raises NodeUnavailable."""
        return self.analyse(code).error

    def analyse(self, code: str) -> Analysis:
        """Compile with V8 and, if that succeeds, parse with acorn and list brush references."""
        with self._lock:
            try:
                answer = self._ask(code)
            except (OSError, EOFError, ValueError):
                self._stop()  # died or garbled: one fresh process, one retry
                try:
                    answer = self._ask(code)
                except (OSError, EOFError, ValueError) as e:
                    self._stop()
                    raise NodeUnavailable(f"node syntax server failed: {e}") from e
        if not answer.get("ok"):
            return Analysis(_located_error(code, answer.get("message") or "syntax error", answer.get("offset")))
        return Analysis(None, bool(answer.get("parsed")), answer.get("refs") or [], answer.get("blind") or [],
                        answer.get("prints") or [], answer.get("shadows") or [], answer.get("note"))

    def close(self) -> None:
        """Close node's stdin (it exits by itself) and reap it."""
        with self._lock:
            self._stop()

    def _ask(self, code: str) -> dict:
        proc = self._ensure()
        rid = next(self._ids)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps({"id": rid, "code": code}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise EOFError("node syntax server closed its output")
        answer = json.loads(line)
        if answer.get("id") != rid:
            raise ValueError(f"node syntax server answered {answer.get('id')}, expected {rid}")
        return answer

    def _ensure(self) -> subprocess.Popen[str]:
        if self._owner != os.getpid():  # a forked child must not talk over its parent's pipe
            self._proc, self._owner = None, os.getpid()
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        node = self._node or node_path()
        if node is None:
            raise NodeUnavailable("node not found (set BRUSHWORK_NODE or install nodejs)")
        try:
            self._proc = subprocess.Popen(
                [node, str(SERVER_JS), str(self._node_modules)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True, encoding="utf-8", bufsize=1,
            )
        except OSError as e:
            raise NodeUnavailable(f"cannot start node ({node}): {e}") from e
        return self._proc

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _located_error(code: str, message: str, offset: int | None) -> SketchError:
    """A syntax error at an offset, in the editor's line numbering. An error at the end of input
    (an unclosed bracket) points at the last character of the file, never at a line past it, and
    names the bracket left open."""
    if offset is None:
        return SketchError("syntax", message)
    content_end = len(code.rstrip())
    if offset >= content_end > 0:
        offset = content_end - 1
        opened = scan(code).open_brackets
        if opened:
            char, at = opened[-1]
            line, column = LineIndex(code).position(at)
            more = f" (and {len(opened) - 1} more)" if len(opened) > 1 else ""
            message += f": the `{char}` opened at line {line}, column {column} is never closed{more}"
    line, column = LineIndex(code).position(max(0, min(offset, len(code))))
    return SketchError("syntax", message, line, column)


_shared: SyntaxChecker | None = None
_shared_lock = threading.Lock()


def shared_checker() -> SyntaxChecker:
    """The process-wide checker (started lazily, closed at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SyntaxChecker()
            atexit.register(_shared.close)
        return _shared


def syntax_error(code: str) -> SketchError | None:
    """Compile `code` in the shared node process: None if it parses, else the error. Raises NodeUnavailable."""
    return shared_checker().check(code)
