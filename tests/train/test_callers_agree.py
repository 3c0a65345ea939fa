"""The four places a total is shown or trained on agree, because each calls `Rubric.combine`:
`brushwork score --batch`, the Rubric pane, held-out evaluation and the trainer's reward function.

One batch, two prompts of four real renders each (a GRPO group each): in the first group one rollout's
gate cannot be measured (no total, and nothing taken from the others) and one rollout alone lacks a
weighted component the rest of its group has (no total for it); in the second two of four lack it (dropped
for that whole group). The markers that make a value unmeasured are in the
sketches' code, so every caller sees the same rollouts.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from core.reward import load_rubric, register_component
from core.reward.types import Rollout
from core.train.corpus import Spec, sketch_code

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1200)]

SIZE = 128
GATE_MARK, COMPONENT_MARK = "// unmeasured-gate", "// unmeasured-component"
SPECS = [Spec("tree", "green", "watercolour", "in the centre", "large"), Spec("house", "blue", "pencil", "on the right")]


@register_component("test_gate_unless_marked", help="test: 1, or None when the code carries the gate mark")
def _gate(rollout: Rollout, ctx) -> float | None:
    return None if GATE_MARK in rollout.code else 1.0


@register_component("test_component_unless_marked", help="test: a value from the code, None when marked")
def _component(rollout: Rollout, ctx) -> float | None:
    return None if COMPONENT_MARK in rollout.code else (len(rollout.code) % 11) / 10


RUBRIC_TOML = """
name = "callers"
[components.structure]
gate = true
[components.measured]
fn = "test_gate_unless_marked"
gate = true
[components.coverage]
weight = 0.3
[components.colour_adherence]
weight = 0.3
[components.marked]
fn = "test_component_unless_marked"
weight = 0.4
"""


def _batch() -> tuple[list[str], list[str]]:
    prompts, codes = [], []
    for g, spec in enumerate(SPECS):
        for i in range(4):
            code = sketch_code(spec, seed=10 * g + i)
            if (g, i) == (0, 1):
                code += f"\n{GATE_MARK}\n"
            if (g, i) in ((0, 2), (1, 1), (1, 2)):
                code += f"\n{COMPONENT_MARK}\n"
            prompts.append(spec.prompt)
            codes.append(f"// prompt: {spec.prompt}\n{code}")  # one text for every caller: one cached render
    return prompts, codes


def _score_cli(tmp_path: Path, rubric_path: Path, codes: list[str]) -> list[float | None]:
    from core.cli import main

    folder = tmp_path / "batch"
    folder.mkdir()
    for i, c in enumerate(codes):  # the prompt travels in each file's `// prompt:` line
        (folder / f"{i:02d}.js").write_text(c)
    out = tmp_path / "scores.parquet"
    assert main(["score", "--batch", str(folder), "--rubric", str(rubric_path), "--size", str(SIZE),
                 "--timeout", "120", "-o", str(out), "--json"]) == 1  # some rollouts have no total
    rows = sorted(pq.read_table(out).to_pylist(), key=lambda r: r["name"])
    assert all(r["render_ok"] for r in rows), [r["render_error"] for r in rows]
    return [r["total"] for r in rows]


def _heldout(rubric, prompts: list[str], codes: list[str], store) -> list[float | None]:
    from core.render import Renderer
    from core.train.config import RunConfig
    from core.train.heldout_eval import score_heldout

    async def go() -> list[float | None]:
        renderer = Renderer(pool_size=1, store=store)
        try:
            rollouts = [Rollout(prompt=p, completion=c, code=c, seed=0) for p, c in zip(prompts, codes, strict=True)]
            result = await score_heldout(rollouts, rubric, renderer, RunConfig(render_size=SIZE, render_timeout=120),
                                         "sft", 0)
            return result.totals
        finally:
            await renderer.close()
    return asyncio.run(go())


def _training(rubric, prompts: list[str], codes: list[str], store) -> tuple[list[float | None], list]:
    from core.render import Renderer
    from core.train.rewards import BatchScorer

    scorer = BatchScorer(rubric, render_size=SIZE, render_timeout=120, num_generations=4,
                         renderer=Renderer(pool_size=1, store=store))
    try:
        logged: dict[str, float] = {}
        received = scorer.reward_function()(prompts=prompts, completions=codes,
                                            log_metric=lambda k, v: logged.__setitem__(k, v))
        assert received == scorer.last.totals  # what TRL receives is what the samples table logs
        assert logged["rubric/measured"] == pytest.approx(6 / 8)
        assert "rewards/marked/mean" in logged and "rewards/measured/mean" in logged
        return received, scorer.last.scores
    finally:
        scorer.close()


def _pane(rubric, prompts: list[str], codes: list[str], store) -> list[float | None]:
    from core.pool import RatingPool
    from studio.ops.rubric import _score_chunk
    from studio.ops.rubric_sample import ScoredSample, Setting, combine, open_rubric

    pool = RatingPool(store)
    images = []
    for p, c in zip(prompts, codes, strict=True):
        record = store.find_render(c, 0, SIZE, SIZE)
        assert record is not None and record.ok, "the score CLI rendered and cached every sketch"
        images.append(pool.add_image(record.png_path.read_bytes(), prompt=p, code=c).image)
    full = open_rubric(rubric)
    rows, _, uncounted = _score_chunk(full, images, str(store.path))  # the pane's worker, run in this process
    assert not any(uncounted)  # each image's render is stored with its counts: the pane uses the full rubric
    sample = ScoredSample(images, [s.name for s in full.specs], np.array(rows, dtype=float), rubric=rubric,
                          uncounted=np.array(uncounted, dtype=bool))
    nominal = {s.name: Setting(s.weight, s.gate) for s in rubric.specs}  # the sliders at the preset
    return [None if np.isnan(t) else float(t) for t in combine(sample, nominal)]


def test_score_pane_heldout_and_training_give_the_same_totals(tmp_path, store):
    rubric_path = tmp_path / "callers.toml"
    rubric_path.write_text(RUBRIC_TOML)
    rubric = load_rubric(rubric_path)
    prompts, codes = _batch()

    cli = _score_cli(tmp_path, rubric_path, codes)
    heldout = _heldout(rubric, prompts, codes, store)
    training, scores = _training(rubric, prompts, codes, store)
    pane = _pane(rubric, prompts, codes, store)

    assert cli[1] is None, cli  # the unmeasured gate: no total
    assert cli[2] is None and sum(t is None for t in cli) == 2, cli  # lacks what the rest of its group has
    for name, other in (("held-out", heldout), ("training", training), ("pane", pane)):
        assert [t is None for t in other] == [t is None for t in cli], (name, other, cli)
        assert [t for t in other if t is not None] == pytest.approx([t for t in cli if t is not None]), (name, other, cli)
    # The first group kept `marked` (two of its three measured rollouts have it); the second dropped it for
    # all four because half lack it: their totals are the gates times the mean of coverage and colour alone.
    assert [s.dropped for s in scores] == [[], [], [], [], ["marked"], [], [], ["marked"]]
    assert scores[2].missing == scores[5].missing == scores[6].missing == ["marked"]
    assert any("left out of the group's comparison" in n for n in scores[2].notes)
    weights = {"coverage": 0.3, "colour_adherence": 0.3, "marked": 0.4}
    for s, total in zip(scores, cli, strict=True):
        if total is None:
            continue
        c, gates = s.components, s.gates["structure"] * s.gates["measured"]
        kept = ["coverage", "colour_adherence"] + ([] if s.dropped or s.missing else ["marked"])
        expected = gates * sum(weights[n] * c[n] for n in kept) / sum(weights[n] for n in kept)
        assert total == pytest.approx(expected)
