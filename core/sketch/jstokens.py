"""A small JavaScript tokenizer, the one in Brushwork: the checker's fallback scan, code extraction and
the editor's colouring (core.sketch.colouring) all read JavaScript through it.

Not a parser. It skips whitespace and comments, reads strings, template literals (with nested
`${...}`), regular-expression literals (decided by the previous token, as JS engines do), numbers,
identifiers and punctuators, and tracks bracket nesting so callers can tell code cut off mid-way.
A 200-line sketch scans in about a millisecond.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

IDENT, NUM, STR, TEMPLATE, REGEX, PUNCT = "ident", "num", "str", "template", "regex", "punct"

# Alternatives by frequency (identifiers, punctuators); numbers before `.`, comments before `slash`.
_MAIN = re.compile(
    r"""
    \s*(?:
    (?P<ident>(?:[^\W\d]|\$)[\w$]*)
  | (?P<num>\.?\d(?:[\w.]|(?<=[eE])[+-])*)
  | (?P<punct>>>>=?|\.\.\.|===|!==|\*\*=|<<=|>>=|&&=|\|\|=|\?\?=|=>|\?\?|\?\.(?!\d)|[!=<>+\-*%&|^]=
        |\+\+|--|&&|\|\||<<|>>|\*\*|[;,.:?~#@=<>+\-*%&|^!\\])
  | (?P<open>[({[])
  | (?P<close>[)\]}])
  | (?P<str>"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?)
  | (?P<lc>//[^\n]*)
  | (?P<bc>/\*(?:[^*]|\*(?!/))*(?:\*/)?)
  | (?P<slash>/=?)
  | (?P<tick>`)
  | (?P<other>[\s\S])
    )""",
    re.VERBOSE,
)
_TEMPLATE_CHUNK = re.compile(r"(?:[^`\\$]|\\[\s\S]|\$(?!\{))*")
_REGEX = re.compile(r"/(?![*/])(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[A-Za-z]*")
# After these a `/` starts a regular expression; after anything else it divides.
_REGEX_AFTER_PUNCT = frozenset("( , = : [ ! & | ? { } ; + - * % < > ~ ^ => == === != !== <= >= += -= *= /= "
                               "%= &= |= ^= && || ?? ... **".split())
_REGEX_AFTER_WORD = frozenset("return typeof instanceof in of new delete void throw case do else yield await".split())
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(")]}")


@dataclass(slots=True)
class Token:
    """One token: its kind, text and [start, end) offsets in the source."""

    kind: str
    text: str
    start: int
    end: int


class LineIndex:
    """Offset -> 1-based (line, column) with the numbering every room uses: lines end at "\n" only
    (a U+2028, U+2029 or lone "\r" does not start a line, whatever V8 and acorn count); columns
    count characters (code points)."""

    def __init__(self, source: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", source)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset."""
        line = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - line_start + 1


_JS_LINE_END = re.compile("\r\n|[\r\n\u2028\u2029]")


def from_js_position(source: str, line: int, column: int) -> tuple[int, int]:
    """A (line, column) as V8 or acorn report it (lines end at \\r, \\n, U+2028, U+2029; 1-based column
    in UTF-16 units) as the 1-based (line, column) of LineIndex. For the renderer's error positions."""
    start = 0
    for _ in range(max(line, 1) - 1):
        m = _JS_LINE_END.search(source, start)
        if m is None:
            break
        start = m.end()
    units, offset = max(column, 1) - 1, start
    while units > 0 and offset < len(source) and source[offset] not in "\r\n\u2028\u2029":
        units -= 2 if ord(source[offset]) > 0xFFFF else 1
        offset += 1
    return LineIndex(source).position(offset)


@dataclass
class Scan:
    """Tokens of a source plus what was left open at its end."""

    source: str
    tokens: list[Token]
    open_brackets: list[tuple[str, int]] = field(default_factory=list)  # (char, offset) never closed
    mismatched: list[tuple[str, int]] = field(default_factory=list)     # closers with no opener
    unterminated: str | None = None  # "string", "template" or "comment" running into the end
    block_comments: list[tuple[int, int]] = field(default_factory=list)  # [start, end) of each /* */
    line_comments: list[tuple[int, int]] = field(default_factory=list)  # [start, end) of each // ...
    _lines: LineIndex | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset (see LineIndex)."""
        if self._lines is None:
            self._lines = LineIndex(self.source)
        return self._lines.position(offset)

    @property
    def balanced(self) -> bool:
        """True when every bracket is closed and nothing runs into the end."""
        return not self.open_brackets and not self.mismatched and self.unterminated is None


def scan(source: str) -> Scan:
    """Tokenize JavaScript source; never raises, whatever the input."""
    tokens: list[Token] = []
    out = Scan(source, tokens)
    stack: list[tuple[str, int]] = []
    append = tokens.append
    pos, n = 0, len(source)
    # One finditer runs until a template literal or a regular expression moves the position by hand.
    while pos < n:
        jumped = False
        for m in _MAIN.finditer(source, pos):
            kind = m.lastgroup
            start, end = m.span(kind)
            if kind == "ident" or kind == "punct" or kind == "num":  # the common case first
                append(Token(kind, source[start:end], start, end))
            elif kind == "open":
                stack.append((source[start], start))
                append(Token(PUNCT, source[start], start, end))
            elif kind == "close":
                text = source[start]
                if text == "}" and stack and stack[-1][0] == "${":
                    stack.pop()
                    pos, jumped = _template(source, start + 1, start, tokens, stack, out), True
                    break
                if stack and _OPEN.get(stack[-1][0]) == text:
                    stack.pop()
                else:
                    out.mismatched.append((text, start))
                append(Token(PUNCT, text, start, end))
            elif kind == "str":
                text = source[start:end]
                if (len(text) < 2 or text[-1] != text[0]) and end >= n:
                    out.unterminated = "string"
                append(Token(STR, text, start, end))
            elif kind == "slash":
                if _regex_allowed(tokens[-1] if tokens else None):
                    r = _REGEX.match(source, start)
                    if r:
                        append(Token(REGEX, r.group(), start, r.end()))
                        pos, jumped = r.end(), True
                        break
                append(Token(PUNCT, source[start:end], start, end))
            elif kind == "tick":
                pos, jumped = _template(source, start + 1, start, tokens, stack, out), True
                break
            elif kind == "lc":
                out.line_comments.append((start, end))
            elif kind == "bc":
                out.block_comments.append((start, end))
                if end - start < 4 or not source.endswith("*/", 0, end):
                    out.unterminated = "comment"
            elif kind == "other" and not source[start].isspace():
                append(Token(kind, source[start:end], start, end))
        if not jumped:
            break
    out.open_brackets = stack
    return out


def _template(source: str, pos: int, start: int, tokens: list[Token], stack: list[tuple[str, int]],
              out: Scan) -> int:
    """Read a template chunk from pos (just after ` or }); returns the offset to go on from."""
    end = _TEMPLATE_CHUNK.match(source, pos).end()
    if source.startswith("${", end):
        stack.append(("${", end))
        tokens.append(Token(TEMPLATE, source[start:end + 2], start, end + 2))
        return end + 2
    if end < len(source) and source[end] == "`":
        tokens.append(Token(TEMPLATE, source[start:end + 1], start, end + 1))
        return end + 1
    tokens.append(Token(TEMPLATE, source[start:end], start, end))
    out.unterminated = "template"
    return len(source)


def _regex_allowed(prev: Token | None) -> bool:
    if prev is None:
        return True
    if prev.kind == PUNCT:
        return prev.text in _REGEX_AFTER_PUNCT
    return prev.kind == IDENT and prev.text in _REGEX_AFTER_WORD

