"""The HPSv3 slot: a clear message when the package or weights are absent; the learned model fills it."""
from __future__ import annotations

import asyncio

import pytest

from core.render.types import RenderResult
from core.reward import Rollout, load_rubric
from core.reward.learned.hpsv3 import configured_weights, hpsv3_status
from core.reward.learned.train import TrainConfig, train_reward_model
from tests.synthetic_pool import fill_pool, love_png, nope_png


def test_absent_hpsv3_says_what_to_install(monkeypatch, brushwork_home):
    monkeypatch.delenv("BRUSHWORK_HPSV3_WEIGHTS", raising=False)
    status = hpsv3_status()
    assert not status.available
    assert "pip install 'brushwork[hpsv3]'" in status.message or "no weights" in status.message
    assert status.message.endswith("fills its slot.")


def test_weights_come_from_the_settings_file_or_the_environment(monkeypatch, brushwork_home, tmp_path):
    monkeypatch.delenv("BRUSHWORK_HPSV3_WEIGHTS", raising=False)
    assert configured_weights() is None
    (brushwork_home / "settings.toml").write_text('[hpsv3]\nweights = "/models/hpsv3.safetensors"\n')
    assert str(configured_weights()) == "/models/hpsv3.safetensors"
    monkeypatch.setenv("BRUSHWORK_HPSV3_WEIGHTS", str(tmp_path / "w.safetensors"))
    assert configured_weights() == tmp_path / "w.safetensors"


def _rollout(png: bytes, code: str) -> Rollout:
    render = RenderResult(ok=True, png=png, error=None, ms=1.0, sketch_ms=1.0, width=128, height=128)
    return Rollout(prompt="draw a flower in watercolour", completion=code, code=code, render=render)


@pytest.mark.slow
def test_learned_model_fills_the_hpsv3_slot_of_seed_v2_and_says_so(pool, monkeypatch):
    monkeypatch.delenv("BRUSHWORK_HPSV3_WEIGHTS", raising=False)
    ids = fill_pool(pool, per_tier=8)
    rubric = load_rubric("seed-v2-four-signals")
    code = pool.image(ids["love"][0]).code
    before = asyncio.run(rubric.score([_rollout(love_png(90), code)]))[0]
    assert before.components["hpsv3"] is None
    assert any("no reward model" in n for n in before.notes)  # says how to get one, never a fake 0

    train_reward_model(pool, TrainConfig(steps=80, max_seconds=40))
    # an odd-numbered poor painting is a disc, not a flat fill: it passes the structure gate
    good, bad = asyncio.run(rubric.score([_rollout(love_png(91), code), _rollout(nope_png(93), code)]))
    assert good.components["hpsv3"] > bad.components["hpsv3"]
    assert any("slot filled by preference" in n for n in good.notes)
    assert any("HPSv3" in n for n in good.notes)
