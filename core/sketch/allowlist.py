"""The short list of p5.brush methods a model is told to use, with why each one earns its place.

A short allowlist in the system prompt beat a 400-line API reference in the original project: the
model uses what it is shown, and eight methods are enough for a recognisable picture: scale the
brushes, pick a brush and colour, switch outlines off, set a watercolour fill, and draw lines,
circles, rectangles and free polygons. resources/prompts/allowlist.md says the same for humans.
"""
from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from core.sketch.api import PACKAGE, brush_api

# Ordered: the order a sketch usually calls them in. (name, why it is on the list)
ALLOWLIST_REASONS: tuple[tuple[str, str], ...] = (
    ("scaleBrushes", "without it the built-in brushes look far too thin on a 600-px canvas; one call in setup()"),
    ("set", "picks brush, colour and weight in one call and switches strokes on: the single most used method"),
    ("noStroke", "lets fills stand alone, for soft skies, water and shadows without pencil outlines"),
    ("fill", "the watercolour fill that makes p5.brush pictures look painted; colour masses read as objects"),
    ("line", "the simplest mark: stems, horizons, rays, grass, hair"),
    ("circle", "suns, heads, flowers, fruit, eyes: round things are in most subjects"),
    ("rect", "ground, sky bands, buildings, windows, frames"),
    ("polygon", "any free shape from a point list: mountains, roofs, leaves, boats"),
)
DEFAULT_ALLOWLIST: tuple[str, ...] = tuple(name for name, _ in ALLOWLIST_REASONS)
# Runners-up, left off to keep the list short: noFill, hatch, spline, arc, beginShape/vertex/endShape.

ALLOWLIST_DOC = Path(__file__).resolve().parents[2] / "resources" / "prompts" / "allowlist.md"

# Fallback one-liners for names whose README entry cannot be found.
_FALLBACK_SIGNATURES = {
    "scaleBrushes": ("brush.scaleBrushes(scale)", "Scales every registered brush's weight, scatter and spacing."),
    "set": ("brush.set(brushName, color, weight)", "Selects the current brush with a name, colour and weight."),
    "noStroke": ("brush.noStroke()", "Disables the stroke for subsequent drawing operations."),
    "fill": ("brush.fill(color, opacity)", "Sets the fill colour and opacity for subsequent shapes."),
    "line": ("brush.line(x1, y1, x2, y2)", "Draws a line from one point to another with the current brush."),
    "circle": ("brush.circle(x, y, radius)", "Draws a circle with the current stroke, fill and hatch settings."),
    "rect": ("brush.rect(x, y, w, h, mode)", "Draws a rectangle with the current stroke, fill and hatch settings."),
    "polygon": ("brush.polygon(pointsArray)", "Draws a polygon from an array of [x, y] points."),
}


class AllowlistError(ValueError):
    """An allowlist names methods the installed p5.brush does not have."""


def normalize_allowlist(names: Iterable[str], *, validate: bool = True) -> tuple[str, ...]:
    """Strip `brush.` prefixes and `()`, drop blanks and repeats; optionally insist every name exists."""
    out: list[str] = []
    for raw in names:
        name = raw.strip().removeprefix("brush.").removesuffix("()").strip()
        if name and name not in out:
            out.append(name)
    if validate:
        unknown = [n for n in out if n not in brush_api()]
        if unknown:
            raise AllowlistError(f"not in p5.brush's API: {', '.join(unknown)}")
    return tuple(out)


def parse_allow(text: str) -> tuple[str, ...]:
    """The CLI form `set,fill,line` (also `brush.set, brush.fill`) as a validated allowlist."""
    return normalize_allowlist(text.split(","))


def allowlist_from_toml(path: str | Path) -> tuple[str, ...]:
    """Read `allow = [...]` from the `[sketch]` table of a TOML file (or at top level)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    allow = data.get("sketch", {}).get("allow", data.get("allow"))
    if allow is None:
        raise AllowlistError(f"{path}: no `allow` list under [sketch]")
    return normalize_allowlist(allow)


def allowlist_prompt_block(allowlist: Iterable[str] = DEFAULT_ALLOWLIST) -> str:
    """One line per method, `- brush.set(brushName, color, weight): Selects ...`, for a system prompt."""
    docs = readme_signatures()
    lines = []
    for name in allowlist:
        signature, description = docs.get(name) or _FALLBACK_SIGNATURES.get(name, (f"brush.{name}(...)", ""))
        lines.append(f"- {signature}: {description}" if description else f"- {signature}")
    return "\n".join(lines)


# "- `brush.set(brushName, color, weight)`" then, on the next line, "  - **Description**: ...".
_ENTRY = re.compile(r"^\s*- (`brush\.(\w+)\([^`]*\)`[^\n]*)\n\s*- \*\*Description\*\*: ([^\n]+)", re.M)


@functools.lru_cache(maxsize=2)
def readme_signatures(readme: Path = PACKAGE / "README.md") -> dict[str, tuple[str, str]]:
    """name -> (signature, first sentence of its description), from the installed package's README."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for match in _ENTRY.finditer(text):
        signature, name, description = match.groups()
        signature = " or ".join(re.findall(r"`(brush\.[^`]*)`", signature))
        first = re.split(r"(?<=[.!?])\s", description.strip(), maxsplit=1)[0]
        found.setdefault(name, (signature, first.replace("**", "")))
    return found
