"""`brushwork runs list|show|export` as real processes over a run written by the real RunWriter (real SQLite)."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from PIL import Image

from core.hashing import bytes_hash
from core.store import Store
from core.train.run_writer import RunWriter, SampleRow
from core.train.runs import RunNotFound, find_run
from tests.cli_helpers import run_brushwork
from tests.db_helpers import sql_write


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, "PNG")
    return out.getvalue()


def write_run(store: Store, run_dir: Path, run_id: str = "tiny-20261207-000000") -> RunWriter:
    """A finished 3-step run: metrics (one key not measured at step 2), train and held-out samples, events."""
    run_dir.mkdir(parents=True)
    (run_dir / "checkpoints" / "checkpoint-3").mkdir(parents=True)
    w = RunWriter(store, run_id)
    w.start("tiny", "grpo", {"steps": 3, "rubric": "offline-default"}, run_dir)
    w.metrics(0, {"heldout/reward": 0.25, "heldout/nonblank": 0.5})
    for step in (1, 2, 3):
        w.metrics(step, {"reward": step / 10, "kl": None if step == 2 else step * 0.01})
        w.samples([SampleRow(step, "draw a red boat", "completion", f"code {step}",
                             {"length": 1.0, "colour": None if step == 2 else 0.5}, step / 10)])
    w.metrics(3, {"heldout/reward": 0.75, "heldout/nonblank": 1.0})
    for checkpoint, step, colour, total in (("sft", 0, "white", 0.25), ("checkpoint-3", 3, "red", 0.75)):
        picture = png(colour)
        store.save_render(f"// {checkpoint}", 0, 32, 32, png=picture, ms=1.0)
        w.samples([SampleRow(step, "draw a red boat", "c", f"// {checkpoint}", {"length": 1.0}, total,
                             png_hash=bytes_hash(picture), split="heldout", seed=0, checkpoint=checkpoint)])
    w.event(2, "collapse", "diversity fell")
    w.status("finished")
    return w


@pytest.fixture
def run(store, brushwork_home) -> str:
    write_run(store, brushwork_home / "runs" / "tiny-20261207-000000")
    return "tiny-20261207-000000"


def test_list_and_show_as_json(run, brushwork_home):
    listed = json.loads(run_brushwork("runs", "list", "--json").stdout)
    assert [(r["id"], r["status"], r["last_step"], r["heldout_reward"]) for r in listed] == [
        (run, "finished", 3, [0.25, 0.75])]
    shown = run_brushwork("runs", "show", "tiny-2026", "--json")  # a unique prefix
    s = json.loads(shown.stdout)
    assert s["checkpoints"] == ["checkpoint-3"] and s["samples"] == {"train": 3, "heldout": 2}
    assert [(h["checkpoint"], h["step"], h["reward"], h["nonblank"]) for h in s["heldout"]] == [
        ("sft", 0, 0.25, 0.5), ("checkpoint-3", 3, 0.75, 1.0)]
    assert (s["reward_first"], s["reward_last"], s["reward_window"]) == (pytest.approx(0.1), pytest.approx(0.3), 1)
    assert s["events"] == {"collapse": 1}
    text = run_brushwork("runs", "show", str(brushwork_home / "runs" / run)).stdout  # by its folder
    assert f"run {run} (tiny): finished at step 3 of 3" in text and "checkpoint-3" in text


def test_export_parquet_and_csv_keep_every_value_and_none(run, tmp_path):
    done = run_brushwork("runs", "export", "latest", "-o", str(tmp_path / "pq"), "--json")
    report = json.loads(done.stdout)
    assert (report["steps"], report["sample_rows"]) == (4, 5)
    metrics = pq.read_table(report["metrics"]).to_pydict()
    assert metrics["step"] == [0, 1, 2, 3]
    assert metrics["reward"] == [None, 0.1, 0.2, 0.3]
    assert metrics["kl"] == [None, 0.01, None, 0.03]          # not measured stays null, never 0
    assert metrics["heldout/reward"] == [0.25, None, None, 0.75]
    samples = pq.read_table(report["samples"]).to_pylist()
    train = [r for r in samples if r["split"] == "train"]
    assert [r["components/colour"] for r in train] == [0.5, None, 0.5]
    held = [r for r in samples if r["split"] == "heldout"]
    assert [r["checkpoint"] for r in held] == ["sft", "checkpoint-3"]
    assert all(Path(r["png_path"]).is_file() for r in held)
    sheet = Image.open(report["contact_sheet"])                 # built from the held-out samples
    assert sheet.getpixel((sheet.width // 4, 100)) == (255, 255, 255)     # sft's white picture on the left
    assert sheet.getpixel((sheet.width * 3 // 4, 100)) == (255, 0, 0)     # checkpoint-3's red one on the right
    assert json.loads(Path(report["summary"]).read_text())["id"] == run

    csv = json.loads(run_brushwork("runs", "export", run, "-o", str(tmp_path / "csv"), "--format", "csv",
                                   "--json").stdout)
    table = pcsv.read_csv(csv["metrics"]).to_pydict()
    assert table["kl"] == [None, 0.01, None, 0.03]
    assert pcsv.read_csv(csv["samples"]).num_rows == 5


def test_unknown_or_ambiguous_runs_are_clear_messages(store, brushwork_home):
    done = run_brushwork("runs", "show", "nothing")
    assert done.returncode == 2 and "no runs in this data home yet" in done.stderr
    write_run(store, brushwork_home / "runs" / "a-1", "a-1")
    write_run(store, brushwork_home / "runs" / "a-2", "a-2")
    with pytest.raises(RunNotFound, match="matches 2 runs"):
        find_run(store, "a-")
    done = run_brushwork("runs", "export", "zzz")
    assert done.returncode == 2 and "no run 'zzz'" in done.stderr and "brushwork runs list" in done.stderr


def test_a_run_whose_process_died_lists_as_died(store, brushwork_home):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    w = write_run(store, brushwork_home / "runs" / "r", "r")
    sql_write(store, "UPDATE runs SET status='running', pid=? WHERE id='r'", (int(dead.stdout),))
    assert find_run(store, w.run_id).status == "died"
    listed = json.loads(run_brushwork("runs", "list", "--json").stdout)
    assert listed[0]["status"] == "died"
