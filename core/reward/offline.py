"""Offline components: need no model and no network. Each is `fn(rollout, ctx) -> float | None`.

They are built not to be won by the cheats in tests/reward/cheats/: brush use is read from what the
render *drew* (`render.brush_calls`: drawing primitives only, setters are `render.brush_state`), never
from the source text; colour is the share of *all* paint, neutrals included; length is counted on the
code without its comments; coverage is a band, not "more is better"; detail is measured on shapes (a
quarter resolution), not grain. Craft (core/reward/craft.py) and the subject recogniser
(core/reward/subject/) are registered beside these.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable

from scipy import ndimage

from core.pool.colour import NEIGHBOURS, prompt_colour
from core.render.types import MACHINE_KINDS
from core.reward.context import ComponentContext
from core.reward.craft import craft_stats
from core.reward.imagestats import (
    ImageStats,
    colour_lab,
    flat_paint_share,
    image_stats,
    layout_lab,
    painted_share,
)
from core.reward.outline import Part
from core.reward.registry import register_component
from core.reward.subject.evidence import evidence_mask
from core.reward.subject.features import ink_map, input_of
from core.reward.subject.inference import probabilities
from core.reward.subject.model import NoRecogniser
from core.reward.subject.model import load as load_recogniser
from core.reward.subject.model import read_meta as read_recogniser_meta
from core.reward.subject.vocabulary import SUBJECT_WORDS, subject_of
from core.reward.types import Rollout
from core.sketch.check import CheckReport, check
from core.sketch.jstokens import scan
from core.sketch.tokens import count_tokens

MIN_FIGURE_SHARE = 0.005  # less than this differs from the paper: a blank canvas
# A tokenizer (anything core.sketch.tokens.count_tokens takes) for the run, put in RunContext.shared by
# whoever calls Rubric.score with one (the trainer hands its own); a preset may name one in params.
TOKENIZER_KEY = "tokenizer"


def sketch_check(rollout: Rollout, ctx: ComponentContext) -> CheckReport:
    """The rollout's static check, made once per rollout when the caller did not supply it."""
    return rollout.check or ctx.memo("check", lambda: check(rollout.code))


def stats_of(rollout: Rollout, ctx: ComponentContext) -> ImageStats | None:
    """Image statistics of the render, or None when there is no image."""
    png = rollout.png
    return None if png is None else ctx.memo(
        "image_stats", lambda: image_stats(png, _colour_lab(png, ctx), _layout(png, ctx)))


def _layout(png: bytes, ctx: ComponentContext):  # noqa: ANN202 (np.ndarray)
    """The render's 128-px Lab copy, decoded once per rollout for craft and the subject recogniser."""
    return ctx.memo("layout_lab", lambda: layout_lab(png))


def _colour_lab(png: bytes, ctx: ComponentContext):  # noqa: ANN202 (np.ndarray)
    """The render's Lab copy colour is read on (up to 512 px), decoded once per rollout."""
    return ctx.memo("colour_lab", lambda: colour_lab(png))


def drawn_primitives(rollout: Rollout) -> dict[str, int] | None:
    """Drawing primitives the render saw draw (`render.brush_calls`; setters are counted apart in
    `brush_state`), with their counts; None when the render measured none (no render, a page that never
    reached the capture, a cache entry stored without counts)."""
    render = rollout.render
    counts = render.brush_calls if render is not None else None
    if counts is None:
        return None
    return {name: n for name, n in counts.items() if n > 0}


