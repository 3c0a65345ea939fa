"""Static checks of a sketch: which `brush.*` it calls and where, unknown or off-list APIs, structure,
token length and syntax. Fast enough for every keystroke pause: a 200-line sketch takes ~4 ms (mostly tokenizing).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from core.sketch.allowlist import DEFAULT_ALLOWLIST
from core.sketch.api import BrushApiError, brush_api
from core.sketch.errors import NodeUnavailable, SketchError
from core.sketch.jstokens import IDENT, PUNCT, STR, Scan, Token, scan
from core.sketch.syntax import syntax_error as compile_error
from core.sketch.tokens import TokenMethod, count_tokens


@dataclass(frozen=True)
class BrushCall:
    """One `brush.name` in the code. line/column are 1-based and point at `brush`; end_column is
    exclusive, so `lines[line-1][column-1:end_column-1] == "brush.name"` (columns count code points).
    When `brush .` and the name sit on different lines, line/column/end_column mark the name alone.
    """

    name: str
    line: int
    column: int
    end_column: int
    called: bool = True  # False for a bare reference such as `const b = brush.set`


@dataclass
class CheckReport:
    """What `check()` found; `clean` is the verdict `brushwork check` exits on."""

    uses_brush: bool
    brush_calls: list[BrushCall]
    unknown_apis: list[BrushCall]
    allowlist_violations: list[BrushCall]
    tokens: int
    token_method: TokenMethod
    syntax_error: SketchError | None
    syntax_checked: bool
    has_setup: bool
    has_draw: bool
    creates_canvas: bool
    webgl: bool
    lines: int
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Uses brush, calls nothing p5.brush lacks, and has no syntax error."""
        return self.uses_brush and not self.unknown_apis and self.syntax_error is None

    def problems(self) -> list[str]:
        """Human-readable reasons the sketch is not clean (empty when it is)."""
        out = []
        if not self.uses_brush:
            out.append("no brush.* call: the sketch does not use p5.brush")
        for call in self.unknown_apis:
            out.append(f"line {call.line}:{call.column}: brush.{call.name} is not in the installed p5.brush")
        if self.syntax_error is not None:
            out.append(str(self.syntax_error))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON (BrushCall and SketchError as dicts, `clean` included)."""
        data = asdict(self)
        data["syntax_error"] = self.syntax_error.to_dict() if self.syntax_error else None
        data["clean"] = self.clean
        return data


def check(code: str, allowlist: Iterable[str] | None = DEFAULT_ALLOWLIST, tokenizer: Any = None,
          *, syntax: bool = True) -> CheckReport:
    """Check a sketch; `tokenizer` (path or loaded) makes the token count exact, `syntax=False` skips node."""
    if allowlist is None:
        allowlist = DEFAULT_ALLOWLIST
    elif isinstance(allowlist, str):  # "set,fill" would otherwise become a set of letters
        allowlist = allowlist.split(",")
    allowed = frozenset(name.strip().removeprefix("brush.") for name in allowlist)
    notes: list[str] = []
    try:
        api: frozenset[str] | None = brush_api()
    except BrushApiError as e:  # p5.brush not installed yet: no verdict on names rather than a crash
        api = None
        notes.append(f"p5.brush API unknown, names not checked: {e}")
    result = scan(code)
    calls = find_brush_calls(result)
    tokens, method = count_tokens(code, tokenizer)
    error, checked = None, False
    if syntax:
        try:
            error, checked = compile_error(code), True
        except NodeUnavailable as e:
            notes.append(f"syntax not checked: {e}")
    structure = _structure(result.tokens)
    return CheckReport(
        uses_brush=bool(calls),
        brush_calls=calls,
        unknown_apis=[c for c in calls if api is not None and c.name not in api],
        allowlist_violations=[c for c in calls if (api is None or c.name in api) and c.name not in allowed],
        tokens=tokens,
        token_method=method,
        syntax_error=error,
        syntax_checked=checked,
        lines=code.count("\n") + 1 if code else 0,
        notes=notes,
        **structure,
    )


def warm_up() -> bool:
    """Read the p5.brush API and start node now, so the first keystroke check is fast; True if node runs."""
    try:
        brush_api()
    except BrushApiError:
        pass
    try:
        compile_error("")
        return True
    except NodeUnavailable:
        return False


def find_brush_calls(result: Scan) -> list[BrushCall]:
    """Every `brush.name` / `brush?.name` outside strings and comments (not `x.brush.name`)."""
    toks = result.tokens
    found: list[BrushCall] = []
    for i in [k for k, t in enumerate(toks[:-2]) if t.text == "brush"]:
        tok = toks[i]
        if tok.kind != IDENT:
            continue
        dot, name = toks[i + 1], toks[i + 2]
        if dot.kind != PUNCT or dot.text not in (".", "?.") or name.kind != IDENT:
            continue
        if i and toks[i - 1].kind == PUNCT and toks[i - 1].text in (".", "?."):
            continue  # someone else's property called brush
        line, column = result.position(tok.start)
        name_line, name_column = result.position(name.start)
        if name_line != line:
            line, column = name_line, name_column
        called = i + 3 < len(toks) and toks[i + 3].kind == PUNCT and toks[i + 3].text in ("(", "?.")
        found.append(BrushCall(name.text, line, column, name_column + len(name.text), called))
    return found


_STRUCTURE_WORDS = frozenset({"setup", "draw", "createCanvas"})


def _structure(toks: list[Token]) -> dict[str, bool]:
    """setup/draw defined (`function setup`, `setup = ...`, `p.setup = ...`), createCanvas(..., WEBGL)."""
    defined: set[str] = set()
    creates_canvas = webgl = False
    last = len(toks) - 1
    for i in [k for k, t in enumerate(toks) if t.text in _STRUCTURE_WORDS]:
        tok = toks[i]
        if tok.kind != IDENT:
            continue
        nxt = toks[i + 1] if i < last else None
        if tok.text in ("setup", "draw"):
            after_function = i and toks[i - 1].kind == IDENT and toks[i - 1].text == "function"
            assigned = nxt is not None and nxt.kind == PUNCT and nxt.text == "="
            if after_function or assigned:
                defined.add(tok.text)
        elif tok.text == "createCanvas" and nxt is not None and nxt.text == "(":
            creates_canvas = True
            webgl = webgl or _args_mention_webgl(toks, i + 1)
    return {"has_setup": "setup" in defined, "has_draw": "draw" in defined,
            "creates_canvas": creates_canvas, "webgl": webgl}


def _args_mention_webgl(toks: list[Token], open_index: int) -> bool:
    depth = 0
    for tok in toks[open_index:]:
        if tok.kind == PUNCT and tok.text in "([{":
            depth += 1
        elif tok.kind == PUNCT and tok.text in ")]}":
            depth -= 1
            if depth == 0:
                return False
        elif (tok.kind == IDENT and tok.text == "WEBGL") or (tok.kind == STR and tok.text[1:-1].lower() == "webgl"):
            return True
    return False
