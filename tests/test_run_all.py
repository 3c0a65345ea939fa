"""tests/run_all.sh (`make test`): the solo list reads with a bare interpreter and names real tests."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from solo_tests import SOLO

REPO = Path(__file__).resolve().parent.parent


def test_the_solo_list_reads_without_pytest_and_names_real_tests():
    # -I: no PYTHONPATH, no script folder on sys.path; the list must not need pytest's path set-up
    done = subprocess.run([sys.executable, "-I", "tests/solo_tests.py"], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    files = done.stdout.split()
    assert files and files == sorted(set(files))
    assert {entry.split("::")[0] for entry in SOLO} == set(files)
    for entry in SOLO:
        path, _, name = entry.partition("::")
        assert (REPO / path).is_file(), entry
        assert not name or f"def {name}(" in (REPO / path).read_text(), f"{entry}: no such test"
