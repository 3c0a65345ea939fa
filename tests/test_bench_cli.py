"""`brushwork bench`: its help names every benchmark in benchmarks/, and the GUI ones go to the studio's entry point."""
from __future__ import annotations

import subprocess
import sys

from core.bench import BENCH_DIR, GUI_BENCHES, bench_command, bench_names
from tests.cli_helpers import REPO, run_brushwork


def test_help_lists_every_benchmark():
    files = sorted(p.name.removesuffix("_bench.py") for p in BENCH_DIR.glob("*_bench.py"))
    assert len(files) >= 10 and bench_names() == files
    help_text = " ".join(run_brushwork("bench", "-h").stdout.split())  # argparse wraps lines
    missing = [n for n in files if n not in help_text]
    assert not missing, f"`brushwork bench -h` does not name {missing}"


def test_gui_benchmarks_exist_and_run_through_the_studio():
    assert set(GUI_BENCHES) <= set(bench_names())
    for name in GUI_BENCHES:
        assert bench_command(name, ["--json"])[1:4] == ["-m", "studio", "bench"]
    assert bench_command("store", [])[1].endswith("store_bench.py")
    assert bench_command("no_such", []) is None


def test_the_studio_refuses_a_benchmark_that_is_not_a_gui_one():
    proc = subprocess.run([sys.executable, "-m", "studio", "bench", "store"], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert f"have: {', '.join(GUI_BENCHES)}" in proc.stderr


def test_the_careless_benchmark_says_what_it_needs_in_a_home_without_a_recogniser(tmp_path):
    proc = run_brushwork("bench", "careless", "--json", home=tmp_path / "home")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("bench careless: ") and "subject train" in proc.stderr
    assert not proc.stdout.strip()  # nothing rendered, no half a JSON line
