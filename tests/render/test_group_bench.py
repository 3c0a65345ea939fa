"""`brushwork bench group`: a real run on two sketches prints the group beside the same sketches alone, then
one JSON object whose figures are the ones the issue defines, every render in a context of its own."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.paths import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LINE = """function setup() {
  createCanvas(128, 128, WEBGL);
  background(240);
  brush.set("HB", "#%s", 1);
  brush.line(-40, %d, 40, 0);
}
"""


def test_bench_group_prints_side_by_side_and_ends_with_one_json_object(tmp_path):
    (tmp_path / "a.js").write_text(LINE % ("aa2222", -20))
    (tmp_path / "b.js").write_text(LINE % ("2222aa", 20))
    (tmp_path / "notes.txt").write_text("not a sketch")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    out = subprocess.run([sys.executable, "-m", "core.cli", "bench", "group", str(tmp_path), "--repeat", "2"],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    text = "\n".join(lines[:-1])
    assert "alone, one at a time" in text and "as one group" in text and "ratio to ideal" in text
    assert report["renders"] == 2 and report["pages"] == 2
    assert report["outcomes"] == {"a": "ok", "b": "ok"}
    assert report["fresh_context"] is True
    cores = os.cpu_count() or 1
    assert report["cores"] == cores
    assert report["alone_ms_sum"] == pytest.approx(sum(report["alone_ms"].values()), abs=2)
    assert report["ideal_ms"] == pytest.approx(report["alone_ms_sum"] / min(cores, 2), abs=0.2)
    assert report["ratio_to_ideal"] == pytest.approx(report["wall_ms"] / report["ideal_ms"], abs=0.01)
    assert len(report["walls_ms"]) == len(report["refills_ms"]) == 2 and report["refill_ms"] > 0
    assert report["page_pss_mb"] > 0 and report["browser_pss_mb"] > report["page_pss_mb"]
    assert report["refill_cpu_ms"] > 0 and report["refill_idle_ms"] == pytest.approx(
        report["refill_cpu_ms"] / min(cores, 2), abs=0.2)
    # two more groups as training sends them, a generation's time apart, warm or not
    assert report["gap_ms"] == 1250 and len(report["steady_walls_ms"]) == 2
    assert report["steady_ratio_to_ideal"] == pytest.approx(report["steady_wall_ms"] / report["ideal_ms"], abs=0.01)
    assert str(report["ratio_to_ideal"]) in text or f"{report['ratio_to_ideal']:.2f}" in text
