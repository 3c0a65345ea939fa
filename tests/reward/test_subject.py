"""The subject recogniser: which prompts it judges, training and its artefact, and the component."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from cli_helpers import run_brushwork
from PIL import Image, ImageDraw
from reward_helpers import png_rollout
from subject_helpers import TEST_SETTINGS

from core.reward import offline
from core.reward.context import ComponentContext, RolloutState, RunContext
from core.reward.subject.features import INPUT, input_of
from core.reward.subject.inference import probabilities
from core.reward.subject.model import NoRecogniser, RecogniserMeta, fit, load, predict, read_meta, save
from core.reward.subject.vocabulary import subject_of
from core.train.corpus import Spec, sketch_code


def ctx() -> ComponentContext:
    return ComponentContext("subject", {"full": 0.9}, RunContext(), RolloutState())


@pytest.mark.parametrize(("prompt", "subject"), [
    ("draw a small red apple on the left in ink", "apple"),
    ("draw two boats at sea", "boat"),
    ("a sun", "sun"),
    ("draw a mountain landscape at dusk in watercolour", None),   # the mountain is not what is asked for
    ("draw a still life of a bottle, an apple and a bowl", None),
    ("draw a lakeside village under mountains", None),
    ("draw red poppies in a summer field", None),                  # not a subject it was trained on
    ("draw a lone bare tree in charcoal", None),                   # not the tree the corpus paints
    ("draw a sinking wooden boat", None),
    ("draw a tiny pale blue fish", "fish"),                        # sizes and colours keep the corpus's look
])
def test_it_judges_only_prompts_asking_for_a_subject_it_knows(prompt, subject):
    assert subject_of(prompt) == subject


def _shape_ink(kind: str, rng: random.Random) -> np.ndarray:
    img = Image.new("F", (128, 128), 0.0)
    d = ImageDraw.Draw(img)
    x, y, r = rng.uniform(30, 98), rng.uniform(30, 98), rng.uniform(10, 28)
    if kind == "ring":
        d.ellipse((x - r, y - r, x + r, y + r), outline=1.0, width=2)
    elif kind == "cross":
        d.line((x - r, y - r, x + r, y + r), fill=1.0, width=2)
        d.line((x - r, y + r, x + r, y - r), fill=1.0, width=2)
    else:
        for _ in range(30):
            px, py = rng.uniform(10, 118), rng.uniform(10, 118)
            d.point((px, py), fill=1.0)
    return np.asarray(img, dtype=np.float32)


def test_fit_learns_shapes_and_the_artefact_round_trips(tmp_path):
    rng = random.Random(0)
    kinds = ("ring", "cross", "dust")
    maps = [_shape_ink(k, rng) for k in kinds for _ in range(12)]
    labels = [i for i in range(3) for _ in range(12)]
    net = fit(maps, labels, 3, 2, steps=40, batch=24, width=8)
    test = [_shape_ink(k, rng) for k in kinds for _ in range(6)]
    guesses = predict(net, np.stack([input_of(m) for m in test])).argmax(1)
    assert (guesses == np.repeat(np.arange(3), 6)).mean() >= 0.8, guesses
    with pytest.raises(NoRecogniser, match="brushwork subject train"):
        load(tmp_path)
    save(net, RecogniserMeta(labels=list(kinds), words={"ring": ["ring"]}, width=8), tmp_path)
    weights, meta = load(tmp_path)  # the folded numpy network scoring uses: the same answers as torch's
    inputs = np.stack([input_of(m) for m in test])
    assert np.allclose(probabilities(weights, inputs), predict(net, inputs), atol=1e-4)
    assert meta.labels == list(kinds) and read_meta(tmp_path).width == 8
    assert input_of(np.zeros((128, 128), np.float32)).shape == (INPUT, INPUT)


def test_without_a_recogniser_the_component_says_so_and_measures_nothing(brushwork_home):
    c = ctx()
    assert offline.subject(png_rollout(b"unused", prompt="draw a red apple on the left in ink"), c) is None
    assert any("brushwork subject train" in n for n in c.state.notes), c.state.notes
    out = run_brushwork("subject", "info")
    assert out.returncode == 1 and "brushwork subject train" in out.stderr
    bad = run_brushwork("subject", "train", "--per-subject", "1")
    assert bad.returncode == 2 and "--per-subject and --negatives must be at least 2" in bad.stderr


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(2400)
def test_a_recogniser_trained_on_corpus_renders_knows_its_subjects(recogniser, renderer):
    meta = read_meta()
    assert meta is not None and meta.heldout_images >= 9 and meta.train_images >= 40
    # chance is 1 in 9; held-out renders were never trained on
    assert meta.heldout_accuracy is not None and meta.heldout_accuracy >= 0.6, meta
    info = json.loads(run_brushwork("subject", "info", "--json").stdout)
    assert info["heldout_accuracy"] == meta.heldout_accuracy and info["words"]["apple"] == ["apple", "apples"]
    prompt = "draw a red apple on the left in ink"
    apple = renderer.render(sketch_code(Spec("apple", "red", "ink", "on the left"), seed=7), size=128, timeout=120)
    house = renderer.render(sketch_code(Spec("house", "red", "ink", "on the left"), seed=7), size=128, timeout=120)
    assert apple.ok and house.ok, (apple.error, house.error)
    right = offline.subject(png_rollout(apple.png, prompt=prompt), ctx())
    wrong = offline.subject(png_rollout(house.png, prompt=prompt), ctx())
    assert right is not None and wrong is not None and right - wrong > 0.5, (right, wrong)
    assert offline.subject(png_rollout(apple.png, prompt="draw a peach hibiscus"), ctx()) is None
    skipped = run_brushwork("subject", "train", "--if-missing")
    assert skipped.returncode == 0 and "already trained" in skipped.stderr
    assert TEST_SETTINGS["steps"] == meta.steps


def test_if_missing_retrains_a_recogniser_made_for_older_features(tiny_recogniser):
    import os

    from core.reward.subject.features import FEATURES_VERSION
    from core.reward.subject.model import model_dir

    # a usable recogniser: --if-missing skips (the bad --per-subject is never read)
    kept = run_brushwork("subject", "train", "--if-missing", "--per-subject", "1")
    assert kept.returncode == 0 and "already trained" in kept.stderr, kept.stderr
    meta, weights = model_dir(tiny_recogniser) / "meta.json", model_dir(tiny_recogniser) / "weights.npz"
    meta.write_text(meta.read_text().replace(f'"{FEATURES_VERSION}"', '"ink-crop-48-v1"'))
    stamp = weights.stat().st_mtime_ns + 1_000_000  # a new artefact: the loader's cache keys on the weights' time
    os.utime(weights, ns=(stamp, stamp))
    # one scoring refuses is not "already trained": it goes on to train (here it stops at the bad argument)
    stale = run_brushwork("subject", "train", "--if-missing", "--per-subject", "1")
    assert stale.returncode == 2 and "--per-subject and --negatives must be at least 2" in stale.stderr, stale.stderr
