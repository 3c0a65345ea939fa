"""The tests whose assertions are about time (latency, GUI stalls, recovery within timeout + 5 s).

`make test` (tests/run_all.sh) runs them alone after the two lanes, so the other lane's load cannot decide
them; tests/conftest.py marks them `solo`. This module imports nothing, so run_all.sh can read the list
with a bare interpreter (`python tests/solo_tests.py` prints the files that hold them) before pytest runs.
"""
from __future__ import annotations

SOLO: tuple[str, ...] = (
    "tests/hostile/test_watchdog.py",
    "tests/hostile/test_load.py",
    "tests/hostile/test_walls.py",
    "tests/hostile/test_cold_start.py",
    "tests/studio/test_rating_contended.py",
    "tests/studio/test_editor.py::test_hanging_sketch_times_out_and_gui_keeps_ticking",
    "tests/studio/test_rubric_pane.py::test_a_weight_drag_recomputes_within_50_ms",
    # the fast rollout's judge call must come seconds before a slow one's render ends: a busy lane beside it
    # delayed the fast render itself (judged 1.1 s apart at load 12)
    "tests/train/test_scoring_as_renders_land.py",
)


def solo_files() -> list[str]:
    """The test files that hold solo tests: the solo run collects only these (importing all takes a minute)."""
    return sorted({entry.split("::")[0] for entry in SOLO})


if __name__ == "__main__":
    print(" ".join(solo_files()))
