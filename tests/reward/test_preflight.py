"""The preflight: a weighted component that can never be measured is refused before a run, with the fix."""
from __future__ import annotations

import os
import socket

import pytest
from reward_helpers import love_pool

from core.pool import RatingPool
from core.reward import load_rubric
from core.reward.preflight import JUDGE_SERVER_COMMAND, preflight

JUDGE_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRUSHWORK_JUDGE_BASE_URL", "GEMINI_API_KEY", "GOOGLE_API_KEY",
             "BRUSHWORK_GEMINI_BASE_URL", "BRUSHWORK_HPSV3_WEIGHTS")


@pytest.fixture(autouse=True)
def no_judge_env(monkeypatch):
    for name in JUDGE_ENV:
        monkeypatch.delenv(name, raising=False)
    from core.reward.judges import openai_judge  # the machine's keyring must not lend a key to these tests

    monkeypatch.setattr(openai_judge, "resolve_key", lambda *a: None)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_offline_default_needs_a_trained_subject_recogniser(store, brushwork_home):
    from subject_helpers import make_tiny_recogniser

    from core.reward.subject.features import FEATURES_VERSION
    from core.reward.subject.model import model_dir

    rubric = load_rubric("offline-default")
    problems = preflight(rubric, RatingPool(store))
    assert len(problems) == 1, problems  # nothing else offline-default weights needs a judge, a key or a pool
    assert problems[0].startswith("subject (weight 0.2): no subject recogniser trained here")
    assert "brushwork subject train" in problems[0] and "Train recogniser in the Train pane" in problems[0]
    # a rubric that does not weight the subject does not need one
    assert preflight(rubric.with_weights({"subject": 0.0}), RatingPool(store)) == []
    make_tiny_recogniser(brushwork_home)
    assert preflight(rubric, RatingPool(store)) == []
    # a recogniser made for other features cannot score: refused again, with the retrain command
    meta, weights = model_dir(brushwork_home) / "meta.json", model_dir(brushwork_home) / "weights.npz"
    meta.write_text(meta.read_text().replace(f'"{FEATURES_VERSION}"', '"ink-crop-32-v0"'))
    stamp = weights.stat().st_mtime_ns + 1_000_000  # a new artefact: the loader's cache keys on the weights' time
    os.utime(weights, ns=(stamp, stamp))
    stale = preflight(rubric, RatingPool(store))
    assert len(stale) == 1 and "made for other features (ink-crop-32-v0)" in stale[0]
    assert "Retrain: brushwork subject train" in stale[0]


def test_offline_default_refuses_prompts_whose_subject_its_recogniser_does_not_know(store, brushwork_home):
    """On a subject the recogniser never learnt, the subject is None for every rollout and the rest of the
    rubric cannot tell a painting of it from a pattern in its colours: a run on such prompts is refused."""
    from subject_helpers import make_tiny_recogniser

    make_tiny_recogniser(brushwork_home)
    rubric = load_rubric("offline-default")
    known = ["draw a red apple on the left in ink", "paint a small blue boat in watercolour"]
    unknown = ["draw red poppies in a summer field in watercolour", "draw a peach hibiscus in watercolour",
               "a village under the mountains", "draw a fox", "draw a cat"]
    assert preflight(rubric, RatingPool(store), prompts=known) == []
    problems = preflight(rubric, RatingPool(store), prompts=known + unknown + unknown[:1])  # a repeat counts once
    assert len(problems) == 1 and problems[0].startswith("subject (weight 0.2): 5 of the run's 7 prompts ask for a "
                                                         "subject the recogniser does not know")
    assert "'draw red poppies in a summer field in watercolour'" in problems[0] and " ..." in problems[0]
    assert "apple, boat, fish" in problems[0] and "pairwise-local" in problems[0]
    # a rubric that does not weight the subject judges every prompt alike
    assert preflight(rubric.with_weights({"subject": 0.0}), RatingPool(store), prompts=unknown) == []


