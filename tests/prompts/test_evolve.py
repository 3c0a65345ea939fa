"""GEPA evolution against the loopback model: the hallucinated-API rate falls; stop, resume, lineage, CLI."""
from __future__ import annotations

import json
import threading

import pytest

from core.prompts.config import EvolveConfig, load_config
from core.prompts.evolve import request_stop, run_evolution
from core.prompts.lineage import read_lineage

# A seed that documents invented names and never says "only": the fake model then improvises APIs.
LOOSE_SEED = """Write a p5.js sketch with p5.brush for the picture the user asks for, in a ```javascript block.
Build the subject from several shapes. Useful calls:
- brush.bleed(amount): soften watercolour edges
- brush.fill(color, opacity): watercolour fill
- brush.circle(x, y, r): a circle
"""


def _config(tmp_path, base_url: str, **over) -> EvolveConfig:
    seed = tmp_path / "seed.md"
    seed.write_text(LOOSE_SEED, encoding="utf-8")
    data = {"name": "t", "seed_prompt": str(seed), "train_size": 3, "val_size": 3, "minibatch_size": 3,
            "max_metric_calls": 30, "render": False, "run_dir": str(tmp_path / "run"),
            "generator": {"kind": "openai", "model": "fake", "base_url": base_url, "api_key_env": "",
                          "max_retries": 0, "concurrency": 2}}
    data.update(over)
    from core.prompts.config import config_from_dict

    return config_from_dict(data)


def test_dry_run_lowers_hallucination_and_keeps_stdout_clean(tmp_path, fake_server, capsys):
    cfg = _config(tmp_path, fake_server.base_url)
    summary = run_evolution(cfg)
    assert summary.seed["hallucination_rate"] > 0.3
    assert summary.best["hallucination_rate"] == 0.0
    assert summary.best["score"] > summary.seed["score"]
    assert summary.seed["render_rate"] is None  # dry run: not measured, not faked
    assert 0 < summary.metric_calls <= cfg.max_metric_calls
    assert summary.cost["calls"] == summary.metric_calls
    out = capsys.readouterr().out
    assert "Iteration" not in out  # gepa's log went to our logger, not stdout
    run = tmp_path / "run"
    assert not (run / "run_log.txt").exists()
    assert (run / "best_prompt.md").read_text() == summary.best_text and "ONLY" in summary.best_text
    lineage = read_lineage(run)
    seed, best = lineage.by_idx(0), lineage.by_idx(summary.best_idx)
    assert seed.status == "seed" and best.status == "accepted" and best.on_front
    assert 0 in best.parents or any(lineage.by_idx(p) for p in best.parents)
    assert json.loads((run / "summary.json").read_text())["metric_calls"] == summary.metric_calls


def test_stop_event_then_resume_continues_the_same_run(tmp_path, fake_server):
    cfg = _config(tmp_path, fake_server.base_url, max_metric_calls=60)
    stop = threading.Event()
    first = run_evolution(cfg, stop_event=stop, on_event=lambda e: e["event"] == "candidate" and stop.set())
    assert first.stopped and first.metric_calls < 60
    assert first.candidates == 1  # stopped right after the seed was scored
    request_stop(cfg.resolved_run_dir())  # a stale stop file must not end the resumed run at once
    second = run_evolution(cfg)
    assert second.metric_calls > first.metric_calls
    assert second.best["hallucination_rate"] == 0.0
    nodes = read_lineage(cfg.resolved_run_dir()).nodes
    assert sum(n.idx == 0 for n in nodes) == 1 and nodes[0].metrics["n"] == 3  # the seed kept its rates


def test_openai_reflection_model_rewrites_the_prompt(tmp_path, fake_server):
    base = fake_server.base_url
    cfg = _config(tmp_path, base, reflection={"kind": "openai", "model": "fake-reflect", "base_url": base,
                                              "api_key_env": ""})
    summary = run_evolution(cfg)
    assert summary.best["hallucination_rate"] < summary.seed["hallucination_rate"]
    reflections = [body for _, body in fake_server.requests if body.get("model") == "fake-reflect"]
    assert reflections and "brush.bleed" in reflections[0]["messages"][0]["content"]  # the feedback reached it


def test_example_config_loads():
    from core.paths import RESOURCES

    cfg = load_config(RESOURCES / "prompts" / "evolve-example.toml")
    assert cfg.seed_prompt == "full-reference" and cfg.generator.api_key_env == "OPENAI_API_KEY"


def test_config_toml_round_trip_and_errors(tmp_path):
    from core.prompts.config import ConfigError, dump_config

    cfg = _config(tmp_path, "http://127.0.0.1:1/v1")
    path = tmp_path / "evolve.toml"
    path.write_text(dump_config(cfg), encoding="utf-8")
    again = load_config(path)
    assert again == cfg
    cfg.name, cfg.generator.model = "cr\rlf\n\"q\"", "m\tx\x01"
    path.write_text(dump_config(cfg), encoding="utf-8")
    assert load_config(path) == cfg
    path.write_text("[generator]\nkindd = 'openai'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="kindd"):
        load_config(path)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(900)  # 8 real renders; minutes on a loaded 2-core machine
def test_cli_evolve_with_renders_against_local_server(tmp_path, fake_server):
    from core.prompts.config import dump_config
    from tests.cli_helpers import run_brushwork

    cfg = _config(tmp_path, fake_server.base_url, train_size=2, val_size=2, minibatch_size=2, max_metric_calls=8,
                  render=True, render_size=96, render_timeout=60.0)
    path = tmp_path / "evolve.toml"
    path.write_text(dump_config(cfg), encoding="utf-8")
    proc = run_brushwork("prompt", "evolve", str(path), "--json", timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    final = json.loads(proc.stdout.strip().splitlines()[-1])
    print("FIGURES", json.dumps(final))
    seed, best = final["seed"], final["best"]
    assert best["hallucination_rate"] < seed["hallucination_rate"]
    assert best["render_rate"] > seed["render_rate"]
    assert final["metric_calls"] <= 8


def test_cli_lineage_promote_and_stop(tmp_path, fake_server, brushwork_home):
    from tests.cli_helpers import run_brushwork

    cfg = _config(tmp_path, fake_server.base_url)
    summary = run_evolution(cfg)
    run = str(cfg.resolved_run_dir())
    listed = run_brushwork("prompt", "lineage", run, "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["finished"] and {n["status"] for n in data["nodes"]} >= {"seed", "accepted"}
    promoted = run_brushwork("prompt", "promote", run)
    assert promoted.returncode == 0, promoted.stderr
    assert (brushwork_home / "prompts" / "training_system_prompt.md").read_text() == summary.best_text
    assert run_brushwork("prompt", "stop", run).returncode == 0
    assert (cfg.resolved_run_dir() / "gepa.stop").exists()
    missing = run_brushwork("prompt", "lineage", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "evolution run folder" in missing.stderr
