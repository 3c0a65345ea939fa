"""The Prompts pane on real evolution runs against the loopback model: lineage, diff, promote, start/stop."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "prompts"))
from fake_openai import FakeOpenAIServer  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with FakeOpenAIServer() as s:
        yield s


def _config(home: Path, base_url: str, name: str, **over):
    from core.prompts.config import config_from_dict

    data = {"name": name, "seed_prompt": "full-reference", "train_size": 4, "val_size": 3, "minibatch_size": 2,
            "max_metric_calls": 40, "render": False, "seed": 3,
            "generator": {"kind": "openai", "model": "fake", "base_url": base_url, "api_key_env": "",
                          "max_retries": 0, "concurrency": 2}}
    data.update(over)
    return config_from_dict(data)


@pytest.fixture
def pane(open_pane):
    from studio.panes.prompts import PromptsPane

    return open_pane(PromptsPane, (900, 600))


def test_lineage_table_diff_and_promote(pane, qtbot, server, brushwork_home, artifacts):
    from core.prompts.evolve import run_evolution

    summary = run_evolution(_config(brushwork_home, server.base_url, "lab"))
    pane.refresh_runs()
    qtbot.waitUntil(lambda: pane.table.rowCount() >= 2, timeout=5000)
    lineage = pane.lineage
    assert pane.runs.currentText() == "lab"
    assert pane.table.rowCount() == len(lineage.nodes) == len(pane.graph.positions)
    best = lineage.best()
    assert best.idx == summary.best_idx and best.on_front
    assert pane.graph.current == best.key and pane.text.toPlainText() == best.text
    halluc = {pane.table.item(r, 0).text(): pane.table.item(r, 4).text() for r in range(pane.table.rowCount())}
    assert halluc["c0"] != "0%" and halluc[best.key] == "0%"
    # Diff: seed (A) against best (B) shows the strict allowlist added.
    pane.diff_a.setCurrentIndex(pane.diff_a.findData("c0"))
    pane.diff_b.setCurrentIndex(pane.diff_b.findData(best.key))
    diff = pane.diff.toPlainText()
    assert any(line.startswith("+ ") and "ONLY" in line for line in diff.splitlines())
    assert any(line.startswith("- ") and "brush.wiggle" in line for line in diff.splitlines())
    shots = artifacts / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pane.graph.select("c0")
    pane.grab().save(str(shots / "prompts_pane.png"))
    pane.tabs.setCurrentIndex(1)
    pane.grab().save(str(shots / "prompts_pane_diff.png"))
    # Promote the best candidate, after a question: the training system prompt file is written in the data home.
    pane.graph.select(best.key)
    box = pane.promote_current()
    assert box.isVisible() and best.key in box.text()
    next(b for b in box.buttons() if b.text() == "Cancel").click()
    qtbot.wait(100)
    assert pane.promoted is None and not (brushwork_home / "prompts" / "training_system_prompt.md").exists()
    box = pane.promote_current()
    next(b for b in box.buttons() if b.text() == "Use it").click()
    qtbot.waitUntil(lambda: pane.promoted is not None, timeout=5000)
    assert pane.promoted == brushwork_home / "prompts" / "training_system_prompt.md"
    assert pane.promoted.read_text() == best.text
    assert "front" in pane.status.text() or "promoted" in pane.status.text()


@pytest.mark.slow
def test_new_run_form_starts_an_evolution_the_pane_follows_and_stop_ends_it(pane, qtbot, server, artifacts):
    from core.prompts.config import load_config

    dialog = pane.new_run_dialog()
    dialog.name.setText("live run")
    dialog.base_url.setText(server.base_url)
    dialog.model.setText("fake")
    dialog.key_env.setText("")
    dialog.budget.setValue(400)
    dialog.render.setChecked(False)  # a dry run: the pane's job is the same, the test stays short
    shots = artifacts / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(shots / "prompts_new_run.png"))
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.config_path is not None, timeout=5000)  # written in a thread
    cfg = load_config(dialog.config_path)
    assert cfg.generator.base_url == server.base_url and cfg.max_metric_calls == 400 and not cfg.render
    qtbot.waitUntil(lambda: pane.process is not None and pane.runs.currentText() == "live-run", timeout=10_000)
    qtbot.waitUntil(lambda: pane.table.rowCount() >= 1, timeout=120_000)  # the seed lands while it runs
    pane.stop_button.click()
    qtbot.waitUntil(lambda: pane.process is None, timeout=120_000)
    qtbot.waitUntil(lambda: pane.lineage.finished, timeout=10_000)
    assert pane.lineage.metric_calls < 400  # stopped, not out of budget
    assert (cfg.resolved_run_dir() / "summary.json").exists()


def test_rejected_proposals_and_front_are_marked(pane, qtbot, brushwork_home, artifacts):
    """A lineage file as gepa's callbacks write it, with a rejected proposal: the pane marks each kind."""
    import json

    run = brushwork_home / "prompt_runs" / "marks"
    run.mkdir(parents=True)
    metrics = {"n": 3, "hallucination_rate": 0.0, "render_rate": 1.0, "uses_brush_rate": 1.0, "score": 0.7}
    events = [
        {"event": "candidate", "idx": 0, "parents": [], "text": "seed", "status": "seed", "iteration": 0,
         "score": 0.2, "metrics": {**metrics, "hallucination_rate": 0.67}},
        {"event": "candidate", "idx": 1, "parents": [0], "text": "seed\nUse ONLY brush.set", "status": "accepted",
         "iteration": 1, "score": 0.7, "metrics": metrics},
        {"event": "rejected", "iteration": 2, "parents": [1], "text": "worse", "old_score": 2.1, "new_score": 1.5,
         "reason": "not better", "metrics": metrics},
        {"event": "pareto", "iteration": 1, "front": [1]},
    ]
    (run / "lineage.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    pane.refresh_runs()
    qtbot.waitUntil(lambda: pane.table.rowCount() == 3, timeout=5000)
    rows = {pane.table.item(r, 0).text(): r for r in range(3)}
    assert pane.table.item(rows["r2"], 1).text() == "rejected"
    assert pane.table.item(rows["c1"], 6).text() == "★" and pane.table.item(rows["c0"], 6).text() == ""
    assert pane.lineage.by_idx(1).on_front and not pane.lineage.by_idx(0).on_front
    assert pane.graph.positions["r2"].x() > pane.graph.positions["c1"].x()  # a child of c1, one column on
    assert pane.status.text().startswith("2 candidates · 1 rejected · Pareto front c1")
    # a rejected proposal cannot become the training prompt: the button says why, promoting refuses
    pane.graph.select("r2")
    assert not pane.promote_button.isEnabled() and "rejected" in pane.promote_button.toolTip()
    assert pane.promote_current() is None and "rejected" in pane.status.text()
    assert not (brushwork_home / "prompts" / "training_system_prompt.md").exists()
    shots = artifacts / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pane.grab().save(str(shots / "prompts_pane_rejected.png"))


def test_a_missing_key_or_server_is_said_before_anything_starts(pane, qtbot, monkeypatch, brushwork_home):
    import socket

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    dialog = pane.new_run_dialog()
    # the defaults (OpenAI, $OPENAI_API_KEY) without the key: said in the dialog, Start waits
    assert dialog.problem.isVisible() and "$OPENAI_API_KEY is not set" in dialog.problem.text()
    assert not dialog.start_button.isEnabled()
    dialog.accept()
    assert dialog.config_path is None and pane.process is None
    # a local endpoint needs no key; one where nothing listens is refused by the pane before it starts
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    dialog.base_url.setText(f"http://127.0.0.1:{port}/v1")
    assert dialog.start_button.isEnabled() and not dialog.problem.isVisible()
    dialog.accept()
    qtbot.waitUntil(lambda: pane.problem.isVisible(), timeout=10_000)
    assert "Nothing answers at" in pane.problem.text() and pane.process is None
    assert not (brushwork_home / "prompt_runs" / "evolve").exists() or not any(
        (brushwork_home / "prompt_runs" / "evolve").iterdir())
    dialog.base_url.setText("ftp://example")
    assert "not an http(s) URL" in dialog.problem.text() and not dialog.start_button.isEnabled()
