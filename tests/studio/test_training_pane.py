"""The Training pane against a real run-writing process: live curves, died → resume, gallery, rollouts."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.db_helpers import sql_rows
from tests.studio.conftest import wait_until

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]


def start_writer(run_id: str, *extra: str) -> subprocess.Popen:
    """A real process writing a run (the same tables and shapes as the runner) into BRUSHWORK_HOME."""
    return subprocess.Popen([sys.executable, "-m", "tests.synthetic_run", "--run-id", run_id, *extra],
                            cwd=REPO, env=os.environ.copy())


@pytest.fixture
def run_loop(studio_loop):
    asyncio.set_event_loop(studio_loop)

    def run(coro, timeout: float = 60.0):
        return studio_loop.run_until_complete(asyncio.wait_for(coro, timeout))
    return run


@pytest.fixture
def pane(open_pane):
    from studio.panes.training import TrainingPane

    return open_pane(TrainingPane, (1100, 700))


def _png(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "sample.png"
    Image.new("RGB", (64, 64), (236, 150, 120)).save(path)
    return path


def test_curves_follow_a_live_run_and_a_killed_runner_reads_as_died(pane, run_loop, tmp_path, artifacts):
    writer = start_writer("live-1", "--steps", "400", "--interval", "0.05", "--keys", "30",
                          "--warn-at", "5", "--sample-every", "5", "--png", str(_png(tmp_path)))
    try:
        async def go():
            await wait_until(lambda: pane.runs and pane.run_id == "live-1", 30, "the run to be listed")
            await wait_until(lambda: (pane.curves.runs["main"].series.get("reward") or None)
                             and pane.curves.runs["main"].series["reward"].n >= 10, 30, "reward points on the curve")
            await wait_until(lambda: ("collapse" in {k for _s, k in pane.curves._marked}), 10, "the warning marker")
            assert pane.stop_button.isEnabled() and not pane.resume_button.isEnabled()
            await wait_until(lambda: [k for k in pane.curves._items if k[2].startswith("rewards/")], 10,
                             "each component's mean on its own curve")
            os.kill(writer.pid, signal.SIGKILL)
            writer.wait()
            await wait_until(lambda: pane.selected_run() and pane.selected_run().status == "died", 10,
                             "the killed run to read as died")
            assert pane.resume_button.isEnabled() and not pane.stop_button.isEnabled()
            # the reason is said in the pane itself, not only in a tooltip
            assert pane.problem.isVisible() and "Resume" in pane.problem.text() and "gone" in pane.problem.text()
            await wait_until(lambda: not pane.curves.pending, 10, "every curve and range drawn")
        run_loop(go())
        pane.grab().save(str(artifacts / "training-pane-curves.png"))
    finally:
        if writer.poll() is None:
            writer.kill()


def test_gallery_rollouts_and_open_in_editor(pane, run_loop, tmp_path, store, artifacts):
    writer = start_writer("gallery-1", "--steps", "11", "--interval", "0.01", "--sample-every", "5",
                          "--png", str(_png(tmp_path)))
    assert writer.wait(60) == 0
    opened: list[int] = []
    pane.bus.open_sketch.connect(opened.append)

    async def go():
        await wait_until(lambda: pane.run_id == "gallery-1", 20, "the run")
        pane.tabs.setCurrentWidget(pane.gallery)
        await pane._slow()
        assert pane.gallery.steps == [0, 5, 10] and len(pane.gallery.prompts) == 2
        assert all(label.pixmap() is not None and not label.pixmap().isNull() for label in pane.gallery.cells.values())
        pane.grab().save(str(artifacts / "training-pane-gallery.png"))
        pane.tabs.setCurrentWidget(pane.rollouts)
        pane.rollouts.order.setCurrentText("Highest reward first")
        await pane.rollouts.reload()
        totals = [r.total for r in pane.rollouts.rows]
        assert totals == sorted(totals, reverse=True) and len(totals) == 6
        pane.rollouts.step_min.setValue(5)
        await pane.rollouts.reload()
        assert {r.step for r in pane.rollouts.rows} == {5, 10}
        pane.rollouts.table.selectRow(0)
        sample = pane.rollouts.selected()
        sketch_id = await pane.open_sample(sample)
        return sample, sketch_id
    sample, sketch_id = run_loop(go())
    pane.grab().save(str(artifacts / "training-pane-rollouts.png"))
    sketch = store.get_sketch(sketch_id)
    assert opened == [sketch_id]
    assert (sketch.source, sketch.run_id, sketch.step, sketch.code) == ("model", "gallery-1", sample.step, sample.code)
    # opening it again reuses the same sketch instead of adding a copy
    assert run_loop(pane.open_sample(pane.rollouts.selected())) == sketch_id


def test_overlay_draws_a_second_run_dashed(pane, run_loop):
    for run_id in ("old-rubric", "new-rubric"):
        assert start_writer(run_id, "--steps", "30", "--interval", "0").wait(60) == 0

    async def go():
        await wait_until(lambda: len(pane.runs) == 2, 20, "both runs")
        pane.select_run("new-rubric")
        pane.overlay.setCurrentIndex(pane.overlay.findData("old-rubric"))
        await pane.poll_metrics()
        await wait_until(lambda: "overlay" in pane.curves.runs and "reward" in pane.curves.runs["overlay"].series
                         and not pane.curves.pending, 10, "overlay points drawn")
    run_loop(go())
    overlay_items = [k for k in pane.curves._items if k[0] == "overlay"]
    assert overlay_items and pane.curves.runs["overlay"].series["reward"].n == 30
    assert pane.curves.runs["main"].series["reward"].n == 30


def test_config_form_round_trips_a_dataclass(qtbot):
    from dataclasses import dataclass, field

    from studio.widgets.config_form import ConfigForm

    @dataclass
    class Inner:
        r: int = field(default=8, metadata={"help": "LoRA rank"})

    @dataclass
    class Cfg:
        lr: float = field(default=1e-5, metadata={"help": "learning rate"})
        steps: int = field(default=10, metadata={"help": "steps"})
        name: str = "x"
        backend: str = field(default="transformers", metadata={"help": "b", "choices": ["transformers", "vllm-server"]})
        prompts: list = field(default_factory=lambda: ["a", "b"])
        seed: int | None = None
        lora: Inner = field(default_factory=Inner)

    form = ConfigForm(Cfg())
    qtbot.addWidget(form)
    assert form.editors["lr"][0].toolTip() == "learning rate"
    form.set_values({"steps": 25, "backend": "vllm-server", "lora": {"r": 16}})
    values = form.values()
    assert values == {"lr": 1e-5, "steps": 25, "name": "x", "backend": "vllm-server", "prompts": ["a", "b"],
                      "seed": None, "lora": {"r": 16}}
    form.editors["prompts"][0].setText("[not json")
    assert form.errors() and form.errors()[0].startswith("prompts")
    with pytest.raises(ValueError, match="prompts"):
        form.values()


def test_series_buffer_replaces_a_replayed_step():
    from studio.widgets.curve_data import SeriesBuffer

    buf = SeriesBuffer()
    buf.extend(list(range(1000)), [float(i) for i in range(1000)])
    buf.extend([998, 999, 1000], [-1.0, -2.0, 5.0])  # a resume replays two steps, then goes on
    x, y = buf.data()
    assert len(x) == 1001 and list(x[-3:]) == [998, 999, 1000] and list(y[-3:]) == [-1.0, -2.0, 5.0]


def test_decimation_keeps_spikes_bounds_and_the_newest_steps():
    import numpy as np

    from studio.widgets.curve_data import MAX_POINTS, decimate, visible

    x = np.arange(20_003, dtype=float)
    y = np.sin(x / 500)
    y[12_345], y[777] = 9.0, -9.0  # one-step spikes must survive
    y[5_000:5_010] = np.nan
    dx, dy = decimate(x, y)
    assert len(dx) <= MAX_POINTS + 10 and np.all(np.diff(dx) > 0)
    assert np.nanmax(dy) == 9.0 and np.nanmin(dy) == -9.0
    assert list(dx[-3:]) == [20_000, 20_001, 20_002] and dy[-1] == y[-1]
    lo_x, lo = decimate(x, y, reduce="min")
    _, hi = decimate(x, y, reduce="max")
    assert len(lo) == len(hi) == len(lo_x) and np.all(lo[~np.isnan(lo)] <= hi[~np.isnan(hi)])
    assert decimate(x[:100], y[:100])[0] is x[:100] or len(decimate(x[:100], y[:100])[0]) == 100
    vx, _ = visible(x, y, (100.5, 200.0))
    assert vx[0] == 100 and vx[-1] == 201  # one point beyond each edge


def test_budgeted_redraw_of_a_long_run_spreads_over_ticks(qtbot):
    import numpy as np

    from studio.widgets.curve_plot import CurveBoard

    board = CurveBoard()
    qtbot.addWidget(board)
    x = np.arange(20_000, dtype=float)
    keys = ["reward", "reward_std", "kl", "entropy"] + [f"rewards/c{i}/mean" for i in range(20)]
    board.add({k: (x, np.random.default_rng(0).random(len(x))) for k in keys})
    ticks = 0
    while board.pending:
        board.redraw(budget_ms=0.001)  # at least one curve per call, then the budget is spent
        ticks += 1
    assert ticks > 5
    reward = next(item for (which, _i, key), item in board._items.items() if key == "reward")
    assert len(reward.xData) <= 2100 and reward.xData[-1] == 19_999  # decimated, newest step exact
    # a fast writer keeps every key dirty: each tick draws one curve, yet every curve gets its turn
    for step in range(20_000, 20_000 + len(keys) + 2):
        board.add({k: ([float(step)], [0.5]) for k in keys})
        board.redraw(budget_ms=0.001)
    comps = {key for (_w, _i, key), item in board._items.items() if item.xData is not None and item.xData[-1] >= 20_000}
    assert {k for k in keys if k.startswith("rewards/")} <= comps


def test_live_points_go_before_an_overlay_backlog_and_their_latency_is_measured(qtbot):
    import time

    import numpy as np

    from studio.widgets.curve_plot import CurveBoard

    board = CurveBoard()
    qtbot.addWidget(board)
    keys = ["reward", "reward_std", "kl", "entropy"] + [f"rewards/c{i}/mean" for i in range(8)]
    x = np.arange(20_000, dtype=float)
    board.add({k: (x, np.random.default_rng(1).random(len(x))) for k in keys}, "overlay")  # a backlog
    committed = time.time() - 0.05
    board.add({k: ([1.0], [0.5]) for k in keys}, "main", committed=dict.fromkeys(keys, committed))
    board.paint_ms = dict.fromkeys(range(len(board.panels)), 0.0)  # budget only the setData work here
    board.redraw(budget_ms=0.001)  # one curve or band: it must be the live run's
    drawn = [w for (w, _i, _key), item in board._items.items() if item.xData is not None]
    drawn += [w for (w, _i), band in board._bands.items() if band.xData is not None]
    assert drawn and all(w == "main" for w in drawn)
    while board.pending:
        board.redraw(budget_ms=5)
    assert len(board.latencies) == len(keys)  # one figure per live curve, none for the overlay
    assert all(50 <= ms < 60_000 for ms in board.latencies)


def test_a_budgeted_tick_counts_the_repaint_it_causes(qtbot):
    import numpy as np

    from studio.widgets.curve_plot import CurveBoard

    board = CurveBoard()
    qtbot.addWidget(board)
    board.resize(1000, 700)
    board.show()
    keys = ["reward", "reward_std", "kl", "entropy", "step_time", "frac_reward_zero_std", "completions/mean_length"]
    board.add({k: (np.arange(500.0), np.random.default_rng(2).random(500)) for k in keys})
    board.redraw()
    qtbot.waitUntil(lambda: board.view.paints > 0)
    board.add({k: ([500.0], [0.5]) for k in keys})
    board.redraw()  # every plot changed: the next paint teaches the board what a plot costs
    before = board.view.paints
    qtbot.waitUntil(lambda: board.view.paints > before)
    board.redraw()
    assert board.paint_ms and all(ms > 0 for ms in board.paint_ms.values())
    # with each plot known to cost 10 ms to paint, a 25 ms tick changes at most 3 of the 6 plots
    board.paint_ms = dict.fromkeys(range(len(board.panels)), 10.0)
    board.add({k: ([501.0], [0.5]) for k in keys})
    board.redraw(budget_ms=25)
    assert 1 <= len(board._touched) <= 3 and board.pending
    while board.pending:
        board.redraw(budget_ms=25)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_pane_fits_900x600(qtbot, store, run_loop, dark, artifacts):
    from studio.bus import ChangeBus, Jobs
    from studio.panes.training import TrainingPane

    assert start_writer("fit", "--steps", "40", "--interval", "0").wait(60) == 0
    pane = TrainingPane(store, None, ChangeBus(), Jobs())
    qtbot.addWidget(pane)
    pane.set_dark(dark)
    pane.resize(900 - 120, 600 - 60)  # the window's pane area at 900×600 (switcher, menu and status bar)
    pane.show()
    try:
        run_loop(wait_until(lambda: pane.run_id == "fit" and pane.curves.runs["main"].series.get("reward"),
                            20, "the run"))
        run_loop(pane.poll_metrics())
        run_loop(wait_until(lambda: not pane.curves.pending, 20, "every curve drawn (budgeted ticks)"))
        for w in (pane.run_list, pane.start_button, pane.stop_button, pane.resume_button, pane.overlay, pane.tabs):
            top_left = w.mapTo(pane, w.rect().topLeft())
            bottom_right = w.mapTo(pane, w.rect().bottomRight())
            assert w.isVisible() and pane.rect().contains(top_left) and pane.rect().contains(bottom_right), w
        pane.grab().save(str(artifacts / f"training-pane-900x600-{'dark' if dark else 'light'}.png"))
    finally:
        pane.shutdown()


def test_closing_with_a_running_run_can_stop_it(pane, run_loop, qtbot):
    writer = start_writer("to-stop", "--steps", "2000", "--interval", "0.05")
    try:
        run_loop(wait_until(lambda: pane.running_runs(), 30, "a running run"))
        answers: list[bool] = []

        def ask_and_answer(text: str) -> None:
            box = pane.ask_before_close(answers.append)
            assert box is not None and box.isVisible() and "to-stop" in box.text()
            next(b for b in box.buttons() if b.text() == text).click()

        ask_and_answer("Cancel")
        assert answers == [False] and writer.poll() is None and not pane.stop_asked
        ask_and_answer("Leave it running")
        assert answers == [False, True] and writer.poll() is None
        ask_and_answer("Stop the run")
        assert pane.stop_asked == {"to-stop"}  # said at once; the stop file and the signal go out in a thread
        run_loop(wait_until(lambda: len(answers) == 3, 10, "the answer once the stop went out"))
        assert answers == [False, True, True] and pane.stop_asked == {"to-stop"}
        assert writer.wait(20) is not None  # SIGTERM reached it (the real runner stops after its step)
        # a run already told to stop is not asked about again
        assert pane.ask_before_close(answers.append) is None
    finally:
        if writer.poll() is None:
            writer.kill()


@pytest.mark.slow
@pytest.mark.long
@pytest.mark.browser
@pytest.mark.timeout(1500)
def test_start_stop_resume_a_real_tiny_run_from_the_pane(pane, run_loop, tmp_path_factory, artifacts, monkeypatch,
                                                         tiny_recogniser):
    """Start → live curves → Stop → Resume with the real runner (`brushwork train`) on the tiniest model."""
    from core.train.tiny import TinySpec, make_tiny

    monkeypatch.setenv("BRUSHWORK_TORCH_THREADS", "1")
    monkeypatch.setenv("BRUSHWORK_BACKGROUND_NICE", "0")  # a shared test machine starves a nice-10 runner
    model = tmp_path_factory.mktemp("tiny") / "model"
    make_tiny(model, TinySpec(vocab_size=320, hidden_size=32, layers=1, heads=2, corpus_size=200))
    pane.tabs.setCurrentWidget(pane.form_tab)
    run_loop(pane.presets_listed)
    pane.preset.setCurrentText("tiny-cpu")
    run_loop(pane.form_loaded)  # read in a thread
    assert pane.form is not None, pane.form_error.text()
    pane.form.set_values({"model": str(model), "steps": 40, "num_generations": 2, "batch_size": 4,
                          "max_completion_length": 24, "lora_r": 4, "lora_alpha": 8, "checkpoint_every": 2,
                          "render_size": 64, "render_pool": 1, "render_timeout": 60.0, "heldout_count": 1,
                          "heldout_seeds": [0], "min_free_mb": 1})
    run = run_loop(pane.start_from_form(), timeout=240)
    assert run is not None, pane.form_error.text()
    try:
        async def watch():
            await wait_until(lambda: pane.curves.runs.get("main") and "reward" in pane.curves.runs["main"].series
                             and pane.curves.runs["main"].series["reward"].n >= 3, 400, "three logged steps")
            await wait_until(lambda: not pane.curves.pending, 10, "every curve and range drawn")
            pane.grab().save(str(artifacts / "training-pane-real-run.png"))
            assert pane.stop_selected()
            await wait_until(lambda: pane.selected_run() and pane.selected_run().status == "stopped", 300,
                             "the run to stop after its step")
            assert pane.resume_button.isEnabled()
            stopped_at = pane.selected_run().last_step
            resumed = await pane.resume_selected()
            assert resumed is not None and resumed.status == "running"
            await wait_until(lambda: (pane.selected_run().last_step or 0) > stopped_at, 400, "steps after resume")
            assert pane.stop_selected()
            await wait_until(lambda: pane.selected_run().status == "stopped", 300, "the second stop")
        run_loop(watch(), timeout=1200)
    except BaseException:
        logs = sorted((tiny_recogniser / "logs").glob("train-*.log"))
        print("runner log:\n" + "\n".join(p.read_text(errors="replace")[-3000:] for p in logs))
        raise
    finally:
        live = pane.selected_run()
        if live is not None and live.pid and live.status == "running":
            os.kill(live.pid, signal.SIGKILL)
    rows = sql_rows(pane.store, "SELECT step, key, COUNT(*) AS n FROM metrics WHERE run_id = ? GROUP BY step, key"
                            " HAVING n > 1", (run.id,))
    assert rows == []  # one row per (step, key) across stop and resume


def test_a_start_that_fails_says_why_in_the_pane(tiny_recogniser, pane, run_loop, tmp_path):
    """The runner refuses (no disk room) before it registers a run: the reason is in the pane, not a tooltip.
    (tiny-cpu weights subject: the home holds a recogniser, so the first-run check lets the start through.)"""
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")  # enough for the first-run check; the runner stops earlier
    pane.tabs.setCurrentWidget(pane.form_tab)
    run_loop(pane.presets_listed)
    pane.preset.setCurrentText("tiny-cpu")
    run_loop(pane.form_loaded)  # read in a thread
    pane.form.set_values({"model": str(model), "min_free_mb": 10**9})
    run = run_loop(pane.start_from_form(), timeout=180)
    assert run is None and pane.pending is None
    assert pane.problem.isVisible() and "did not start" in pane.problem.text() and "MB" in pane.problem.text()
    run_loop(pane._slow())  # a later refresh keeps saying it
    assert pane.problem.isVisible() and "did not start" in pane.problem.text()
