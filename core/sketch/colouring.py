"""What colour each piece of a line of JavaScript gets in the code editor, read through jstokens (no Qt).

The editor colours one line (block) at a time and carries a state to the next: PLAIN, inside a block
comment, or inside a template literal. A line that starts inside one is scanned with the comment
blanked out, or with a "`" put back in front, so the tokenizer sees what a reader of the file sees.
"""
from __future__ import annotations

from core.sketch.jstokens import IDENT, NUM, PUNCT, REGEX, STR, TEMPLATE, Token, scan

KEYWORDS = frozenset(
    "break case catch class const continue default delete do else export extends finally for function if "
    "import in instanceof let new of return super switch this throw try typeof var void while yield async await"
    .split())
LITERALS = frozenset("true false null undefined NaN Infinity".split())
ROLES = ("keyword", "literal", "number", "string", "comment", "brush", "function")
PLAIN, IN_COMMENT, IN_TEMPLATE = 0, 1, 2

Span = tuple[int, int, str]  # (start, length, role) in the line, columns in code points


def line_spans(line: str, state: int = PLAIN, *, utf16: bool = False) -> tuple[list[Span], int]:
    """Coloured spans of one line and the state the next line starts in (PLAIN, IN_COMMENT, IN_TEMPLATE).
    `utf16=True` gives positions in UTF-16 units, as Qt's QString counts them (an emoji is two)."""
    spans, state = _spans(line, state)
    if utf16 and any(ord(ch) > 0xFFFF for ch in line):
        units = [0]
        for ch in line:
            units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
        spans = [(units[start], units[start + length] - units[start], role) for start, length, role in spans]
    return spans, state


def _spans(line: str, state: int) -> tuple[list[Span], int]:
    spans: list[Span] = []
    text, shift = line, 0
    if state == IN_COMMENT:
        end = line.find("*/")
        if end < 0:
            return [(0, len(line), "comment")], IN_COMMENT
        spans.append((0, end + 2, "comment"))
        text = " " * (end + 2) + line[end + 2:]
    elif state == IN_TEMPLATE:
        text, shift = "`" + line, 1
    result = scan(text)
    spans += _token_spans(result.tokens)
    spans += [(start, end - start, "comment") for start, end in result.block_comments + result.line_comments]
    if shift:
        spans = [(max(start - shift, 0), length - (shift if start < shift else 0), role)
                 for start, length, role in spans if start + length > shift]
    next_state = {"comment": IN_COMMENT, "template": IN_TEMPLATE}.get(result.unterminated or "", PLAIN)
    return sorted(spans), next_state


def _token_spans(toks: list[Token]) -> list[Span]:
    spans: list[Span] = []
    skip = -1
    for i, tok in enumerate(toks):
        if i <= skip:
            continue
        role = None
        if tok.kind == IDENT:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            after_dot = i > 0 and toks[i - 1].kind == PUNCT and toks[i - 1].text in (".", "?.")
            if tok.text == "brush" and not after_dot and _is_member(toks, i):
                name = toks[i + 2]
                spans.append((tok.start, name.end - tok.start, "brush"))
                skip = i + 2
                continue
            if tok.text in KEYWORDS and not after_dot:
                role = "keyword"
            elif tok.text in LITERALS:
                role = "literal"
            elif nxt is not None and nxt.kind == PUNCT and nxt.text == "(":
                role = "function"
        elif tok.kind == NUM:
            role = "number"
        elif tok.kind in (STR, TEMPLATE, REGEX):
            role = "string"
        if role:
            spans.append((tok.start, tok.end - tok.start, role))
    return spans


def _is_member(toks: list[Token], i: int) -> bool:
    """`brush` then `.`/`?.` then a name."""
    return (i + 2 < len(toks) and toks[i + 1].kind == PUNCT and toks[i + 1].text in (".", "?.")
            and toks[i + 2].kind == IDENT)
