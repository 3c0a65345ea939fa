"""Rubric loading and the scoring arithmetic: gates multiply, weights add, missing renormalises."""
from __future__ import annotations

import asyncio

import pytest
from reward_helpers import painting, png_rollout

from core.reward import RubricError, load_rubric, preset_names, register_component, rubric_from_dict
from core.reward.types import Rollout


def test_bundled_presets_load_with_their_weights_and_gates():
    assert {"offline-default", "seed-v1-nine-signals", "seed-v2-four-signals"} <= set(preset_names())
    v2 = load_rubric("seed-v2-four-signals")
    assert v2.weights == {"structure": 0.05, "length": 0.05, "hpsv3": 0.30, "pairwise": 0.60}
    assert v2.gates == ["structure"]
    v1 = load_rubric("seed-v1-nine-signals")
    assert len(v1.components) == 9 and sum(v1.weights.values()) == pytest.approx(1.0)
    assert v1.weights["length"] == 0.32
    offline = load_rubric("offline-default")
    assert not offline.judge_settings  # no judge: runs without keys or network


def test_unknown_preset_and_bad_component_say_what_to_do(tmp_path):
    with pytest.raises(RubricError, match="bundled: .*offline-default"):
        load_rubric("no-such-preset")
    bad = tmp_path / "bad.toml"
    bad.write_text('[components.x]\nfn = "nope"\nweight = 1\n')
    with pytest.raises(RubricError, match="unknown component 'nope'"):
        load_rubric(bad)
    with pytest.raises(RubricError, match="weights must be"):
        rubric_from_dict({"components": {"coverage": {"weight": -1}}})


_VALUES: dict[str, float | None] = {}


@register_component("test_fixed", help="test: returns params.value")
def _fixed(rollout: Rollout, ctx) -> float | None:
    return ctx.params.get("value")


def _rubric(entries: dict) -> object:
    return rubric_from_dict({"components": {n: {"fn": "test_fixed", **e} for n, e in entries.items()}})


def _score(rubric) -> object:
    return asyncio.run(rubric.score([png_rollout(painting())]))[0]


def test_gates_multiply_and_weights_renormalise_over_present_components():
    s = _score(_rubric({"g": {"gate": True, "params": {"value": 0.5}},
                        "a": {"weight": 0.6, "params": {"value": 1.0}},
                        "b": {"weight": 0.2, "params": {"value": 0.0}},
                        "gone": {"weight": 0.2, "params": {}}}))
    # (0.6 * 1 + 0.2 * 0) / 0.8 = 0.75, times the gate 0.5
    assert s.total == pytest.approx(0.375)
    assert s.components == {"a": 1.0, "b": 0.0, "gone": None}
    assert s.gates == {"g": 0.5}
    assert s.missing == ["gone"]


def test_a_closed_gate_scores_zero_and_nothing_measured_is_none():
    closed = _score(_rubric({"g": {"gate": True, "params": {"value": 0.0}}, "a": {"weight": 1, "params": {"value": 1.0}}}))
    assert closed.total == 0.0
    nothing = _score(_rubric({"a": {"weight": 1, "params": {}}}))
    assert nothing.total is None and nothing.missing == ["a"]
    d = nothing.to_dict()
    assert set(d) >= {"total", "components", "gates", "missing", "notes", "refs", "cost"}


def test_with_weights_replaces_and_rejects_unknown_names():
    r = load_rubric("offline-default").with_weights({"detail": 0.5})
    assert r.weights["detail"] == 0.5
    with pytest.raises(RubricError, match="no component"):
        r.with_weights({"nonsense": 1})


def test_offline_default_scores_every_component_of_a_painting_and_renormalises_without_colour():
    rubric = load_rubric("offline-default")
    with_colour, no_colour = asyncio.run(rubric.score([
        png_rollout(painting()), png_rollout(painting(), prompt="a flower in watercolour")]))
    # subject: the hibiscus is no subject the recogniser knows, and none is trained in this home
    assert all(v is not None for k, v in with_colour.components.items() if k != "subject"), with_colour.to_dict()
    assert with_colour.missing == ["subject"]
    assert no_colour.components["colour_adherence"] is None and no_colour.missing == ["colour_adherence", "subject"]
    assert any("brushwork subject train" in n for n in no_colour.notes), no_colour.notes
    assert no_colour.total is not None


def test_colour_adherence_prefers_the_prompts_colour():
    rubric = load_rubric("offline-default")
    peach, blue = asyncio.run(rubric.score([png_rollout(painting("#ffa64d")), png_rollout(painting("#3b6fc4"))]))
    assert peach.components["colour_adherence"] > 0.8
    assert blue.components["colour_adherence"] < 0.2


def test_machine_render_failure_is_missing_but_a_sketch_failure_closes_the_gate():
    rubric = load_rubric("offline-default")
    machine, runtime = asyncio.run(rubric.score([png_rollout(None, error_kind="browser"),
                                                 png_rollout(None, error_kind="runtime")]))
    assert machine.gates["structure"] is None and "structure" in machine.missing
    assert machine.total is None
    assert runtime.gates["structure"] == 0.0 and runtime.total == 0.0


def test_threads_that_load_presets_at_once_all_see_every_component():
    """In a fresh interpreter four threads load a preset at the same moment (the studio's first-run check runs
    beside its other panes): each gets the whole registry, none "unknown component 'structure'"."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import threading\n"
        "from core.reward import load_rubric\n"
        "errors = []\n"
        "def go():\n"
        "    try:\n"
        "        load_rubric('offline-default')\n"
        "    except Exception as e:\n"
        "        errors.append(str(e))\n"
        "threads = [threading.Thread(target=go) for _ in range(4)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "print(errors)\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout
