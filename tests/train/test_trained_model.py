"""From a terminal alone: train 2 steps of the tiniest model (TensorBoard on), list and export the run, generate
with its last checkpoint into the library, export the adapter with a card and the merged model.

One real `brushwork train` process makes the run every test here reads (about a minute on 2 busy cores).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from core.store import Store
from core.train.trained import CheckpointGenerator, load_trained, resolve_checkpoint
from tests.cli_helpers import REPO, run_brushwork
from tests.subject_helpers import make_tiny_recogniser
from tests.train.tiny_config import write_tiny_run_config

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, Path]:
    """(data home, run folder) of a finished 2-step run."""
    from core.train.tiny import TinySpec, make_tiny

    root = tmp_path_factory.mktemp("trained")
    home, model = root / "home", root / "model"
    make_tiny(model, TinySpec(vocab_size=320, hidden_size=32, layers=1, heads=2, corpus_size=200))
    make_tiny_recogniser(home)  # offline-default weights subject: its preflight wants a recogniser here
    write_tiny_run_config(root / "run.toml", model, run={"name": "cli", "checkpoint_every": 1, "report_to": ["tensorboard"]},
                          grpo={"steps": 2, "batch_size": 2, "learning_rate": 1e-3}, prompts={"heldout_count": 2})
    run_dir = home / "runs" / "cli-1"
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRUSHWORK_HOME": str(home), "BRUSHWORK_TORCH_THREADS": "1"}
    env.pop("TENSORBOARD_LOGGING_DIR", None)
    done = subprocess.run([sys.executable, "-m", "core.cli", "train", str(root / "run.toml"), "--run-dir", str(run_dir)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert 'a value of "None"' not in done.stdout + done.stderr  # unmeasured components: no warning per key
    return home, run_dir


def test_tensorboard_gets_the_run_offline(trained):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    _, run_dir = trained
    events = EventAccumulator(str(run_dir / "tensorboard"))
    events.Reload()
    assert [e.step for e in events.Scalars("train/reward")] == [1, 2]
    assert "train/kl" in events.Tags()["scalars"]


def test_the_run_is_listed_and_its_metrics_exported(trained, tmp_path):
    home, run_dir = trained
    listed = json.loads(run_brushwork("runs", "list", "--json", home=home).stdout)
    assert [(r["id"], r["status"], r["last_step"]) for r in listed] == [("cli-1", "finished", 2)]
    report = json.loads(run_brushwork("runs", "export", "cli-1", "-o", str(tmp_path / "x"), "--json", home=home).stdout)
    metrics = pq.read_table(report["metrics"]).to_pydict()
    assert metrics["step"] == [0, 1, 2] and metrics["reward"][1:] == [pytest.approx(v) for v in metrics["reward"][1:]]
    assert metrics["heldout/reward"][0] is not None and metrics["heldout/reward"][2] is not None
    assert Path(report["contact_sheet"]).is_file()  # the run's own sheet, copied beside the tables
    assert report["sample_rows"] == 2 * 2 + 2 * 2  # 2 steps x batch 2, 2 held-out prompts x 2 evaluations


def test_generate_with_the_last_checkpoint_into_the_library(trained):
    home, run_dir = trained
    done = run_brushwork("generate", "--model", str(run_dir), "-n", "3", "--seed", "5", "--size", "64",
                         "--concurrency", "1", "--json", home=home, timeout=600)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    report = json.loads(done.stdout.splitlines()[-1])
    # an untrained model may answer blank now and then: such an answer is a failure line, not a sketch
    assert report["generated"] >= 1 and report["generated"] + len(report["failures"]) >= 3
    assert list(report["cost"]["by_model"]) == ["checkpoint:cli-1/checkpoint-2"]
    store = Store(home / "brushwork.db")
    try:
        sketches = [store.get_sketch(i) for i in report["sketch_ids"]]
    finally:
        store.close()
    ref = resolve_checkpoint(run_dir)
    from core.train.heldout_eval import heldout_prompts

    prompts = heldout_prompts(ref.config)  # the run's held-out prompts, cycled: sketch i has seed 5 + i
    assert all(s.prompt == prompts[(s.meta["seed"] - 5) % len(prompts)] for s in sketches)
    assert {(s.source, s.run_id, s.step, s.meta["checkpoint"]) for s in sketches} == {
        ("generated", "cli-1", 2, "checkpoint-2")}
    # the same checkpoint, prompt and seed write the same text again; other seeds sample other texts
    gen = CheckpointGenerator(resolve_checkpoint(run_dir / "checkpoints" / "checkpoint-2"))
    texts = [gen.generate("", prompts[0], seed=s).text for s in (5, 5, 6, 7, 8)]
    assert texts[0] == texts[1] and len(set(texts[1:])) > 1


def test_generate_refuses_a_folder_that_is_not_a_run(trained, tmp_path):
    home, _ = trained
    done = run_brushwork("generate", "--model", str(tmp_path), "-n", "1", home=home)
    assert done.returncode == 2 and "neither a run folder" in done.stderr and "--model-path" in done.stderr


def test_export_the_adapter_with_its_card_and_the_merged_model(trained, tmp_path):
    import torch
    from peft import AutoPeftModelForCausalLM
    from transformers import AutoModelForCausalLM

    home, run_dir = trained
    out = tmp_path / "adapter"
    done = run_brushwork("export", str(run_dir), "--adapter", str(out), "--json", home=home, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {"adapter_config.json", "adapter_model.safetensors", "README.md", "brushwork-run.toml",
            "contact_sheet.png", "tokenizer.json"} <= set(json.loads(done.stdout)["files"])
    card = (out / "README.md").read_text()
    assert card.startswith("---\n") and "library_name: peft" in card
    assert "| checkpoint-2 (this export) | 2 |" in card and "| sft | 0 |" in card          # held-out figures
    assert "`offline-default`" in card and "| colour_adherence |" in card                  # the rubric
    assert re.search(r'report_to = \[\s*"tensorboard",?\s*\]', card) and "lora_r = 4" in card  # the run's config
    assert AutoPeftModelForCausalLM.from_pretrained(str(out)) is not None

    # A 2-step run whose rewards were all equal leaves LoRA B at zero: give the copy's adapter real
    # weights so that merging has something to merge.
    from safetensors.torch import load_file, save_file

    copy = tmp_path / "runs" / run_dir.name
    shutil.copytree(run_dir, copy)
    weights_file = copy / "checkpoints" / "checkpoint-2" / "adapter_model.safetensors"
    weights = load_file(str(weights_file))
    torch.manual_seed(0)
    save_file({k: (v + 0.05 * torch.randn_like(v)) if "lora_B" in k else v for k, v in weights.items()},
              str(weights_file))
    merged = tmp_path / "merged"
    assert run_brushwork("export", str(copy), "--merge", str(merged), home=home, timeout=300).returncode == 0
    ids = torch.tensor([[1, 2, 3, 4, 5]])
    with_adapter, _ = load_trained(resolve_checkpoint(copy))
    with torch.no_grad():
        want = with_adapter(ids).logits
        got = AutoModelForCausalLM.from_pretrained(str(merged))(ids).logits
        base = AutoModelForCausalLM.from_pretrained(json.loads((out / "adapter_config.json").read_text())[
            "base_model_name_or_path"])(ids).logits
    assert torch.allclose(want, got, atol=1e-5)
    assert not torch.allclose(base, want, atol=1e-3)  # the adapter changes the model, and the merge keeps it

    again = run_brushwork("export", str(run_dir), "--adapter", str(out), home=home)
    assert again.returncode == 2 and "not an empty folder" in again.stderr
    assert (out / "README.md").read_text() == card  # untouched
