"""The editor's static-check line: brush ✓/✗, unknown APIs and allowlist violations marked in the code, and
the places the checker cannot follow (dotted blue: a blind spot, not an error)."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from studio.ops.sketches import check_code
from studio.widgets.code_editor import CodeMark

__all__ = ["CheckView", "check_code", "describe"]


@dataclass(frozen=True)
class CheckView:
    """What the editor shows for a CheckReport: one summary line (HTML) and marks in the code."""

    summary_html: str
    marks: list[CodeMark]
    report: Any  # core.sketch.CheckReport
    tooltip: str = ""  # explains the amber allowlist part and the blue cannot-check part where they show


ALLOWLIST_WHY = ("The allowlist (resources/prompts/allowlist.md) is the 8 brush methods the model is taught to "
                 "use; it flags model-written sketches that stray from it. Sketches a person writes may use any "
                 "p5.brush method (File › Check the allowlist for every sketch).")


CANNOT_CHECK_WHY = ("Cannot check: the static checker cannot follow this code (a name made at run time, brush "
                    "reached indirectly), so brush calls made through it are not checked against p5.brush or the "
                    "allowlist. Not an error: the sketch still runs, and the render counts what it really draws.")


def _span(call: Any, why: str, severity: str = "error") -> CodeMark:
    # core columns are 1-based with an exclusive end; the editor's are 0-based.
    return CodeMark(call.line, call.column - 1, call.end_column - 1, why, severity)


def describe(report: Any, allowlist: bool = True) -> CheckView:
    """Turn a CheckReport into the summary line and underline marks (allowlist ones only if `allowlist`)."""
    ok, bad, warn, unchecked = "#2e9d48", "#d64541", "#c77c02", "#2a6fdb"
    parts = [f'<span style="color:{ok}">brush ✓</span>' if report.uses_brush
             else f'<span style="color:{bad}">brush ✗</span>']
    marks: list[CodeMark] = []
    for call in report.unknown_apis:
        marks.append(_span(call, f"brush.{call.name} does not exist in the installed p5.brush"))
    off_list = list(report.allowlist_violations) if allowlist else []
    for call in off_list:
        marks.append(_span(call, f"brush.{call.name} is not on the model's 8-method allowlist. " + ALLOWLIST_WHY,
                           "warning"))
    blind = list(getattr(report, "cannot_check", []))
    for found in blind:
        marks.append(_span(found, f"{found.message}\n\n{CANNOT_CHECK_WHY}", "unchecked"))
    if report.unknown_apis:
        names = ", ".join(sorted({f"brush.{c.name}" for c in report.unknown_apis}))
        parts.append(f'<span style="color:{bad}">unknown: {escape(names)}</span>')
    if off_list:
        names = ", ".join(sorted({f"brush.{c.name}" for c in off_list}))
        parts.append(f'<span style="color:{warn}">off the model allowlist: {escape(names)}</span>')
    err = report.syntax_error
    if err is not None:
        where = f"line {err.line}: " if err.line else ""
        parts.append(f'<span style="color:{bad}">syntax: {escape(where + err.message)}</span>')
        if err.line:
            col = max((err.column or 1) - 1, 0)
            marks.append(CodeMark(err.line, col, col + 1, err.message))
    else:
        structure = [name for name, has in (("setup()", report.has_setup), ("createCanvas", report.creates_canvas))
                     if not has]
        if structure:
            parts.append(f'<span style="color:{warn}">missing {", ".join(structure)}</span>')
    if blind:
        places = f"{len(blind)} place{'s' if len(blind) != 1 else ''}"
        parts.append(f'<span style="color:{unchecked}">cannot check {places}</span>')
    parts.append(f"{report.tokens} tokens")
    tooltip = "\n\n".join(why for why, shown in ((ALLOWLIST_WHY, off_list), (CANNOT_CHECK_WHY, blind)) if shown)
    return CheckView(" · ".join(parts), marks, report, tooltip)