def test_a_run_on_offline_default_refuses_without_a_recogniser(store, brushwork_home):
    from core.train.runner import RunError, preflight_rubric

    with pytest.raises(RunError, match=r"(?s)subject \(weight 0.2\): no subject recogniser.*brushwork subject train"):
        preflight_rubric(load_rubric("offline-default"), store)


def test_no_key_and_no_server_is_refused_with_how_to_start_a_judge(store):
    love_pool(store, n=2)
    problems = preflight(load_rubric("seed-v2-four-signals"), RatingPool(store))
    pairwise = next(p for p in problems if p.startswith("pairwise (weight 0.6)"))
    assert "no OpenAI key" in pairwise and "BRUSHWORK_JUDGE_BASE_URL" in pairwise and JUDGE_SERVER_COMMAND in pairwise
    slot = next(p for p in problems if p.startswith("hpsv3 (weight 0.3)"))
    assert "fallback preference" in slot and "brushwork rm train" in slot  # no HPSv3 weights and no reward model


def test_a_server_that_does_not_answer_is_refused(store, monkeypatch):
    love_pool(store, n=2)
    monkeypatch.setenv("BRUSHWORK_JUDGE_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    problems = preflight(load_rubric("pairwise-local"), RatingPool(store))
    assert len(problems) == 1 and "nothing answers at http://127.0.0.1:" in problems[0]
    assert JUDGE_SERVER_COMMAND in problems[0]


def test_an_empty_love_tier_is_refused_and_a_served_judge_with_references_passes(store, judge_server, monkeypatch):
    monkeypatch.setenv("BRUSHWORK_JUDGE_BASE_URL", judge_server.openai_url)
    rubric = load_rubric("pairwise-local")
    empty = preflight(rubric, RatingPool(store))
    assert len(empty) == 1 and "no love-tier images" in empty[0] and "brushwork rm demo-pool" in empty[0]
    assert judge_server.probes == 1  # the server was asked once whether it answers
    assert preflight(rubric, love_pool(store, n=2)) == []
    assert judge_server.requests == []  # the preflight judges nothing


@pytest.mark.slow
def test_a_preference_slot_passes_once_a_reward_model_is_trained(store, judge_server, monkeypatch):
    from core.reward.learned.train import TrainConfig, train_reward_model
    from tests.synthetic_pool import fill_pool

    monkeypatch.setenv("BRUSHWORK_JUDGE_BASE_URL", judge_server.openai_url)
    pool = RatingPool(store)
    fill_pool(pool, per_tier=6)
    rubric = load_rubric("seed-v2-four-signals")
    assert [p.split(" ")[0] for p in preflight(rubric, pool)] == ["hpsv3"]
    train_reward_model(pool, TrainConfig(steps=5, use_cnn=False, max_seconds=20))
    assert preflight(rubric, pool) == []


def test_doctor_shows_the_judge_server_and_a_run_configs_preflight(store, judge_server, monkeypatch, tmp_path):
    from core import doctor

    monkeypatch.setenv("BRUSHWORK_JUDGE_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    down = doctor.check_judge_server()
    assert not down.ok and JUDGE_SERVER_COMMAND in down.fix
    cfg = tmp_path / "run.toml"
    cfg.write_text('[reward]\nrubric = "pairwise-local"\n')
    _, checks = doctor.config_needs(cfg)
    refused = checks["run-rubric"]()
    assert not refused.ok and "nothing answers at" in refused.summary and JUDGE_SERVER_COMMAND in refused.summary
    monkeypatch.setenv("BRUSHWORK_JUDGE_BASE_URL", judge_server.openai_url)
    love_pool(store, n=2)
    assert doctor.check_judge_server().ok and checks["run-rubric"]().ok


def test_doctor_says_whether_the_subject_recogniser_is_trained(brushwork_home):
    from subject_helpers import make_tiny_recogniser

    from core import doctor

    missing = doctor.check_subject_recogniser()
    assert not missing.ok and "no subject recogniser trained here" in missing.summary
    assert "brushwork subject train" in missing.fix
    make_tiny_recogniser(brushwork_home)
    found = doctor.check_subject_recogniser()
    assert found.ok and "8 subjects" in found.summary and found.details["labels"][-1] == "none"
