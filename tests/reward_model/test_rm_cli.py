"""`brushwork rm train | eval | info` as real subprocesses on a real pool."""
from __future__ import annotations

import json

import pytest

from core.pool import RatingPool
from core.store import Store
from tests.cli_helpers import run_brushwork
from tests.synthetic_pool import fill_pool


def test_train_without_ratings_says_what_to_do(tmp_path):
    r = run_brushwork("rm", "train", "--json", home=tmp_path / "home", timeout=300)
    assert r.returncode == 1
    assert "Rate some images love and some okay or nope" in r.stderr
    r = run_brushwork("rm", "eval", "--json", home=tmp_path / "home", timeout=300)
    assert r.returncode == 1 and "brushwork rm train" in r.stderr


@pytest.mark.slow
def test_train_then_eval_print_accuracy_against_the_baseline(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    store = Store(home / "brushwork.db")
    fill_pool(RatingPool(store), per_tier=10)
    store.close()
    r = run_brushwork("rm", "train", "--json", "--steps", "80", "--max-seconds", "40", home=home, timeout=600)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["pairs"] > 100 and 0.0 <= out["baseline_accuracy"] <= 1.0
    assert out["heldout_pair_accuracy"] > out["baseline_accuracy"]
    held = out["heldout"]  # held out by prompt: pairs whose prompts were never seen in training
    assert out["heldout_split"] == "prompt" and out["reads_prompt"] is True
    assert held["pairs"] == out["heldout_pairs"] and held["prompts"] >= 2
    assert 0.0 <= held["ci95"][0] <= held["independent_accuracy"] <= held["ci95"][1] <= 1.0
    r = run_brushwork("rm", "eval", "--json", home=home, timeout=300)
    assert r.returncode == 0, r.stderr
    ev = json.loads(r.stdout.strip().splitlines()[-1])
    assert ev["pairs"] == out["heldout_pairs"]
    assert ev["heldout_pair_accuracy"] == pytest.approx(out["heldout_pair_accuracy"], abs=1e-3)
    r = run_brushwork("rm", "info", "--json", home=home, timeout=120)
    info = json.loads(r.stdout)
    assert info["pool_hash"] == out["pool_hash"] and info["features_version"] == "f1"
    assert info["reads_prompt"] is True and info["prompt_note"] is None and info["heldout_split"] == "prompt"
