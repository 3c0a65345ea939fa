"""`runs show` and `bench train` report the paired held-out rise the run computed, the independent signal's beside it."""
from __future__ import annotations

import json
import statistics
from pathlib import Path

from core.store import Store
from core.train.heldout_runner import INDEPENDENT, rise_figures, stored_rise
from core.train.run_writer import RunWriter, SampleRow
from tests.cli_helpers import run_brushwork

PROMPTS = [f"draw a red boat number {i}" for i in range(8)]


def write_run(store: Store, run_dir: Path, run_id: str = "rise-run") -> None:
    """sft and checkpoint-4, 8 prompts x 2 seeds: the rubric's total rises by 0.1 on 6 prompts, the independent
    signal does not move (a rubric gamed)."""
    run_dir.mkdir(parents=True)
    w = RunWriter(store, run_id)
    w.start("rise", "grpo", {"steps": 4}, run_dir)
    w.event(0, "pinned", "fixed at start", {"independent": "learned reward model"})
    for checkpoint, step in (("sft", 0), ("checkpoint-4", 4)):
        rows = []
        for i, prompt in enumerate(PROMPTS):
            for seed in (0, 1):
                total = 0.4 + 0.01 * i + 0.02 * seed + (0.1 if step and i < 6 else 0.0)
                rows.append(SampleRow(step, prompt, "c", "code", {"length": 1.0, INDEPENDENT: 0.3 + 0.01 * seed},
                                      total, split="heldout", seed=seed, checkpoint=checkpoint))
        w.samples(rows)
    w.status("finished")


def test_runs_show_ends_with_the_paired_rise_and_the_independent_signal(store, brushwork_home):
    write_run(store, brushwork_home / "runs" / "rise-run")
    s = json.loads(run_brushwork("runs", "show", "rise-run", "--json").stdout)
    assert s["heldout_prompts"] == 8 and s["heldout_better"] == 6 and s["heldout_worse"] == 0
    assert abs(s["heldout_delta"] - statistics.fmean([0.1] * 6 + [0.0] * 2)) < 1e-9
    assert 0 < s["heldout_ci_low"] <= s["heldout_delta"] <= s["heldout_ci_high"] <= 0.1 + 1e-9
    assert s["heldout_p_value"] < 0.05
    assert s["independent_delta"] == 0 and s["independent_p_value"] == 1.0 and s["independent_prompts"] == 8
    assert s["independent_signal"] == "learned reward model"
    text = run_brushwork("runs", "show", "rise-run").stdout.strip().splitlines()
    assert text[-2].startswith("held-out reward (sft -> checkpoint-4) +0.075 (95 % CI +0.")
    assert "n = 8 prompts, Wilcoxon p = " in text[-2]
    assert text[-1].startswith("independent signal (learned reward model) +0.000 (95 % CI +0.000 to +0.000, n = 8")
    assert rise_figures(stored_rise(store, "rise-run"))["heldout_delta"] == s["heldout_delta"]


def test_one_evaluation_has_no_rise_yet(store, brushwork_home):
    w = RunWriter(store, "young")
    w.start("young", "grpo", {}, brushwork_home)
    w.samples([SampleRow(0, "p", "c", "x", {}, 0.5, split="heldout", seed=0, checkpoint="sft")])
    rise = stored_rise(store, "young")
    assert rise["reward"] is None and rise_figures(rise)["heldout_delta"] is None


def test_bench_train_json_ends_with_the_paired_rise(store, brushwork_home):
    run_dir = brushwork_home / "runs" / "rise-run"
    write_run(store, run_dir)
    out = run_brushwork("bench", "train", "--from-run", str(run_dir), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])  # the last line is one JSON object
    shown = json.loads(run_brushwork("runs", "show", "rise-run", "--json").stdout)
    keys = ("prompts", "delta", "ci_low", "ci_high", "p_value")
    assert {k: report[f"heldout_{k}"] for k in keys} == {k: shown[f"heldout_{k}"] for k in keys}
    assert report["heldout_prompts"] == 8 and report["heldout_ci_low"] > 0
    assert report["independent_delta"] == 0 and report["independent_signal"] == "learned reward model"
    assert report["rise"][0].startswith("held-out reward (sft -> checkpoint-4) +0.075 (95 % CI")
