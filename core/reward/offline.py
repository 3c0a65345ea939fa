"""Offline components: need no model and no network. Each is `fn(rollout, ctx) -> float | None`.

They are built not to be won by the obvious cheats (tests/reward/cheats/): brush calls are counted
as distinct methods, not repetitions; colour counts only where something is painted; coverage is
a band, not "more is better"; detail is measured on shapes (a quarter resolution), not grain.
"""
from __future__ import annotations

import math
import re

from core.pool.colour import _PROTO_GROUP, _PROTO_LAB, NEIGHBOURS, prompt_colour
from core.reward.context import ComponentContext
from core.reward.imagestats import ImageStats, image_stats, painted_share
from core.reward.registry import register_component
from core.reward.types import Rollout
from core.sketch.check import CheckReport, check

# Render failures that are the machine's doing say nothing about the sketch: not measured.
MACHINE_FAILURES = frozenset({"browser"})
MIN_FIGURE_SHARE = 0.005  # less than this differs from the paper: a blank canvas


def sketch_check(rollout: Rollout, ctx: ComponentContext) -> CheckReport:
    """The rollout's static check, made once per rollout when the caller did not supply it."""
    return rollout.check or ctx.memo("check", lambda: check(rollout.code))


def stats_of(rollout: Rollout, ctx: ComponentContext) -> ImageStats | None:
    """Image statistics of the render, or None when there is no image."""
    png = rollout.png
    return None if png is None else ctx.memo("image_stats", lambda: image_stats(png))


def brush_methods(rollout: Rollout, ctx: ComponentContext) -> set[str] | None:
    """Distinct brush methods called: recorded at run time by the harness, else the static calls."""
    render = rollout.render
    runtime = getattr(render, "brush_calls", None) if render is not None else None
    if runtime is not None:
        return {name for name, count in runtime.items() if count > 0}
    if not rollout.code:
        return set()
    ctx.note("brush calls counted statically (run-time counts not measured by this renderer)")
    return {c.name for c in sketch_check(rollout, ctx).brush_calls if c.called}


