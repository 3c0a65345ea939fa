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


STAND_IN = """#!/usr/bin/env bash
# stands in for the venv's python: records each call; `-m pytest ... --basetemp=DIR/NAME` exits with $RC_NAME
echo "$*" >> "$CALLS"
if [ "$1" = tests/solo_tests.py ]; then [ -n "${SOLO_LIST_FAILS:-}" ] && exit 1; echo tests/a.py tests/b.py; exit 0; fi
for a in "$@"; do case $a in --basetemp=*) name=${a##*/};; esac; done
echo "pytest output of $name"
rc="RC_$name"
exit "${!rc:-0}"
"""


def _make_test(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """tests/run_all.sh with a stand-in for python; returns its result and the calls it made."""
    stand_in = tmp_path / "python"
    stand_in.write_text(STAND_IN)
    stand_in.chmod(0o755)
    calls = tmp_path / "calls"
    done = subprocess.run(["bash", "tests/run_all.sh"], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PY": str(stand_in), "CALLS": str(calls),
                               "TMPDIR": str(tmp_path), **env})
    return done, calls.read_text().splitlines()


def test_run_all_runs_every_lane_then_the_solo_files(tmp_path):
    done, calls = _make_test(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    pytest_calls = [c for c in calls if c.startswith("-m pytest")]
    assert [c.split("--basetemp=")[1].split()[0].rsplit("/", 1)[1] for c in pytest_calls][-1] == "solo"
    assert pytest_calls[-1].endswith("tests/a.py tests/b.py")  # only the files that hold solo tests
    assert "make test:" in done.stdout.splitlines()[-1] and "studio" in done.stdout.splitlines()[-1]


def test_a_lane_that_crashes_fails_the_run_and_shows_where(tmp_path):
    done, _ = _make_test(tmp_path, RC_studio="139")
    assert done.returncode == 139
    assert "studio: pytest died of signal 11" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("make test:") and "studio" in done.stdout.splitlines()[-1]


def test_an_unreadable_solo_list_or_an_empty_lane_fails_loudly(tmp_path):
    done, calls = _make_test(tmp_path, SOLO_LIST_FAILS="1")
    assert done.returncode == 1 and "could not read the solo tests' files" in done.stdout
    assert not any("solo and not long" in c for c in calls)  # never a solo run over the whole suite
    done, _ = _make_test(tmp_path, RC_rest="5")
    assert done.returncode == 1 and "rest: pytest collected no tests" in done.stdout
