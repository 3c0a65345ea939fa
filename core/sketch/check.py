"""Static checks of a sketch: which `brush.*` it reaches and where, unknown or off-list APIs, print
dialogs, structure, token length and syntax, and every place the checker cannot see.

Brush references come from a real parse (acorn, in the node checker: scopes, aliases, destructuring,
constant computed keys, `window.brush`, arguments to the sketch's own functions, ...). Where the code
makes code at run time (eval, Function, string timers, import(), script elements, HTML handlers) or
lets brush or the window escape into a value the parse does not follow (objects, spreads, Proxy,
Reflect, return values, class fields, `with`, names built at run time), the report is not clean and
says "cannot check" there. When the code does not parse or node is missing, the token scan
(`find_brush_calls`) stands in, `parser` says "tokens", and that too is a "cannot check".
A 200-line sketch takes a few ms.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from core.sketch.allowlist import DEFAULT_ALLOWLIST
from core.sketch.api import BrushApiError, brush_api
from core.sketch.errors import NodeUnavailable, SketchError
from core.sketch.files import source_too_large
from core.sketch.jstokens import IDENT, PUNCT, STR, Scan, Token, scan
from core.sketch.syntax import Analysis, shared_checker
from core.sketch.syntax import syntax_error as compile_error
from core.sketch.tokens import TokenMethod, count_tokens


@dataclass(frozen=True)
class BrushCall:
    """One place the code reaches `brush.name`. line/column are 1-based and end_column is exclusive,
    so `lines[line-1][column-1:end_column-1]` is the code that reaches it: `brush.name`, `b.name`
    (an alias), `window.brush.name`, `brush["name"]`, or the bare name (a destructured alias and its
    calls). When the object and the name sit on different lines, the span marks the name alone.
    Columns count code points; lines end at "\n" only (U+2028 does not start one).
    """

    name: str
    line: int
    column: int
    end_column: int
    called: bool = True  # False for a bare reference such as `const b = brush.set`
    via: str = "brush"  # brush | alias | destructured | global | computed


@dataclass(frozen=True)
class Finding:
    """Something the checker points at that is not a brush call: a place it cannot check, a print
    dialog, or a `brush` of the sketch's own."""

    kind: str  # "cannot check" | "print dialog" | "shadowed brush"
    message: str
    line: int
    column: int
    end_column: int


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
    warnings: list[Finding] = field(default_factory=list)  # shadowed `brush`: reported, not a problem
    print_dialogs: list[Finding] = field(default_factory=list)  # a problem: it stops the page
    parser: str = "tokens"  # "acorn" when brush references come from a real parse
    too_large: str | None = None
    cannot_check: list[Finding] = field(default_factory=list)  # a problem: the checker is blind there

    @property
    def clean(self) -> bool:
        """Uses brush, calls nothing p5.brush lacks, opens no print dialog, has no syntax error, and
        has nothing the checker cannot follow."""
        return (self.uses_brush and not self.unknown_apis and self.syntax_error is None
                and not self.print_dialogs and self.too_large is None and not self.cannot_check)

    def problems(self) -> list[str]:
        """Human-readable reasons the sketch is not clean (empty when it is)."""
        if self.too_large:
            return [self.too_large]
        out = []
        if not self.uses_brush:
            out.append("no brush.* call: the sketch does not use p5.brush")
        for call in self.unknown_apis:
            out.append(f"line {call.line}:{call.column}: brush.{call.name} is not in the installed p5.brush")
        for found in self.cannot_check:
            out.append(f"line {found.line}:{found.column}: {found.message}")
        for found in self.print_dialogs:
            out.append(f"line {found.line}:{found.column}: {found.message}")
        if self.syntax_error is not None:
            out.append(str(self.syntax_error))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON (BrushCall, Finding and SketchError as dicts, `clean` included)."""
        data = asdict(self)
        data["syntax_error"] = self.syntax_error.to_dict() if self.syntax_error else None
        data["clean"] = self.clean
        return data


def check(code: str, allowlist: Iterable[str] | None = DEFAULT_ALLOWLIST, tokenizer: Any = None,
          *, syntax: bool = True) -> CheckReport:
    """Check a sketch; `tokenizer` (path or loaded) makes the token count exact, `syntax=False` skips
    node (no syntax verdict, brush calls from the token scan)."""
    if allowlist is None:
        allowlist = DEFAULT_ALLOWLIST
    elif isinstance(allowlist, str):  # "set,fill" would otherwise become a set of letters
        allowlist = allowlist.split(",")
    allowed = frozenset(name.strip().removeprefix("brush.") for name in allowlist)
    too_large = source_too_large(code)
    if too_large:  # never tokenize or ship megabytes to node
        return CheckReport(False, [], [], [], 0, "approx", None, False, False, False, False, False,
                           code.count("\n") + 1, too_large=too_large)
    notes: list[str] = []
    try:
        api: frozenset[str] | None = brush_api()
    except BrushApiError as e:  # p5.brush not installed yet: no verdict on names rather than a crash
        api = None
        notes.append(f"p5.brush API unknown, names not checked: {e}")
    result = scan(code)
    tokens, method = count_tokens(code, tokenizer)
    analysis: Analysis | None = None
    unparsed = "the code was not parsed (syntax=False)"
    if syntax:
        try:
            analysis = shared_checker().analyse(code)
        except NodeUnavailable as e:
            notes.append(f"syntax not checked: {e}")
            unparsed = str(e)
    blind: list[Finding] = []
    if analysis is not None and analysis.parsed:
        calls = [_brush_call(result, ref) for ref in analysis.refs]
        blind = [_finding(result, b, "cannot check", b["why"]) for b in analysis.blind]
        prints = [_finding(result, p, "print dialog", _PRINT[p["window"]]) for p in analysis.prints]
        shadows = [_finding(result, s, "shadowed brush", _SHADOW) for s in analysis.shadows]
    else:
        calls, prints, shadows = find_brush_calls(result), [], []
        if analysis is not None and analysis.note:
            notes.append(f"brush calls found by the token scan: {analysis.note}")
            unparsed = analysis.note
        if analysis is None or analysis.error is None:  # a syntax error is its own problem
            blind = [Finding("cannot check", f"cannot check this sketch: {unparsed}; only the token scan read it, "
                             "so code made at run time and escapes of brush were not looked for", 1, 1, 2)]
    return CheckReport(
        uses_brush=bool(calls) or any(b.get("brush") for b in (analysis.blind if analysis else [])),
        brush_calls=calls,
        unknown_apis=[c for c in calls if api is not None and c.name not in api],
        allowlist_violations=[c for c in calls if (api is None or c.name in api) and c.name not in allowed],
        tokens=tokens,
        token_method=method,
        syntax_error=analysis.error if analysis else None,
        syntax_checked=analysis is not None,
        lines=code.count("\n") + 1 if code else 0,
        notes=notes,
        warnings=shadows,
        print_dialogs=prints,
        parser="acorn" if analysis is not None and analysis.parsed else "tokens",
        cannot_check=blind,
        **_structure(result.tokens),
    )


_SHADOW = ("this `brush` is the sketch's own (a parameter or local that p5.brush does not reach), "
           "so calls through it are not counted as p5.brush")
_PRINT = {
    False: "print() with no argument opens the browser's print dialog in p5 (and then a confirm box); "
           "use console.log(...) to log",
    True: "window.print() opens the browser's print dialog, which stops the sketch; remove it",
}


def _span(result: Scan, start: int, end: int) -> tuple[int, int, int]:
    """(line, column, end_column) of [start, end); a span over lines ends at its first line's end."""
    line, column = result.position(start)
    end_line, end_column = result.position(end)
    if end_line != line:
        end_column = len(result.source.split("\n", line)[line - 1].rstrip("\r")) + 1
    return line, column, max(end_column, column + 1)


def _brush_call(result: Scan, ref: dict[str, Any]) -> BrushCall:
    start = ref["start"]
    if result.position(start)[0] != result.position(ref["end"])[0] and "nameStart" in ref:
        start = ref["nameStart"]  # `brush` and `.name` on different lines: mark the name
    line, column, end_column = _span(result, start, ref["end"])
    return BrushCall(ref["name"], line, column, end_column, bool(ref["called"]), ref.get("via", "brush"))


def _finding(result: Scan, item: dict[str, Any], kind: str, why: str) -> Finding:
    line, column, end_column = _span(result, item["start"], item["end"])
    text = result.source[item["start"]:item["end"]].split("\n")[0].strip()
    text = text if len(text) <= 60 else text[:57] + "..."
    if kind == "cannot check":
        return Finding(kind, f"cannot check `{text}`: {why}", line, column, end_column)
    return Finding(kind, why, line, column, end_column)


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
    """Token scan: every `brush.name` / `brush?.name` outside strings and comments (not `x.brush.name`).
    The stand-in for the parse when the code does not parse (mid-edit) or node is missing."""
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
