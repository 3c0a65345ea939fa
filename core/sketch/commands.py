"""`brushwork check FILE`: static report on a sketch (.js) or on raw model output (.txt/.md: extracted first).

Exit codes: 0 clean (uses brush, no unknown API, no print dialog, no syntax error, not cut off, nothing
the checker cannot follow), 1 problems, 2 unreadable input or bad options. Code made at run time (eval,
Function, string timers, import(), script elements) and brush escaping where the parse cannot follow it
(`brush[name]()`, spreads, Proxy, Reflect, getters, `with`, ...) are problems that say "cannot check".
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from core.sketch.allowlist import DEFAULT_ALLOWLIST, AllowlistError, allowlist_from_toml, parse_allow
from core.sketch.check import CheckReport, check
from core.sketch.errors import UnreadableInput
from core.sketch.extract import Extracted, extract_code
from core.sketch.files import read_sketch_text
from core.sketch.tokens import load_tokenizer

CODE_SUFFIXES = frozenset({".js", ".mjs", ".cjs"})


def register(sub: argparse._SubParsersAction) -> None:
    """Add `check` to the `brushwork` command line."""
    p = sub.add_parser("check", help="check a sketch or raw model output for p5.brush problems",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="a .js sketch, or model output (.txt/.md/other: code is extracted first); - for stdin")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--allow", metavar="a,b,...", help="comma-separated brush methods allowed (default: the 8 in the prompt)")
    p.add_argument("--config", metavar="TOML", help="read the allowlist from `allow = [...]` under [sketch]")
    p.add_argument("--tokenizer", metavar="PATH", help="tokenizer.json or tokenizer folder for an exact token count")
    p.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """The `check` command."""
    try:
        text = read_sketch_text(args.file)
        allowlist = _allowlist(args)
        tokenizer = load_tokenizer(args.tokenizer) if args.tokenizer else None
    except (UnreadableInput, AllowlistError) as e:
        print(f"brushwork check: {args.file}: {e}" if isinstance(e, UnreadableInput) else f"brushwork check: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:  # tokenizer or TOML that would not load
        print(f"brushwork check: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    extracted = None if Path(args.file).suffix.lower() in CODE_SUFFIXES else extract_code(text)
    code = text if extracted is None else extracted.code
    report = check(code, allowlist, tokenizer)
    problems = report.problems() + (["the model output was cut off (truncated)"] if extracted and extracted.truncated else [])
    if args.json:
        data = {"file": args.file, "clean": not problems, "problems": problems, "allowlist": list(allowlist),
                "extracted": extracted.to_dict() if extracted else None, "report": report.to_dict()}
        print(json.dumps(data, indent=2))
    else:
        print(format_report(args.file, report, extracted, problems, allowlist))
    return 1 if problems else 0


def _allowlist(args: argparse.Namespace) -> tuple[str, ...]:
    if args.allow:
        return parse_allow(args.allow)
    if args.config:
        return allowlist_from_toml(args.config)
    return DEFAULT_ALLOWLIST


def format_report(name: str, report: CheckReport, extracted: Extracted | None, problems: list[str],
                  allowlist: tuple[str, ...]) -> str:
    """The human-readable report."""
    out = [f"{name}: {'clean' if not problems else f'{len(problems)} problem(s)'}"]
    if extracted is not None:
        how = f"fenced ```{extracted.language or ''}" if extracted.fenced else "unfenced"
        cut = ", TRUNCATED" if extracted.truncated else ""
        out.append(f"  extracted: {how}, {extracted.blocks} block(s){cut}")
        out += [f"    note: {n}" for n in extracted.notes]
    counts = Counter(c.name for c in report.brush_calls)
    listed = ", ".join(f"{n} x{k}" for n, k in counts.most_common())
    out.append(f"  brush calls: {len(report.brush_calls)}" + (f" ({listed})" if listed else ""))
    flags = {"setup": report.has_setup, "draw": report.has_draw, "createCanvas": report.creates_canvas,
             "WEBGL": report.webgl}
    out.append("  structure: " + "  ".join(f"{k} {'yes' if v else 'NO'}" for k, v in flags.items()))
    out.append(f"  tokens: {report.tokens} ({report.token_method}), lines: {report.lines}")
    if report.syntax_error:
        out.append(f"  syntax: {report.syntax_error}")
    else:
        out.append("  syntax: ok" if report.syntax_checked else "  syntax: not checked")
    out.append(f"  brush references read by: {'a full parse (acorn)' if report.parser == 'acorn' else 'the token scan'}")
    for call in report.unknown_apis:
        out.append(f"  unknown API: brush.{call.name} at {call.line}:{call.column} (not in the installed p5.brush)")
    where: dict[str, list[str]] = {}
    for call in report.allowlist_violations:
        where.setdefault(call.name, []).append(f"{call.line}:{call.column}")
    for method, places in where.items():
        out.append(f"  off the allowlist: brush.{method} at {', '.join(places)}")
    if where:
        out.append(f"    allowed: {', '.join(allowlist)}")
    out += [f"  warning: line {w.line}:{w.column}: {w.message}" for w in report.warnings]
    out += [f"  note: {n}" for n in report.notes]
    out += [f"  problem: {p}" for p in problems]
    return "\n".join(out)
