"""The HPSv3 slot: a clear message when the package or weights are absent; the learned model fills it."""
from __future__ import annotations

import asyncio
import dataclasses

import pytest

from core.render.types import RenderResult
from core.reward import Rollout, load_rubric, rubric_from_dict
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


class _Inferencer:
    """The one call of the hpsv3 package the adapter makes, reading the image it is handed (no weights here)."""

    loads: list[str] = []

    def __init__(self, checkpoint_path: str, device: str):
        self.loads.append(checkpoint_path)

    def reward(self, paths: list[str], prompts: list[str]) -> list[list[float]]:
        from PIL import Image

        with Image.open(paths[0]) as im:  # the PNG really reached a file the package can open
            red = im.convert("RGB").getpixel((0, 0))[0]
        return [[red / 255 * 15.0 + (30.0 if "overflow" in prompts[0] else 0.0)]]


def test_one_hpsv3_adapter_scores_through_the_rubric_slot(monkeypatch, brushwork_home, tmp_path):
    """The `hpsv3` component and the adapter are one path: the model loads once per weights file, its 0…15
    scale maps to [0, 1] and is clipped."""
    import importlib.machinery
    import io
    import sys
    import types

    from PIL import Image

    from core.reward.learned import hpsv3 as adapter

    fake = types.ModuleType("hpsv3")
    fake.__spec__ = importlib.machinery.ModuleSpec("hpsv3", None)
    fake.HPSv3RewardInferencer = _Inferencer
    monkeypatch.setitem(sys.modules, "hpsv3", fake)
    monkeypatch.setattr(adapter, "_MODELS", {})
    _Inferencer.loads = []
    weights = tmp_path / "hpsv3.safetensors"
    weights.write_bytes(b"stand-in")
    monkeypatch.setenv("BRUSHWORK_HPSV3_WEIGHTS", str(weights))
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 0, 0)).save(buf, format="PNG")
    rubric = rubric_from_dict({"name": "hps-only", "components": {"hpsv3": {"weight": 1.0}}})
    red = _rollout(buf.getvalue(), "brush.line(0, 0, 1, 1);")
    scores = asyncio.run(rubric.score([red, dataclasses.replace(red, prompt="overflow")]))
    assert [s.components["hpsv3"] for s in scores] == [pytest.approx(1.0), 1.0]
    assert adapter.hpsv3_score(weights, buf.getvalue(), "a red square") == pytest.approx(1.0)
    assert _Inferencer.loads == [str(weights)]  # loaded once for all three
