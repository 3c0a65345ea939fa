#!/usr/bin/env bash
# `make test`: the whole suite in under 20 minutes on 2 cores.
#   1. Two lanes side by side: the studio's tests, then the training, prompt, reward-model and pool tests
#      (two processes, one after the other), beside everything else (each in the order a plain `pytest`
#      runs them; logs printed when all are done).
#   2. The tests marked `solo` (they measure latency, stalls and recovery times) alone.
# Training runs of several minutes (marker `long`) are `make test-long`. Exit status: the first failure.
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export QT_QPA_PLATFORM=offscreen
tmp=$(mktemp -d "${TMPDIR:-/tmp}/brushwork-tests-XXXXXX")
# What one pytest process makes, the others take instead of making it again: the subject recogniser's fit
# (tests/subject_helpers.py).
export BRUSHWORK_TEST_SHARED="$tmp/shared"
mkdir -p "$BRUSHWORK_TEST_SHARED"
run() {  # name, pytest args...: output in $tmp/NAME.log, exit status in NAME.rc, wall seconds in NAME.s
    local name=$1; shift
    local t0; t0=$(date +%s)
    "$PY" -m pytest -q -p no:cacheprovider --basetemp="$tmp/$name" "$@" >"$tmp/$name.log" 2>&1
    local rc=$?
    echo "$rc" >"$tmp/$name.rc"
    echo "$(( $(date +%s) - t0 ))" >"$tmp/$name.s"
    return "$rc"
}
start=$(date +%s)
# Two lanes of about equal time on 2 cores. The second lane runs the studio's Qt tests in a process of
# their own, then training, prompts, reward model and pool in another: Qt objects a studio test leaves
# behind never meet pytest-qt's event processing in the tests after them (once a QApplication exists it
# runs after every test, and a leftover crashed a later non-Qt test's teardown with SIGSEGV).
STUDIO=(tests/studio)
REST=(tests/train tests/prompts tests/reward_model tests/pool)
lane() {
    run studio -m "not long and not solo" --durations=12 "${STUDIO[@]}"
    run rest -m "not long and not solo" --durations=8 "${REST[@]}"
}
lane & second_pid=$!
run core -m "not long and not solo" --durations=20 "${STUDIO[@]/#/--ignore=}" "${REST[@]/#/--ignore=}"
wait "$second_pid"
for name in core studio rest; do echo "=== $name tests ($(cat "$tmp/$name.s") s) ==="; cat "$tmp/$name.log"; done
echo "=== the timing tests, alone ==="
# only the files that hold solo tests are collected (importing every test module takes a minute); the list
# is read with a bare interpreter (tests/solo_tests.py imports nothing), and a failure to read it fails the run
if solo_files=$("$PY" tests/solo_tests.py) && [ -n "$solo_files" ]; then
    # shellcheck disable=SC2086
    run solo -m "solo and not long" --durations=5 $solo_files
    cat "$tmp/solo.log"
else
    echo "FAILED: could not read the solo tests' files from tests/solo_tests.py (output above); solo tests not run"
    echo 1 >"$tmp/solo.rc"; echo 0 >"$tmp/solo.s"
fi
status=0
summary=""
for name in core studio rest solo; do
    rc=$(cat "$tmp/$name.rc")
    summary+="$name $(cat "$tmp/$name.s") s rc $rc; "
    if [ "$rc" -ge 128 ]; then  # last, so that an output cut in the middle still shows where it died
        echo "=== $name: pytest died of signal $(( rc - 128 )); the end of its log (faulthandler's stacks) ==="
        tail -n 80 "$tmp/$name.log"
    fi
    if [ "$rc" -eq 5 ]; then echo "$name: pytest collected no tests: that is a failure here"; rc=1; fi
    if [ "$status" -eq 0 ] && [ "$rc" -ne 0 ]; then status=$rc; fi
done
echo "make test: $(( $(date +%s) - start )) s (${summary%; })"
rm -rf "$tmp"
exit "$status"
