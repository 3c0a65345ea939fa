"""What a run needs, checked against a real data home, and the progress read from the jobs' own output."""
from __future__ import annotations

import json

from studio.ops import first_run
from studio.ops.training import load_run_config


def _config(**over):  # noqa: ANN202 (a RunConfig)
    cfg = load_run_config(None)
    for k, v in over.items():
        setattr(cfg, k, v)
    return cfg


def test_needs_follow_the_data_home(store, brushwork_home, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("BRUSHWORK_JUDGE_BASE_URL", raising=False)
    cfg = _config(model="models/tiny-sft", rubric="offline-default")
    needs = {n.key: n for n in first_run.run_needs(cfg, store)}
    assert not needs["model"].ok and needs["model"].job == "model" and "not built" in needs["model"].detail
    assert not needs["sft"].ok and needs["sft"].job == "sft"
    assert needs["judge"].ok and not needs["judge"].required  # offline: nothing to ask for
    for name in ("tiny", "tiny-sft"):
        (brushwork_home / "models" / name).mkdir(parents=True)
        (brushwork_home / "models" / name / "config.json").write_text("{}")
    (brushwork_home / "models" / "tiny-sft" / "sft_report.json").write_text(json.dumps(
        {"steps": 4, "nonblank": 0.2, "reached_target": False}))
    needs = {n.key: n for n in first_run.run_needs(cfg, store)}
    assert needs["model"].ok and needs["sft"].ok and "20% of its samples render" in needs["sft"].detail
    assert "below the 60 % target" in needs["sft"].detail
    # a judged preset without a key or references: said, but not required (those components go missing)
    needs = {n.key: n for n in first_run.run_needs(_config(rubric="seed-v2-four-signals"), store)}
    assert not needs["references"].ok and needs["references"].job == "pool" and not needs["references"].required
    assert not needs["judge"].ok and "OPENAI_API_KEY" in needs["judge"].detail
    # a model folder that is not there
    needs = {n.key: n for n in first_run.run_needs(_config(model="/nowhere/model"), store)}
    assert not needs["model"].ok and needs["model"].job is None


def test_progress_is_read_from_the_jobs_output():
    parse = first_run._sft_parser(800, 100)
    assert parse("", 5.0).fraction is None
    p = parse("sft step 25/800 loss 2.1 (20 s)\nsft step 50/800 loss 1.9 (40 s)\n", 40.0)
    assert p.fraction == 50 / 800 and p.eta_s == 40.0 / 50 * 750 and "step 50 of at most 800" in p.text
    done = parse('sft step 100: 70% of 10 held-out samples render non-blank\n'
                 '{"steps": 100, "seconds": 80.0, "nonblank": 0.7, "reached_target": true, "path": "x"}\n', 90.0)
    assert done.fraction == 1.0 and done.result["reached_target"] and "70%" in done.text
    pool = first_run._parse_pool("\r[3/40] love-01\r[4/40] love-02", 8.0)
    assert pool.fraction == 4 / 40 and pool.eta_s == 8.0 / 4 * 36
    assert first_run._parse_model("", 10.0).eta_s == first_run.MODEL_BUILD_S - 10.0
    assert first_run._parse_model("tiny model: 881,664 parameters, vocab 733 -> x", 20.0).fraction == 1.0
