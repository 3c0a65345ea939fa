"""A preset saved from the Rubric pane is TOML that loads back to the same weights, gates, params and judges,
whatever its description holds."""
from __future__ import annotations

import tomllib

import pytest

from core.reward.rubric import load_rubric, rubric_from_dict
from studio.ops.rubric import preset_toml
from studio.ops.rubric_sample import Setting


@pytest.mark.parametrize("preset", ["offline-default", "seed-v1-nine-signals"])
def test_a_saved_preset_loads_back_the_same(preset):
    rubric = load_rubric(preset)
    rubric.description = 'tuned\r\non "Monday"\t\\ ü'
    first = rubric.specs[0]
    settings = {first.name: Setting(0.123456, True)}
    again = rubric_from_dict(tomllib.loads(preset_toml(rubric, settings, "mine")))
    assert again.name == "mine" and again.description.startswith(rubric.description)
    assert again.weights[first.name] == pytest.approx(0.1235) and first.name in again.gates
    for spec in rubric.specs[1:]:
        if spec.weight > 0 or spec.gate:
            twin = next(s for s in again.specs if s.name == spec.name)
            assert (twin.fn, twin.weight, twin.gate, twin.params, twin.fallback) == (
                spec.fn, pytest.approx(round(spec.weight, 4)), spec.gate, spec.params, spec.fallback)
    assert set(again.judge_settings) == set(rubric.judge_settings)