@register_component("structure", render_counts=True, help="gate: parses, creates a canvas, draws with at least `min_methods` distinct brush primitives, non-blank")
def structure(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """1 when every structural check passes, 0 when one fails, None when the render or its brush counts
    were not measured (and nothing else already failed)."""
    report = sketch_check(rollout, ctx)
    min_methods = int(ctx.params.get("min_methods", 1))
    fails = []
    if not rollout.code.strip():
        fails.append("no code")
    if report.syntax_error is not None:
        fails.append(f"does not parse ({report.syntax_error.message})")
    if not report.uses_brush:  # a source that never names brush cannot have drawn with it
        fails.append("never uses brush")
    if not report.creates_canvas:
        fails.append("creates no canvas")
    render = rollout.render
    unmeasured = render is None
    if render is not None and not render.ok:
        kind = render.error.kind if render.error else "unknown"
        if kind in MACHINE_KINDS:
            ctx.note(f"structure: render failed for the machine's reasons ({kind}), not scored")
            unmeasured = True
        elif kind == "timeout" and not ctx.params.get("timeout_is_failure", True):
            ctx.note("structure: render timed out (counted as not measured)")
            unmeasured = True
        else:
            fails.append(f"render failed: {kind}")
    drawn = drawn_primitives(rollout) if render is not None and render.ok else None
    if render is not None and render.ok and drawn is None:
        ctx.note("structure: the render carries no brush counts (not measured)")
        unmeasured = True
    elif drawn is not None and len(drawn) < min_methods:
        fails.append(f"{len(drawn)} distinct brush primitives drew (needs {min_methods})")
    png = rollout.png
    share = ctx.memo("painted_share", lambda: painted_share(png)) if png is not None else None
    if share is not None and share < MIN_FIGURE_SHARE:
        fails.append("blank: nothing differs from the paper")
    if fails:
        ctx.note("structure gate closed: " + "; ".join(fails))
        return 0.0
    return None if unmeasured or share is None else 1.0


def code_without_comments(code: str) -> str:
    """The sketch with its `//` and `/* */` comments removed (a block comment leaves a space)."""
    result = scan(code)
    spans = sorted([(a, b, "") for a, b in result.line_comments] + [(a, b, " ") for a, b in result.block_comments])
    parts, pos = [], 0
    for start, end, filler in spans:
        parts.append(code[pos:start])
        parts.append(filler)
        pos = end
    parts.append(code[pos:])
    return "".join(parts)


def code_tokens(rollout: Rollout, ctx: ComponentContext) -> int:
    """Tokens of the code without comments: by the run's tokenizer (RunContext.shared["tokenizer"], else a
    `tokenizer` path in params), else the approximate count of core.sketch.tokens (regex pieces x 1.02,
    within ~4 % of byte-level BPEs on p5.brush sketches), with a note saying so."""
    def count() -> int:
        tokenizer = ctx.run.shared.get(TOKENIZER_KEY) or ctx.params.get("tokenizer")
        tokens, method = count_tokens(code_without_comments(rollout.code), tokenizer)
        if method == "approx":
            ctx.note("length: approximate token count (no tokenizer given), comments removed")
        return tokens
    return ctx.memo("code_tokens", count)


@register_component("length_binary", help="1 when the code has at least min_tokens tokens, comments removed")
def length_binary(rollout: Rollout, ctx: ComponentContext) -> float:
    """Binary length check (the second rubric's): a floor against tiny degenerate sketches."""
    return 1.0 if code_tokens(rollout, ctx) >= int(ctx.params.get("min_tokens", 300)) else 0.0


@register_component("length_ramp", help="tokens / target_tokens, capped at 1 (the first rubric's ramp)")
def length_ramp(rollout: Rollout, ctx: ComponentContext) -> float:
    """The original length ramp to ~3,000 tokens (it saturates early: kept to reproduce that)."""
    return min(1.0, code_tokens(rollout, ctx) / float(ctx.params.get("target_tokens", 3000)))


@register_component("brush_variety", render_counts=True, help="distinct brush primitives that drew, out of `target`")
def brush_variety(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """How many different drawing primitives really drew; a loop of one call counts once, setters not at all."""
    drawn = drawn_primitives(rollout)
    if drawn is None:
        return None
    return min(1.0, len(drawn) / float(ctx.params.get("target", 3)))


@register_component("colour_adherence", help="share of all the paint (neutrals included) in the prompt's colour, in Lab")
def colour_adherence(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """The prompt colour's share of all the paint, each pixel weighted by its distance from the paper and
    neutrals included (a grey pencil house with one peach dab is a grey painting); neighbouring hues count
    half (thin watercolour red reads as salmon). Full at `full_share`: a red apple drawn with a green leaf
    is not a green apple, while a field of red poppies under a sky still is a red-poppy painting.
    With `region = "subject"` (see `regional`), the colour where the recogniser finds the subject counts,
    full at `subject_full_share` of the subject's paint: a green apple beside a red swatch, or a red apple
    hatched over in blue and yellow, is not a red apple."""
    group = prompt_colour(rollout.prompt)
    if group is None:
        ctx.note("colour_adherence: the prompt names no colour")
        return None
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    if stats.figure_share < MIN_FIGURE_SHARE or not stats.ink_shares:
        return 0.0  # nothing painted on the ground: a flooded canvas has no colour of its own
    full = float(ctx.params.get("full_share", 0.3))
    inside_full = float(ctx.params.get("subject_full_share", full))

    def value(s: ImageStats, inside: bool) -> float:
        share = s.ink_shares.get(group, 0.0) + 0.5 * sum(s.ink_shares.get(g, 0.0) for g in NEIGHBOURS[group])
        return min(1.0, share / (inside_full if inside else full))
    return regional(rollout, ctx, stats, value)


def _band(x: float, zero_lo: float, lo: float, hi: float, zero_hi: float) -> float:
    if x <= zero_lo or x >= zero_hi:
        return 0.0
    if x < lo:
        return (x - zero_lo) / (lo - zero_lo)
    if x > hi:
        return (zero_hi - x) / (zero_hi - hi)
    return 1.0


# Words for a setting that fills the page: a prompt "in a summer field" or "a seascape" asks for ground,
# sky or water across the picture, not a motif on bare paper.
SCENE_WORDS = frozenset({"field", "fields", "meadow", "landscape", "seascape", "sea", "ocean", "sky", "lake",
                         "lakeside", "river", "village", "city", "skyline", "garden", "forest", "woods", "hills",
                         "valley", "beach", "harbour", "harbor", "desert", "countryside"})


def names_scene(prompt: str | None) -> bool:
    """True when the prompt names a setting that fills the page ("poppies in a summer field")."""
    return any(word in SCENE_WORDS for word in _WORD.findall((prompt or "").lower()))


@register_component("coverage", help="share of the canvas painted: 1 inside a band (higher for a scene), 0 for blank or flooded")
def coverage(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Painted share of the canvas, scored as a band (neither an empty page nor a flood). When the prompt
    names a setting (field, landscape, sky, ...) the band starts at `scene_low`: a motif on bare paper is
    not a poppy field."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    p = ctx.params
    zero_lo, lo = float(p.get("zero_below", 0.003)), float(p.get("low", 0.015))
    if names_scene(rollout.prompt):
        zero_lo, lo = float(p.get("scene_zero_below", 0.1)), float(p.get("scene_low", 0.5))
    return _band(stats.figure_share, zero_lo, lo, p.get("high", 0.8), p.get("zero_above", 0.99))


@register_component("detail", help="total length of edges drawn (128-px copy), in canvas widths, out of `target` (`scene_target` for a scene)")
def detail(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """How much is drawn: a lone disc has ~0.3-0.7 canvas widths of edges, a simple subject 1-2, a painting more;
    a prompt naming a setting (a field, a seascape) asks for more (the starters' scenes draw 3-27)."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    target = float(ctx.params.get("scene_target" if names_scene(rollout.prompt) else "target", 1.5))
    return regional(rollout, ctx, stats, lambda s, _: min(1.0, s.edge_length / target))


@register_component("palette", help="colour groups and tonal range of the painted figure")
def palette(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Half for several colour groups (≥ 5 % each), half for a light-to-dark range: one flat blob scores low."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    tonal_target = float(ctx.params.get("tonal_target", 45.0))

    def value(s: ImageStats, _inside: bool) -> float:
        groups = sum(1 for share in s.group_shares.values() if share >= 0.05)
        return 0.5 * min(1.0, max(0, groups - 1) / 2.0) + 0.5 * min(1.0, s.tonal_range / tonal_target)
    return regional(rollout, ctx, stats, value)


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
    the middle when it names none; a named place counts four times); free margins, asked less the more of
    the page the painting covers (a landscape is full-bleed by design); and an uneven page, by where the
    paint lies or by how the colours differ across it (a sky over a field), not an even wash or texture."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    if stats.centroid is None or stats.figure_share < MIN_FIGURE_SHARE:
        return 0.0
    (tx, ty), named = prompt_place(rollout.prompt)
    cx, cy = stats.centroid
    placed = max(0.0, 1.0 - 2.5 * max(abs(cx - tx), abs(cy - ty)))
    full_bleed = _ramp(stats.figure_share, 0.4, 0.8)
    margins = 1.0 - stats.border_touch * (1.0 - full_bleed)
    cells = stats.grid_shares
    mean = sum(cells) / len(cells)
    spread = math.sqrt(sum((c - mean) ** 2 for c in cells) / len(cells)) / mean if mean > 0 else 0.0
    uneven = max(min(1.0, spread / 0.6), min(1.0, stats.colour_spread / float(ctx.params.get("colour_spread", 12.0))))
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
    `min_widths`), thickness across the narrowest axis (a lone line has none: `min_thickness`), and parts.
    Parts are read two ways and the better counts: complexity, the edge length over the root of the painted
    share (a lone disc reads ~1.1 at any size, a drawing of several parts more: zero at `blob`, full at
    `min_complexity`), and the outline's parts (core/reward/outline.py), which soft watercolour edges do not
    hide: a part as thick, as large and as densely painted as a fish's tail or an apple's leaf (`part_*`).
    The outline's length counts as edges as far as it has parts. Small subjects pass: none of the readings
    grows with the size of the figure."""
    stats = stats_of(rollout, ctx)
    if stats is None:
        return None
    p = ctx.params
    outline = max((_part(part, p) for part in stats.parts), default=0.0)
    edge_length = max(stats.edge_length, stats.outline_length * outline)
    edges = min(1.0, edge_length / float(p.get("min_widths", 0.25)))
    thick = min(1.0, stats.thickness / float(p.get("min_thickness", 0.02)))
    parts = _ramp(stats.complexity, float(p.get("blob", 1.15)), float(p.get("min_complexity", 2.0)))
    return thick * max(edges * max(parts, outline), _recognised(rollout, ctx))


def _recognised(rollout: Rollout, ctx: ComponentContext) -> float:
    """With `subject_zero` / `subject_full`: how surely the recogniser sees the prompt's subject, a ramp between
    the two (0 where it does not judge the prompt). A lone soft-edged watercolour triangle the recogniser is
    sure is the mountain asked for is not "one flat blob", though its edges and parts read as one."""
    p = ctx.params
    found = recogniser_for(rollout, ctx) if "subject_full" in p else None
    if found is None or rollout.png is None:
        return 0.0
    return _ramp(subject_probability(rollout.png, ctx, *found), float(p.get("subject_zero", 0.5)),
                 float(p["subject_full"]))


def _part(part: Part, p: dict) -> float:
    """How surely one outline part is a painted part: thick and large next to the body, and holding ink like
    the rest of the figure (the bay a fading wash leaves reads as a part with a third of the ink)."""
    return (_ramp(part.radius, float(p.get("part_radius_zero", 0.1)), float(p.get("part_radius", 0.2)))
            * _ramp(part.share, float(p.get("part_share_zero", 0.02)), float(p.get("part_share", 0.06)))
            * _ramp(part.ink, float(p.get("part_ink_zero", 0.35)), float(p.get("part_ink", 0.5))))


@register_component("craft", help="marks that hold together: orientation coherence and ink in parts, not crumbs")
def craft(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Product of two ramps read on the 128-px copy (core/reward/craft.py): the local orientation coherence
    of the ink (random strokes and noise point every which way) and the share of the figure in parts of
    at least a few pixels (scattered dashes are crumbs). Shapes, washes, outlines and hatching pass both."""
    png = rollout.png
    if png is None:
        return None
    stats = ctx.memo("craft_stats", lambda: craft_stats(_layout(png, ctx)))
    if stats.figure_share < MIN_FIGURE_SHARE:
        return 0.0
    p = ctx.params
    return (_ramp(stats.coherence, float(p.get("coherence_zero", 0.35)), float(p.get("coherence_full", 0.5)))
            * _ramp(stats.cohesion, float(p.get("cohesion_zero", 0.5)), float(p.get("cohesion_full", 0.8))))


@register_component("subject", help="recogniser's confidence that the prompt's subject is painted; None for prompts it cannot judge")
def subject(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """The subject recogniser's probability (core/reward/subject/) for the subject the prompt asks for, full
    at `full`. None when the prompt's subject is not one it was trained on (vocabulary.subject_of), when
    there is no image, or when no recogniser was trained here (the note says how)."""
    png = rollout.png
    found = recogniser_for(rollout, ctx, note=True)
    if png is None or found is None:
        return None
    return min(1.0, subject_probability(png, ctx, *found) / float(ctx.params.get("full", 0.6)))


def recogniser_for(rollout: Rollout, ctx: ComponentContext, note: bool = False) -> tuple[dict, int] | None:
    """(recogniser weights, index of the prompt's subject among its labels), or None when the prompt asks for
    no subject it knows or none is trained here (with a note saying which when `note`). Looked up once per
    rollout: five components ask."""
    found, why = ctx.memo("recogniser", lambda: _find_recogniser(rollout.prompt))
    if found is None and note and why:
        ctx.note(f"{ctx.name}: {why}")
    return found


def _find_recogniser(prompt: str | None) -> tuple[tuple[dict, int] | None, str | None]:
    meta = read_recogniser_meta()
    asked = subject_of(prompt, meta.words if meta else SUBJECT_WORDS)
    if asked is None:
        return None, "the prompt asks for no subject the recogniser knows"
    try:
        weights, meta = load_recogniser()
    except NoRecogniser as e:
        return None, str(e)
    return ((weights, meta.labels.index(asked)), None) if asked in meta.labels else (None, None)


def _ink(png: bytes, ctx: ComponentContext):  # noqa: ANN202 (np.ndarray)
    """The recogniser's ink map of the render (features.ink_map of the 128-px copy), made once per rollout."""
    return ctx.memo("ink_map", lambda: ink_map(_layout(png, ctx)))


def subject_probability(png: bytes, ctx: ComponentContext, weights: dict, label: int) -> float:
    """The recogniser's probability that the whole page shows subject `label`, computed once per rollout."""
    return ctx.memo("subject_probability",
                    lambda: float(probabilities(weights, input_of(_ink(png, ctx))[None])[0][label]))


def subject_region(rollout: Rollout, ctx: ComponentContext) -> tuple[ImageStats, float] | None:
    """(image statistics of the paint where the recogniser finds the prompt's subject, its confidence that the
    page shows it), made once per rollout; None when the prompt asks for no subject it knows, none is trained,
    or nothing on the page is evidence. The evidence (subject/evidence.py) is the ink parts its confidence
    rests on, grown by a layout pixel (the 128-px copy's edge pixels of a pen line), read at the colour's own
    size: a 128-px copy blurs a pen line into the paper."""
    png = rollout.png
    found = recogniser_for(rollout, ctx)
    if png is None or found is None:
        return None

    def read() -> tuple[ImageStats, float] | None:
        mask = evidence_mask(_ink(png, ctx), *found)
        if mask is None or not mask.any():
            return None
        inside = image_stats(png, _colour_lab(png, ctx), _layout(png, ctx), within=ndimage.binary_dilation(mask))
        return inside, subject_probability(png, ctx, *found)
    return ctx.memo("subject_region", read)


def regional(rollout: Rollout, ctx: ComponentContext, page: ImageStats,
             value: Callable[[ImageStats, bool], float]) -> float:
    """A component's `value` (of image statistics, and whether they are the subject's) read on the page, or,
    with `region = "subject"` for a prompt whose subject the recogniser knows, read on the subject: what pays
    is the subject's, so marks beside it (a swatch, a signature) buy nothing. By default the subject's and
    the page's readings are blended by the recogniser's confidence (where it barely sees the subject it does
    not know where it is, and the page counts); `blend = false` reads the subject alone, for a reading that
    more marks can only raise (detail, palette): there junk that makes the recogniser unsure would otherwise
    hand the weight to the page, junk and all."""
    found = subject_region(rollout, ctx) if ctx.params.get("region") == "subject" else None
    if found is None:
        return value(page, False)
    inside, sure = found
    if not ctx.params.get("blend", True):
        return value(inside, True)
    return sure * value(inside, True) + (1.0 - sure) * value(page, False)



@register_component("brushwork", help="soft gate: the paint was laid by brushes, not flat native p5 fills or typeset text")
def brushwork(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """1 while at most `flat_ok` of the paint lies in blocks of one exact colour (p5.brush always leaves grain),
    falling to 0 at `flat_none`: a picture drawn with p5's own rect/ellipse/text beside a few token brush
    calls is not a p5.brush painting, whatever the counts say."""
    png = rollout.png
    if png is None:
        return None
    flat = ctx.memo("flat_paint", lambda: flat_paint_share(png))
    return 1.0 - _ramp(flat, float(ctx.params.get("flat_ok", 0.06)), float(ctx.params.get("flat_none", 0.3)))
