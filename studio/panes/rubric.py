"""The Rubric pane: see what each reward component really does before a run burns hours on it.

A sample of rated renders is scored once (off the GUI thread) with every component; dragging a
weight or toggling a gate re-combines the cached values, re-ranks the thumbnails and updates the
Spearman correlation of the rubric's order with the human tiers at once. The heatmap shows which
components measure the same thing, the bars what each weight is really worth, the warnings come
from the reward engine's diagnostics, and the learned model's held-out accuracy sits by its Retrain.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.bus import Change, ChangeBus, Jobs
from studio.ops import rubric as ops
from studio.ops import run_in_thread
from studio.ops.rating import make_pool
from studio.ops.rubric_notes import learned_from_ratings, unmeasured, without_render
from studio.ops.rubric_sample import ScoredSample, combine, correlation_matrix, diagnosis, spearman
from studio.panes.rubric_controls import ComponentControls
from studio.panes.rubric_side import LearnedModelBox, WarningsBox
from studio.panes.tasks import TaskSet
from studio.widgets.notice_bar import FILL_ALPHA, HUES
from studio.widgets.ranked_grid import RankedGrid, decode_thumb
from studio.widgets.responsive_row import ResponsiveRow
from studio.widgets.rubric_charts import ContributionBars, CorrelationHeatmap

if TYPE_CHECKING:
    from core.pool import RatingPool
    from core.reward.rubric import Rubric

DEFAULT_PRESET = "offline-default"


class RubricPane(QWidget):
    title = "Rubric"

    def __init__(self, pool: RatingPool, bus: ChangeBus, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.pool, self.bus, self.jobs = pool, bus, jobs
        self.rubric: Rubric | None = None
        self.sample: ScoredSample | None = None
        self.totals = np.zeros(0)
        self.rho: float | None = None
        self.last_recompute_ms = 0.0
        self.tasks = TaskSet(lambda e: self._say(f"{type(e).__name__}: {e}"))
        self._score_task: asyncio.Future | None = None
        self._preset_generation = 0  # newest preset switch; an older load landing late is dropped
        self._started = False
        self._build()
        self._diag_timer = QTimer(self, singleShot=True, interval=120)  # diagnostics trail a drag slightly
        self._diag_timer.timeout.connect(self._update_diagnostics)
        self.controls.changed.connect(self.recompute)
        self.controls.changed.connect(self._edited)
        self.edited = False  # sliders moved since the preset was loaded or saved
        self._preset_index = self.preset_box.currentIndex()
        # Ask before a preset switch drops slider edits; offscreen (tests) only when a test sets it
        self.confirm_discard = QApplication.platformName() != "offscreen"
        bus.changed.connect(self._on_change)

    @classmethod
    def for_studio(cls, store, renderer, bus: ChangeBus, jobs: Jobs) -> RubricPane:  # noqa: ANN001
        """How the main window builds it: a rating pool on the studio's store."""
        return cls(make_pool(store), bus, jobs)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        top = QHBoxLayout()
        self.preset_box = QComboBox()
        self.preset_box.setMinimumWidth(160)
        self.sample_size = QSpinBox()
        self.sample_size.setRange(10, 500)
        self.sample_size.setValue(120)
        self.sample_size.setToolTip("rated images scored for the live ranking")
        self.rescore_button = QPushButton("Rescore")
        self.save_button = QPushButton("Save as preset…")
        self.status = QLabel("")
        # Long status lines must not widen the pane past a 900 px window: they are cut, the tooltip has them.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setMinimumWidth(40)
        for w in (QLabel("Preset"), self.preset_box, QLabel("Sample"), self.sample_size):
            top.addWidget(w)
        top.addWidget(self.status, 1)  # the row's spare width goes to the status, not to the preset box
        actions = QHBoxLayout()
        for w in (self.rescore_button, self.save_button):
            actions.addWidget(w)
        # the buttons go under the preset when the window is narrow (at 900 px the row was 801 px wide)
        self.top_row = ResponsiveRow(top, actions, spacing=6)
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        r, g, b = HUES["warning"]  # the NoticeBar's tint under the palette's text: it reads on either theme
        self.banner.setStyleSheet(f"QLabel {{ background: rgba({r}, {g}, {b}, {FILL_ALPHA}); padding: 4px 8px; "
                                  "border-radius: 3px; }")

        self.controls = ComponentControls()
        self.model_box = LearnedModelBox()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.controls)
        lv.addWidget(self.model_box)
        lv.addStretch(1)
        left_scroll = self._scroll(left)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_scroll.setMinimumWidth(240)

        self.rho_label = QLabel("Spearman vs tiers: —")
        self.rho_label.setStyleSheet("QLabel { font-size: 15px; font-weight: 600; }")
        self.rho_label.setWordWrap(True)  # its width must not set the centre column's (801 px at 900 × 600)
        self.rho_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.grid = RankedGrid()
        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.addWidget(self.rho_label)
        cv.addWidget(self.grid, 1)

        self.heatmap = CorrelationHeatmap()
        self.bars = ContributionBars()
        self.warnings = WarningsBox()
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        for title, w in (("Component correlation (Spearman)", self.heatmap),
                         ("Effective vs nominal contribution", self.bars), ("Diagnostics", self.warnings)):
            rv.addWidget(QLabel(f"<b>{title}</b>"))
            rv.addWidget(w)
        rv.addStretch(1)
        right_scroll = self._scroll(right)
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right_scroll.setMinimumWidth(200)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for w in (left_scroll, centre, right_scroll):
            self.splitter.addWidget(w)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 600, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.top_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        self.presets_listed = self._spawn(self._fill_presets(DEFAULT_PRESET))
        self.preset_box.currentIndexChanged.connect(self._preset_changed)
        self.rescore_button.clicked.connect(self.rescore)
        self.save_button.clicked.connect(self._ask_save)
        self.model_box.retrain_button.clicked.connect(self.retrain)
        self._spawn(self._refresh_model_box())

    @staticmethod
    def _scroll(w: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidget(w)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)

    async def _fill_presets(self, select: str) -> None:
        """List the presets (in a thread), then fill the box and select `select`."""
        choices = await ops.preset_choices()
        self.preset_box.blockSignals(True)
        self.preset_box.clear()
        for label, path in choices:
            self.preset_box.addItem(label, str(path))
        idx = max(0, next((i for i in range(self.preset_box.count())
                           if self.preset_box.itemText(i).split(" (")[0] == select), 0))
        self.preset_box.setCurrentIndex(idx)
        self.preset_box.blockSignals(False)

    # -- scoring --------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if not self._started:
            self._started = True
            self._spawn(self._first_preset())

    async def _first_preset(self) -> None:
        await self.presets_listed
        self._preset_changed()

    def _spawn(self, coro) -> asyncio.Future:  # noqa: ANN001
        return self.tasks.spawn(coro)

    async def _refresh_model_box(self) -> None:
        self.model_box.refresh(await ops.model_summary())

    def _preset_changed(self) -> None:
        if self.edited and self.confirm_discard:  # slider edits are not thrown away without a word
            self._ask_discard()
            return
        self._switch_preset()

    def _switch_preset(self) -> None:
        """Drop the old preset's results at once, then load the new one (in a thread) and score it."""
        self._preset_index = self.preset_box.currentIndex()
        self.edited = False
        if self._score_task is not None and not self._score_task.done():
            self._score_task.cancel()
        self._clear_results(self.preset_box.currentText())
        self._preset_generation += 1
        self._spawn(self._load_preset(self._preset_generation, self.preset_box.currentData()))

    async def _load_preset(self, generation: int, path: str) -> None:
        try:
            rubric = await ops.load_preset(path)
        except Exception as e:  # a broken user preset: say so, keep the pane alive
            if generation == self._preset_generation:
                self._say(f"cannot load preset: {e}")
            return
        if generation != self._preset_generation:
            return  # switched again meanwhile
        self.rubric = rubric
        self.controls.set_rubric(rubric)
        self.edited = False
        self.rescore()

    def _clear_results(self, name: str) -> None:
        """The previous preset's ranking, charts and warnings go at once: none of them is about the new
        sliders, and the new sample takes seconds to score."""
        self.sample = None
        self.grid.ranked.set_items([], [], [])
        self.heatmap.set_data([], np.zeros((0, 0)))
        self.bars.set_data({})
        self.warnings.set_warnings([])
        self.banner.setVisible(False)
        self.rho_label.setText(f"Spearman vs tiers: — (scoring {name}…)")
        self.rho_label.setToolTip("")

    def _ask_discard(self) -> QMessageBox:
        """The sliders were moved: switch presets (dropping the moves) only on request."""
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved weights",
                          "The weights and gates were changed and are not saved as a preset. Switch to "
                          f"{self.preset_box.currentText()} and drop the changes?", parent=self)
        box.setObjectName("discardWeights")
        switch = box.addButton("Switch and drop them", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)

        def answered(_result: int) -> None:
            if box.clickedButton() is switch:
                self._switch_preset()
            else:  # back to the preset the sliders belong to (Save as preset… keeps them)
                self.preset_box.blockSignals(True)
                self.preset_box.setCurrentIndex(self._preset_index)
                self.preset_box.blockSignals(False)
        box.finished.connect(answered)
        self.discard_box = box  # tests answer it
        box.open()
        return box

    def rescore(self) -> asyncio.Task | None:
        """Score a fresh sample with the current preset in the background (cancels one in flight)."""
        if self.rubric is None:
            return None
        if self._score_task is not None and not self._score_task.done():
            self._score_task.cancel()
        self._score_task = self._spawn(self._score(self.rubric, self.sample_size.value()))
        return self._score_task

    async def _score(self, rubric: Rubric, n: int) -> None:
        started = time.perf_counter()
        self._say("Scoring a sample of rated images…")
        sample = await ops.score_sample(self.pool, rubric, self.jobs, n,
                                        progress=lambda d, t: self._say(f"Scoring {d} / {t}…"))
        thumbs = await run_in_thread(lambda: [decode_thumb(im.thumb_path or im.path) for im in sample.images])
        self.sample = sample
        self.grid.ranked.set_items([im.tier or "" for im in sample.images],
                                   [ops.display_prompt(im) for im in sample.images], thumbs)
        self.heatmap.set_data(sample.names, sample.correlation if sample.correlation is not None
                              else correlation_matrix(sample))
        self._show_banner(sample)
        self.recompute()
        await self._diagnose()
        if not sample.images:
            self._say("No rated images yet: rate some in the Rate pane, or build the demo pool "
                                "(brushwork rm demo-pool).")
            return
        self._say(f"{len(sample.images)} rated images scored in {time.perf_counter() - started:.1f} s")

    def _show_banner(self, sample: ScoredSample) -> None:
        lines = []
        demo = sum(ops.is_demo(im) for im in sample.images)
        if demo:
            lines.append(f"Demo pool: {demo} of these {len(sample.images)} images come from the demo pool "
                         "(starters and deliberately poor sketches). Your own ratings replace it.")
        lines += [n for n in sample.notes if "slot filled by" in n or "no reward model" in n or n.startswith("hpsv3:")]
        lines += without_render(sample, self.rubric) + unmeasured(sample, self.rubric) if self.rubric is not None else []
        self.banner.setText("<br>".join(escape(x, quote=False) for x in lines[:6]))
        self.banner.setVisible(bool(lines))

    def recompute(self) -> None:
        """Re-combine cached component values under the sliders, re-rank, update Spearman (GUI thread, < 1 ms)."""
        if self.sample is None:
            return
        t0 = time.perf_counter()
        settings = self.controls.settings()
        self.totals = combine(self.sample, settings)
        key = np.where(np.isnan(self.totals), -np.inf, self.totals)
        order = list(np.argsort(-key, kind="stable"))
        self.grid.ranked.set_order(order, list(self.totals))
        self.rho = spearman(self.totals, self.sample.tiers)
        self.rho_label.setText("Spearman vs tiers: " + ("—" if self.rho is None else f"{self.rho:+.2f}")
                               + f"   ({int(np.isfinite(self.totals).sum())} images)" + self._flattered(settings))
        self.last_recompute_ms = (time.perf_counter() - t0) * 1000
        self._diag_timer.start()

    def _flattered(self, settings: dict) -> str:
        """The learned reward model trained on these very ratings: Spearman with it is in-sample, so the
        figure without it is shown beside (the one that says how the rest of the rubric agrees)."""
        learned = [n for n in learned_from_ratings(self.sample, self.rubric)
                   if n in settings and settings[n].weight > 0] if self.rubric is not None else []
        self.rho_without_learned = None
        if not learned or self.rho is None:
            self.rho_label.setToolTip("")
            return ""
        rest = {n: replace(st, weight=0.0) if n in learned else st for n, st in settings.items()}
        self.rho_without_learned = spearman(combine(self.sample, rest), self.sample.tiers)
        self.rho_label.setToolTip(f"{', '.join(learned)} come from the learned reward model, trained on the pool's "
                                  "ratings — the same ratings this Spearman is measured against, so it flatters "
                                  "them. The second figure leaves them out.")
        without = "—" if self.rho_without_learned is None else f"{self.rho_without_learned:+.2f}"
        return f"\n{without} without {', '.join(learned)} (learned from these same ratings)"

    def _edited(self) -> None:
        self.edited = True

    def _update_diagnostics(self) -> None:
        if self.sample is not None:
            self._spawn(self._diagnose())

    async def _diagnose(self) -> None:
        """The reward engine's diagnostics (pure Python over every row: ~0.1 s) in a worker thread."""
        sample, settings = self.sample, self.controls.settings()
        diag = await run_in_thread(diagnosis, sample, settings)
        if sample is not self.sample or settings != self.controls.settings():
            return  # the sliders moved meanwhile: the next timer tick brings fresh numbers
        self.bars.set_data(diag.get("effective", {}))
        self.warnings.set_warnings(diag.get("warnings", []))

    # -- presets and the learned model ----------------------------------------------------------
    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, "Save as preset", "Name of the new preset:",
                                        text=f"{self.rubric.name if self.rubric else 'rubric'}-tuned")
        if ok and name.strip():
            self.save_preset_as(name)

    def save_preset_as(self, name: str) -> asyncio.Future | None:
        """Write the sliders as a new preset in the data home (in a thread) and select it; the task's
        result is its path (None when not saved, said in the status line)."""
        if self.rubric is None:
            return None
        return self._spawn(self._save_preset_as(self.rubric, self.controls.settings(), name))

    async def _save_preset_as(self, rubric: Rubric, settings: dict, name: str) -> str | None:
        try:
            path = await ops.save_preset(rubric, settings, name)
            saved = await ops.load_preset(path)
        except Exception as e:
            self._say(f"not saved: {e}")
            return None
        await self._fill_presets(path.stem)
        self._preset_index = self.preset_box.currentIndex()
        self.rubric = saved
        self.controls.set_rubric(self.rubric)
        for n, st in settings.items():
            if n in self.controls.sliders:
                self.controls.gates[n].setChecked(st.gate)
        self.recompute()
        self.edited = False
        self.bus.message.emit(f"Saved preset {path.stem} to {path}")
        return str(path)

    def retrain(self) -> asyncio.Task:
        """Retrain the learned model in the background, then refresh its box and the scores."""
        async def run() -> None:
            self.model_box.set_busy(True)
            try:
                await ops.retrain(self.pool, self.bus, self.jobs)
            except Exception as e:  # e.g. fewer than two tiers rated: the message says what to do
                self._say(f"retrain failed: {e}")
            finally:
                self.model_box.set_busy(False)
                await self._refresh_model_box()
        return self._spawn(run())

    def _on_change(self, change: Change) -> None:
        if change.kind == "reward_model":
            self._spawn(self._refresh_model_box())
            if self.rubric is not None and any(s.fn == "preference" or s.fallback == "preference"
                                               for s in self.rubric.specs):
                self.rescore()

    def shutdown(self) -> None:
        """Stop background work and the scoring process (the main window calls this on close)."""
        self.tasks.cancel_all()
        ops.shutdown_executor()

    def shortcuts(self) -> list[tuple[str, str]]:
        return []
