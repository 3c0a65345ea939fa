"""A small JavaScript tokenizer: enough to find `brush.x` calls outside strings and comments, fast.

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

_MAIN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lc>//[^\n]*)
  | (?P<bc>/\*(?:[^*]|\*(?!/))*(?:\*/)?)
  | (?P<ident>(?:[^\W\d]|\$)[\w$]*)
  | (?P<num>\.?\d(?:[\w.]|(?<=[eE])[+-])*)
  | (?P<str>"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?)
  | (?P<punct>>>>=?|\.\.\.|===|!==|\*\*=|<<=|>>=|&&=|\|\|=|\?\?=|=>|\?\?|\?\.(?!\d)|[!=<>+\-*/%&|^]=
        |\+\+|--|&&|\|\||<<|>>|\*\*|[{}()\[\];,.:?~#@=<>+\-*/%&|^!\\])
  | (?P<other>[\s\S])
    """,
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


@dataclass
class Token:
    """One token: its kind, text and [start, end) offsets in the source."""

    kind: str
    text: str
    start: int
    end: int


@dataclass
class Scan:
    """Tokens of a source plus what was left open at its end."""

    source: str
    tokens: list[Token]
    open_brackets: list[tuple[str, int]] = field(default_factory=list)  # (char, offset) never closed
    mismatched: list[tuple[str, int]] = field(default_factory=list)     # closers with no opener
    unterminated: str | None = None  # "string", "template", "comment" or "regex" running into the end
    _newlines: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; columns count characters (code points)."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.source)]
        line = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - line_start + 1

    @property
    def balanced(self) -> bool:
        """True when every bracket is closed and nothing runs into the end."""
        return not self.open_brackets and not self.mismatched and self.unterminated is None


def scan(source: str) -> Scan:
    """Tokenize JavaScript source; never raises, whatever the input."""
    tokens: list[Token] = []
    out = Scan(source, tokens)
    stack: list[tuple[str, int]] = []
    pos, n = 0, len(source)
    prev: Token | None = None
    match_main, match_regex = _MAIN.match, _REGEX.match
    while pos < n:
        ch = source[pos]
        if ch == "`" or (ch == "}" and stack and stack[-1][0] == "${"):
            if ch == "}":
                stack.pop()
            pos, done = _template(source, pos + 1, tokens, stack, pos)
            if not done:
                out.unterminated = "template"
            prev = tokens[-1]
            continue
        if ch == "/" and _regex_allowed(prev):
            m = match_regex(source, pos)
            if m:
                prev = Token(REGEX, m.group(), pos, m.end())
                tokens.append(prev)
                pos = m.end()
                continue
        m = match_main(source, pos)
        kind, text, end = m.lastgroup, m.group(), m.end()
        pos = end
        if kind == "ws" or kind == "lc":
            continue
        if kind == "bc":
            if not text.endswith("*/") or len(text) < 4:
                out.unterminated = "comment"
            continue
        if kind == "str" and (len(text) < 2 or text[-1] != text[0]):
            if end >= n:
                out.unterminated = "string"
        elif kind == "punct":
            if text in _OPEN:
                stack.append((text, m.start()))
            elif text in _CLOSE:
                if stack and _OPEN.get(stack[-1][0]) == text:
                    stack.pop()
                else:
                    out.mismatched.append((text, m.start()))
        prev = Token(kind, text, m.start(), end)
        tokens.append(prev)
    out.open_brackets = stack
    return out


def _template(source: str, pos: int, tokens: list[Token], stack: list[tuple[str, int]], start: int) -> tuple[int, bool]:
    """Read a template chunk from pos; returns (next offset, closed-or-interpolating)."""
    m = _TEMPLATE_CHUNK.match(source, pos)
    end = m.end()
    if source.startswith("${", end):
        stack.append(("${", end))
        tokens.append(Token(TEMPLATE, source[start:end + 2], start, end + 2))
        return end + 2, True
    if end < len(source) and source[end] == "`":
        tokens.append(Token(TEMPLATE, source[start:end + 1], start, end + 1))
        return end + 1, True
    tokens.append(Token(TEMPLATE, source[start:end], start, end))
    return len(source), False


def _regex_allowed(prev: Token | None) -> bool:
    if prev is None:
        return True
    if prev.kind == PUNCT:
        return prev.text in _REGEX_AFTER_PUNCT
    return prev.kind == IDENT and prev.text in _REGEX_AFTER_WORD

