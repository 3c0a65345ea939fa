"""Pull the sketch out of raw model output: fences, prose, thinking, several blocks, truncation."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from core.sketch.jstokens import IDENT, PUNCT, TEMPLATE, scan

JS_LANGS = frozenset({"js", "javascript", "p5", "p5js", "p5.js", "jsx", "mjs", "cjs", "ecmascript", "node", "nodejs"})
_THINK_TAGS = r"think|thinking|reasoning|reflection"
_THINK_BLOCK = re.compile(rf"<({_THINK_TAGS})>.*?</\1>", re.I | re.S)
_THINK_CLOSE = re.compile(rf"</(?:{_THINK_TAGS})>", re.I)
_THINK_OPEN = re.compile(rf"<(?:{_THINK_TAGS})>", re.I)
# Chat-template markers that leak into decoded text when special tokens are not skipped.
_SPECIAL = re.compile(r"<\|[A-Za-z0-9_]+\|>|</s>|<s>|<eos>|<bos>|<pad>|<end_of_turn>|<start_of_turn>(?:model|user)?")
_FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})\s*([^\s`]*)[^`]*$")
_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)(?:</script>|\Z)", re.I | re.S)
_DEFINES = re.compile(r"\bfunction\s*\*?\s*(setup|draw)\b|\b(setup|draw)\s*=(?!=)")
_DECL = re.compile(r"\b(?:function\s*\*?\s*|(?:const|let|var|class)\s+)([A-Za-z_$][\w$]*)")
_NAME = re.compile(r"(?<![\w$.])[A-Za-z_$][\w$]*")  # not after a dot: property names are not globals
# A line that reads as JavaScript on its own (used outside brackets, where prose may sit between code).
_CODE_START = re.compile(
    r"""\s*(?:$|//|/\*|[})\]]
    |(?:async\s+)?function\b|(?:let|const|var|class|if|for|while|do|return|new|switch|try|import|export|await)\b
    |[\w$]+(?:\.[\w$]+|\[[^\]]*\])*(?:\(|\s*(?:=(?!=)|\+\+|--|\+=|-=|\*=|/=))
    )""",
    re.X,
)
_CODE_END = re.compile(r"[;{(]\s*(?://.*)?$")  # not ",": wrapped prose ends lines with commas
_DANGLING = frozenset("= + - * / % . , ( [ { && || ?? ? : => ! < > <= >= == === != !== += -= *= /=".split())
_DANGLING_WORDS = frozenset("let const var function return new typeof await async else class".split())


@dataclass
class Extracted:
    """The code found in a model's output and how it was found."""

    code: str
    truncated: bool
    blocks: int             # fenced blocks found (any language); 1 for unfenced code, 0 for none
    fenced: bool
    language: str | None    # the chosen fence's tag, lower case; None when unlabeled or unfenced
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain dict for JSON."""
        return asdict(self)


@dataclass
class _Block:
    lang: str
    code: str
    closed: bool


def extract_code(text: str) -> Extracted:
    """Extract the sketch from raw model output.

    Special tokens (`<|im_end|>`, `</s>`, ...) are removed. Thinking (`<think>...</think>`, also `thinking`/`reasoning`) is dropped; an unclosed one means the
    output ended while thinking (truncated, no code). Among fenced blocks (```js, ```javascript, ```p5,
    unlabeled, ~~~; ```html gives its <script>), the sketch is the block that defines setup() (the
    last closed one, preferring one that also defines draw(): models revise, and static sketches have
    no draw), plus any other block that declares draw() when it lacks one, or a function, class or
    variable it uses but does not declare; snippets without setup() are left out. With no setup() anywhere, all JavaScript
    blocks are joined in order. Without fences, code lines are taken
    from the first line that reads as code, skipping prose lines that sit outside any bracket.
    Truncated means: an unclosed fence, or unfenced code that ends inside a bracket, string, template
    or comment, or on a dangling operator. A closed fence with unbalanced brackets is a model error,
    not truncation (it gets a note; the syntax check reports it).
    """
    notes: list[str] = []
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("normalised CRLF line endings")
    text, specials = _SPECIAL.subn("", text)
    if specials:
        notes.append(f"removed {specials} special token(s)")
    text, cut_while_thinking = _strip_thinking(text, notes)
    blocks = _fenced_blocks(text, notes)
    if blocks:
        result = _from_blocks(blocks, notes)
    else:
        result = _from_prose(text, notes)
    result.truncated = result.truncated or cut_while_thinking
    return result


def _strip_thinking(text: str, notes: list[str]) -> tuple[str, bool]:
    stripped = _THINK_BLOCK.sub("", text)
    if stripped != text:
        notes.append("removed a thinking block")
    closes = list(_THINK_CLOSE.finditer(stripped))
    if closes:  # the chat template opened <think> in the prompt; only its end is in the output
        stripped = stripped[closes[-1].end():]
        notes.append("dropped thinking before a closing tag")
    opened = _THINK_OPEN.search(stripped)
    if opened:
        notes.append("output ended while thinking: unclosed thinking tag")
        return stripped[:opened.start()], True
    return stripped, False


def _fenced_blocks(text: str, notes: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        marker, lang = m.group(1), m.group(2).lower()
        indent = len(lines[i]) - len(lines[i].lstrip())  # a fence inside a list item: drop its indent
        body: list[str] = []
        closed = False
        i += 1
        while i < len(lines):
            line = lines[i].rstrip()
            stripped = line.strip()
            if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
                closed = True
                break
            reopened = _FENCE_OPEN.match(line)
            if reopened and reopened.group(2) and reopened.group(1)[0] == marker[0]:
                closed = True  # a new labelled fence: the model forgot to close this one
                notes.append("a code fence was not closed before the next one opened")
                i -= 1
                break
            if line.endswith(marker) and not line.endswith(marker + marker[0]):
                body.append(_dedent(line[: -len(marker)], indent))  # closing fence glued to the last line
                closed = True
                break
            body.append(_dedent(lines[i], indent))
            i += 1
        i += 1
        blocks.append(_Block(lang, "\n".join(body), closed))
    return blocks


def _dedent(line: str, indent: int) -> str:
    cut = len(line) - len(line.lstrip(" \t"))
    return line[min(cut, indent):]


def _from_blocks(blocks: list[_Block], notes: list[str]) -> Extracted:
    js: list[_Block] = []
    for b in blocks:  # document order matters when blocks are joined
        if b.lang in JS_LANGS or (b.lang == "" and _looks_like_code(b.code)):
            js.append(b)
        elif b.lang in ("html", "htm") and _SCRIPT.search(b.code):
            js.append(_Block("html", "\n".join(s.strip("\n") for s in _SCRIPT.findall(b.code)), b.closed))
            notes.append("took the <script> of an html block")
    if not js:
        js = [b for b in blocks if "brush." in b.code or _DEFINES.search(b.code)]
        if js:
            notes.append(f"no JavaScript fence; used a ```{js[-1].lang} block that looks like the sketch")
    if not js:
        notes.append(f"no JavaScript among {len(blocks)} fenced block(s)")
        return Extracted("", False, len(blocks), True, None, notes)
    with_setup = [b for b in js if "setup" in _defined(b.code)]
    if with_setup:
        chosen = max(reversed(with_setup), key=lambda b: (b.closed, "draw" in _defined(b.code)))
        if len(with_setup) > 1:
            notes.append(f"{len(with_setup)} blocks define setup(); took the last complete one")
        others = [b for b in js if b is not chosen and b not in with_setup]
        helpers = _helpers_for(chosen, others)
        parts = [b for b in js if b is chosen or any(b is h for h in helpers)]  # in document order
        if len(parts) > 1:
            notes.append(f"joined {len(parts) - 1} block(s) declaring draw() or names the sketch uses")
        if len(js) > len(parts):
            notes.append(f"ignored {len(js) - len(parts)} other JavaScript block(s)")
    else:
        chosen = js[0]
        parts = js
        if len(js) > 1:
            notes.append(f"joined {len(js)} JavaScript blocks in order")
    code = "\n\n".join(p.code.strip("\n") for p in parts if p.code.strip()) + "\n"
    code = code if code.strip() else ""
    truncated = any(not p.closed for p in parts)  # only the output's last fence can be unclosed
    if truncated:
        notes.append("unclosed code fence: the output was cut off")
    elif not blocks[-1].closed:
        notes.append("a later block was cut off; the sketch itself is complete")
    elif not scan(code).balanced:
        notes.append("unbalanced brackets or strings inside a closed fence (a model error, not truncation)")
    lang = chosen.lang or None
    return Extracted(code, truncated, len(blocks), True, lang, notes)


def _from_prose(text: str, notes: list[str]) -> Extracted:
    script = _SCRIPT.findall(text)
    if script:
        text = "\n".join(s.strip("\n") for s in script)
        notes.append("took the <script> of an html page")
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() and _is_code_line(line)), None)
    if start is None:
        notes.append("no code found")
        return Extracted("", False, 0, False, None, notes)
    body = "\n".join(lines[start:])
    depth = _depth_at_line_starts(body)
    kept = [line for line, d in zip(lines[start:], depth, strict=True) if d > 0 or _is_code_line(line)]
    if start or len(kept) < len(lines) - start:
        notes.append("unfenced code: dropped the prose around it")
    code = "\n".join(kept).strip("\n") + "\n"
    truncated, why = _cut_off(code)
    if truncated:
        notes.append(f"output was cut off: {why}")
    return Extracted(code, truncated, 1, False, None, notes)


def _depth_at_line_starts(body: str) -> list[int]:
    """Per line: bracket depth at its start, or 1 when it starts inside a /* comment */ or `template`."""
    result = scan(body)
    events = sorted((t.start, 1 if t.text in "([{" else -1) for t in result.tokens
                    if t.kind == PUNCT and t.text in ("(", "[", "{", ")", "]", "}"))
    spans = sorted(result.block_comments + [(t.start, t.end) for t in result.tokens if t.kind == TEMPLATE])
    depths, depth, k, j, offset = [], 0, 0, 0, 0
    for line in body.split("\n"):
        while k < len(events) and events[k][0] < offset:
            depth = max(0, depth + events[k][1])
            k += 1
        while j < len(spans) and spans[j][1] <= offset:  # spans are disjoint: one pointer suffices
            j += 1
        inside = j < len(spans) and spans[j][0] < offset
        depths.append(max(depth, int(inside)))
        offset += len(line) + 1
    return depths


def _cut_off(code: str) -> tuple[bool, str]:
    result = scan(code)
    if result.unterminated:
        return True, f"unterminated {result.unterminated}"
    if result.open_brackets:
        return True, f"{len(result.open_brackets)} unclosed bracket(s)"
    last = result.tokens[-1] if result.tokens else None
    if last is not None and ((last.kind == PUNCT and last.text in _DANGLING)
                             or (last.kind == IDENT and last.text in _DANGLING_WORDS)):
        return True, f"ends on '{last.text}'"
    return False, ""


def _defined(code: str) -> set[str]:
    return {a or b for a, b in _DEFINES.findall(code)}


def _helpers_for(chosen: _Block, others: list[_Block]) -> list[_Block]:
    """Blocks that declare draw() (when `chosen` lacks it) or a function, class or variable that `chosen`
    uses without declaring it."""
    own = set(_DECL.findall(chosen.code)) | _defined(chosen.code)
    missing = (set(_NAME.findall(chosen.code)) | {"draw"}) - own
    return [b for b in others if missing & (set(_DECL.findall(b.code)) | _defined(b.code))]


def _is_code_line(line: str) -> bool:
    return bool(_CODE_START.match(line) or _CODE_END.search(line))


def _looks_like_code(code: str) -> bool:
    return any(ch in code for ch in "();{}=") and any(line.strip() and _is_code_line(line) for line in code.split("\n"))