@register_component("structure", help="gate: parses, uses brush, creates a canvas, several distinct brush methods, non-blank render")
def structure(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """1 when every structural check passes, 0 when one fails, None when the render is not measured."""
    report = sketch_check(rollout, ctx)
    min_methods = int(ctx.params.get("min_methods", 3))
    methods = brush_methods(rollout, ctx) or set()
    fails = []
    if not rollout.code.strip():
        fails.append("no code")
    if report.syntax_error is not None:
        fails.append(f"does not parse ({report.syntax_error.message})")
    if not report.uses_brush:
        fails.append("never uses brush")
    if not report.creates_canvas:
        fails.append("creates no canvas")
    if len(methods) < min_methods:
        fails.append(f"{len(methods)} distinct brush methods called (needs {min_methods})")
    render = rollout.render
    if render is not None and not render.ok:
        kind = render.error.kind if render.error else "unknown"
        if kind in MACHINE_FAILURES:
            ctx.note(f"structure: render failed for the machine's reasons ({kind}), not scored")
        elif kind == "timeout" and not ctx.params.get("timeout_is_failure", True):
            ctx.note("structure: render timed out (counted as not measured)")
        else:
            fails.append(f"render failed: {kind}")
    png = rollout.png
    share = ctx.memo("painted_share", lambda: painted_share(png)) if png is not None else None
    if share is not None and share < MIN_FIGURE_SHARE:
        fails.append("blank: nothing differs from the paper")
    if fails:
        ctx.note("structure gate closed: " + "; ".join(fails))
        return 0.0
    if share is None:
        return None
    return 1.0


def _tokens(rollout: Rollout, ctx: ComponentContext) -> int:
    return sketch_check(rollout, ctx).tokens


@register_component("length_binary", help="1 when the sketch has at least min_tokens tokens")
def length_binary(rollout: Rollout, ctx: ComponentContext) -> float:
    """Binary length check (the second rubric's): a floor against tiny degenerate sketches."""
    return 1.0 if _tokens(rollout, ctx) >= int(ctx.params.get("min_tokens", 300)) else 0.0


@register_component("length_ramp", help="tokens / target_tokens, capped at 1 (the first rubric's ramp)")
def length_ramp(rollout: Rollout, ctx: ComponentContext) -> float:
    """The original length ramp to ~3,000 tokens (it saturates early: kept to reproduce that)."""
    return min(1.0, _tokens(rollout, ctx) / float(ctx.params.get("target_tokens", 3000)))


@register_component("brush_variety", help="distinct brush methods called, out of `target`")
def brush_variety(rollout: Rollout, ctx: ComponentContext) -> float:
    """How many different brush methods the sketch really calls; a loop of one call counts once."""
    return min(1.0, len(brush_methods(rollout, ctx) or ()) / float(ctx.params.get("target", 8)))


def _colour_match(lab: tuple[float, float, float], group: str) -> float:
    # Distance to the nearest prototype of the named group: 1 within ΔE 10, 0 beyond ΔE 50.
    protos = _PROTO_LAB[_PROTO_GROUP == group]
    delta = min(math.dist(lab, tuple(p)) for p in protos) if len(protos) else 100.0
    return min(1.0, max(0.0, 1.0 - (delta - 10.0) / 40.0))


@register_component("colour_adherence", help="the painted colours against the prompt's colour word, in Lab")
def colour_adherence(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Max of two Lab readings: the dominant painted colour's distance to the prompt's colour, and the share
    of the coloured paint in that colour group (neighbouring hues count half: thin watercolour red reads as
    salmon), full at `full_share`."""
    group = prompt_colour(rollout.prompt)
    if group is None:
        ctx.note("colour_adherence: the prompt names no colour")
        return None
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    if stats.figure_share < MIN_FIGURE_SHARE or not stats.group_shares:
        return 0.0  # nothing painted on the ground: a flooded canvas has no colour of its own
    shares = stats.group_shares
    if group == "neutral":
        return min(1.0, shares.get("neutral", 0.0) / 0.5)
    chromatic = {g: v for g, v in shares.items() if g != "neutral"}
    dominant = max(chromatic, key=chromatic.get) if chromatic else None
    dominant_match = _colour_match(stats.group_labs[dominant], group) if dominant else 0.0
    # Shares of the coloured paint only: a thin pencil line's anti-aliased rim reads grey, not a colour choice.
    coloured = sum(chromatic.values()) or 1.0
    share = (chromatic.get(group, 0.0) + 0.5 * sum(chromatic.get(g, 0.0) for g in NEIGHBOURS[group])) / coloured
    return max(dominant_match, min(1.0, share / float(ctx.params.get("full_share", 0.2))))


def _band(x: float, zero_lo: float, lo: float, hi: float, zero_hi: float) -> float:
    if x <= zero_lo or x >= zero_hi:
        return 0.0
    if x < lo:
        return (x - zero_lo) / (lo - zero_lo)
    if x > hi:
        return (zero_hi - x) / (zero_hi - hi)
    return 1.0


@register_component("coverage", help="share of the canvas painted: 1 inside a band, 0 for blank or flooded")
def coverage(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Painted share of the canvas, scored as a band (neither an empty page nor a flood)."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    p = ctx.params
    return _band(stats.figure_share, p.get("zero_below", 0.003), p.get("low", 0.015), p.get("high", 0.8),
                 p.get("zero_above", 0.99))


@register_component("detail", help="total length of edges drawn (128-px copy), in canvas widths, out of `target`")
def detail(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """How much is drawn: a lone disc has ~0.3-0.7 canvas widths of edges, a simple subject 1-2, a painting more."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    return min(1.0, stats.edge_length / float(ctx.params.get("target", 1.5)))


@register_component("palette", help="colour groups and tonal range of the painted figure")
def palette(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Half for several colour groups (≥ 5 % each), half for a light-to-dark range: one flat blob scores low."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    groups = sum(1 for s in stats.group_shares.values() if s >= 0.05)
    tonal = min(1.0, stats.tonal_range / float(ctx.params.get("tonal_target", 45.0)))
    return 0.5 * min(1.0, max(0, groups - 1) / 2.0) + 0.5 * tonal


# Place words of a prompt → where the figure's centre belongs, 0..1 (x across, y down).
_SIDES = {"left": ("x", 0.25), "right": ("x", 0.75), "top": ("y", 0.25), "upper": ("y", 0.25),
          "bottom": ("y", 0.75), "lower": ("y", 0.75)}
_CENTRE_WORDS = frozenset({"centre", "center", "middle", "centred", "centered"})
_WORD = re.compile(r"[a-z]+")


def prompt_place(prompt: str | None) -> tuple[tuple[float, float], bool]:
    """Target centre the prompt asks for ("a boat on the left" → (0.25, 0.5)) and whether it named a place."""
    target = {"x": 0.5, "y": 0.5}
    named = False
    for word in _WORD.findall((prompt or "").lower()):
        if word in _SIDES:
            axis, value = _SIDES[word]
            target[axis] = value
            named = True
        elif word in _CENTRE_WORDS:
            named = True
    return (target["x"], target["y"]), named


@register_component("composition", help="figure placed where the prompt says (else centred), margins, uneven spread")
def composition(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Mean of three layout checks: the figure's centre at the prompt's place (left/right/top/bottom/centre,
    the middle when it names none), free margins, not spread evenly. A named place counts four times."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    if stats.centroid is None or stats.figure_share < MIN_FIGURE_SHARE:
        return 0.0
    (tx, ty), named = prompt_place(rollout.prompt)
    cx, cy = stats.centroid
    placed = max(0.0, 1.0 - 2.5 * max(abs(cx - tx), abs(cy - ty)))
    margins = 1.0 - stats.border_touch
    cells = stats.grid_shares
    mean = sum(cells) / len(cells)
    spread = math.sqrt(sum((c - mean) ** 2 for c in cells) / len(cells)) / mean if mean > 0 else 0.0
    uneven = min(1.0, spread / 0.6)  # an even wash or noise everywhere has none
    return ((4.0 if named else 1.0) * placed + margins + uneven) / (6.0 if named else 3.0)


@register_component("compiles", help="1 when the code parses and the render raised no syntax error")
def compiles(rollout: Rollout, ctx: ComponentContext) -> float:
    """The first rubric's compile signal."""
    render_syntax = rollout.render is not None and rollout.render.error is not None and rollout.render.error.kind == "syntax"
    return 0.0 if sketch_check(rollout, ctx).syntax_error is not None or render_syntax else 1.0


@register_component("uses_brush", help="1 when the code calls p5.brush at all")
def uses_brush(rollout: Rollout, ctx: ComponentContext) -> float:
    """The first rubric's brush-use signal."""
    return 1.0 if sketch_check(rollout, ctx).uses_brush else 0.0


def _ramp(x: float, zero: float, full: float) -> float:
    return min(1.0, max(0.0, (x - zero) / (full - zero)))


@register_component("substance", help="soft gate: something is really drawn, not a lone line or one flat blob")
def substance(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Product of three readings of the 128-px layout copy, each a ramp to 1: edge length (canvas widths,
    `min_widths`), thickness across the narrowest axis (a lone line has none: `min_thickness`), and
    complexity, the edge length over the root of the painted share (a lone disc reads ~1.1 at any size,
    a drawing of several parts more: zero at `blob`, full at `min_complexity`). Small subjects pass: none
    of the three grows with the size of the figure."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    p = ctx.params
    edges = min(1.0, stats.edge_length / float(p.get("min_widths", 0.25)))
    thick = min(1.0, stats.thickness / float(p.get("min_thickness", 0.02)))
    parts = _ramp(stats.complexity, float(p.get("blob", 1.15)), float(p.get("min_complexity", 2.0)))
    return edges * thick * parts
