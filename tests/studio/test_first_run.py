"""What a run needs, checked against a real data home, and the progress read from the jobs' own output."""
from __future__ import annotations

import asyncio
import json

import pytest
from subject_helpers import make_tiny_recogniser

from core.train.config import RunConfig
from studio.ops import first_run


def _config(**over):  # noqa: ANN202 (a RunConfig)
    cfg = RunConfig()
    for k, v in over.items():
        setattr(cfg, k, v)
    return cfg


def test_needs_follow_the_data_home(store, brushwork_home, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("BRUSHWORK_JUDGE_BASE_URL", raising=False)
    cfg = _config(model="models/tiny-sft", rubric="offline-default")
    needs = {n.key: n for n in first_run.run_needs(cfg, store)}
    assert not needs["model"].ok and needs["model"].job == "model" and "not built" in needs["model"].detail
    assert not needs["sft"].ok and needs["sft"].job == "sft"
    assert needs["judge"].ok and not needs["judge"].required  # offline: nothing to ask for
    # offline-default weights the subject: the runner refuses without a recogniser, so it is required here too
    assert not needs["recogniser"].ok and needs["recogniser"].required and needs["recogniser"].job == "subject"
    assert needs["recogniser"].detail.startswith("not trained: subject (0.2) reads it")
    for name in ("tiny", "tiny-sft"):
        (brushwork_home / "models" / name).mkdir(parents=True)
        (brushwork_home / "models" / name / "config.json").write_text("{}")
    (brushwork_home / "models" / "tiny-sft" / "sft_report.json").write_text(json.dumps(
        {"steps": 4, "nonblank": 0.2, "reached_target": False, "config": {"target_nonblank": 0.6}}))
    needs = {n.key: n for n in first_run.run_needs(cfg, store)}
    assert needs["model"].ok and needs["sft"].ok and "20% of its samples render" in needs["sft"].detail
    assert "below the 60 % target" in needs["sft"].detail  # the target the SFT ran with, from its report
    assert "made from corpus version 1" in needs["sft"].detail  # a report from before the careless corpus
    make_tiny_recogniser(brushwork_home)
    assert {n.key: n for n in first_run.run_needs(cfg, store)}["recogniser"].ok
    # a judged preset without a key or references: said, but not required (those components go missing)
    needs = {n.key: n for n in first_run.run_needs(_config(rubric="seed-v2-four-signals"), store)}
    assert "recogniser" not in needs  # seed-v2 does not weight the subject
    assert not needs["references"].ok and needs["references"].job == "pool" and not needs["references"].required
    assert not needs["judge"].ok and "OPENAI_API_KEY" in needs["judge"].detail
    # a model folder that is not there
    needs = {n.key: n for n in first_run.run_needs(_config(model="/nowhere/model"), store)}
    assert not needs["model"].ok and needs["model"].job is None


def test_progress_is_read_from_the_jobs_output():
    parse = first_run._sft_parser(800, 100)
    assert parse("", 5.0).fraction is None
    p = parse("sft step 25/800 loss 2.1 (20 s)\nsft step 50/800 loss 1.9 (40 s)\n", 40.0)
    assert p.fraction == 50 / 800 and p.eta_s == 40.0 / 50 * 750 and "step 50 of at most 800" in p.text
    done = parse('sft step 100: 70% of 10 held-out samples render non-blank\n'
                 '{"steps": 100, "seconds": 80.0, "nonblank": 0.7, "reached_target": true, "path": "x"}\n', 90.0)
    assert done.fraction == 1.0 and done.result["reached_target"] and "70%" in done.text
    pool = first_run._parse_pool("\r[3/40] love-01\r[4/40] love-02", 8.0)
    assert pool.fraction == 4 / 40 and pool.eta_s == 8.0 / 4 * 36
    assert first_run._parse_model("", 10.0).eta_s == first_run.MODEL_BUILD_S - 10.0
    assert first_run._parse_model("tiny model: 881,664 parameters, vocab 733 -> x", 20.0).fraction == 1.0
    subject = first_run._parse_subject
    assert subject("", 3.0).fraction is None and subject("", 3.0).eta_s == first_run.SUBJECT_TRAIN_S - 3.0
    rendering = subject("  render: 1/176\n  render: 88/176\n", 60.0)
    assert rendering.fraction == first_run.SUBJECT_RENDER_SHARE / 2 and "rendered 88 of 176" in rendering.text
    assert rendering.eta_s == pytest.approx(60.0 / rendering.fraction * (1 - rendering.fraction))
    fitting = subject("  render: 176/176\n  fit: 250/500\n", 100.0)
    assert fitting.fraction == pytest.approx(first_run.SUBJECT_RENDER_SHARE + (1 - first_run.SUBJECT_RENDER_SHARE) / 2)
    assert "step 250 of 500" in fitting.text
    done = subject("  fit: 500/500\nsubject recogniser: sun, flower, none\n"
                   "  held-out accuracy 0.773 on 22 renders (trained on 66, 500 steps, 200.0 s)\n", 210.0)
    assert done.fraction == 1.0 and "77% of 22 held-out renders" in done.text


def test_box_preflight_and_doctor_agree_on_the_recogniser(store, brushwork_home):
    """The three places that speak of the recogniser say the same, and name the button the box really has."""
    import os

    from core import doctor
    from core.reward.subject.features import FEATURES_VERSION
    from core.reward.subject.model import model_dir
    from core.train.runner import RunError, preflight_rubric, preset
    from studio.panes.training_setup import BUTTONS

    cfg = _config(rubric="offline-default")

    def views() -> tuple[bool, str | None, bool]:
        need = {n.key: n for n in first_run.run_needs(cfg, store)}["recogniser"]
        try:
            preflight_rubric(preset(cfg), store)
            refused = None
        except RunError as e:
            refused = str(e)
        return need.ok, refused, doctor.check_subject_recogniser().ok

    ok, refused, doctor_ok = views()
    assert not ok and not doctor_ok and refused is not None
    assert f"press {BUTTONS['subject']} in the Train pane" in refused
    assert BUTTONS["subject"] in doctor.check_subject_recogniser().fix
    make_tiny_recogniser(brushwork_home)
    assert views() == (True, None, True)
    # made for other features: it cannot score, and all three say so again
    meta, weights = model_dir(brushwork_home) / "meta.json", model_dir(brushwork_home) / "weights.npz"
    meta.write_text(meta.read_text().replace(f'"{FEATURES_VERSION}"', '"ink-crop-32-v0"'))
    stamp = weights.stat().st_mtime_ns + 1_000_000  # the loader's cache keys on the weights' time
    os.utime(weights, ns=(stamp, stamp))
    ok, refused, doctor_ok = views()
    assert not ok and not doctor_ok and "made for other features" in refused
    need = {n.key: n for n in first_run.run_needs(cfg, store)}["recogniser"]
    assert need.detail.startswith("made for other features (ink-crop-32-v0): retrain") and need.job == "subject"


def _setup_box(qtbot, store, brushwork_home, studio_loop):  # noqa: ANN001, ANN202 (a SetupBox)
    """The first-run box for tiny-cpu's rubric with its model and warm start in place: only the subject
    recogniser is missing."""
    from studio.bus import Jobs
    from studio.panes.training_setup import SetupBox

    for name in ("tiny", "tiny-sft"):
        (brushwork_home / "models" / name).mkdir(parents=True)
        (brushwork_home / "models" / name / "config.json").write_text("{}")
    asyncio.set_event_loop(studio_loop)
    box = SetupBox(store, Jobs())
    qtbot.addWidget(box)
    box.resize(700, 300)
    box.show()
    studio_loop.run_until_complete(box.check(_config(model="models/tiny-sft", rubric="offline-default")))
    return box


def test_the_box_asks_for_the_recogniser_and_a_failed_job_says_why(qtbot, store, brushwork_home, studio_loop):
    box = _setup_box(qtbot, store, brushwork_home, studio_loop)
    row = box.rows["subject"]
    assert not box.ready and "subject recogniser" in box.summary.text()
    assert row.button.isVisible() and row.button.text() == "Train recogniser" and row.mark.text() == "✗"
    # a real `brushwork subject train` process, given settings it refuses: its own message under the row
    box.subject_settings = {"per_subject": 1}
    outcome = studio_loop.run_until_complete(asyncio.wait_for(box.run("subject"), 120))
    assert outcome.startswith("Failed (exit 2)") and "--per-subject and --negatives must be at least 2" in outcome
    studio_loop.run_until_complete(box._checking)
    assert box.rows["subject"].status.text() == outcome and not box.ready
    make_tiny_recogniser(brushwork_home)  # trained meanwhile (from a terminal): the next check has it
    studio_loop.run_until_complete(box.check(box.config))
    row = box.rows["subject"]
    assert box.ready and "Everything this run needs" in box.summary.text()
    assert row.mark.text() == "✓" and not row.button.isVisible() and row.status.text() == ""  # old failure gone
    assert row.detail.text().startswith("trained")


@pytest.mark.slow
@pytest.mark.long
@pytest.mark.browser
@pytest.mark.timeout(1200)  # 20 renders and 40 steps took 411 s on 2 cores shared with other test runs
def test_train_recogniser_runs_the_real_job_with_progress(qtbot, store, brushwork_home, studio_loop, artifacts):
    from subject_helpers import TEST_SETTINGS

    from core.reward.subject.model import read_meta

    box = _setup_box(qtbot, store, brushwork_home, studio_loop)
    box.subject_settings = {**TEST_SETTINGS, "per_subject": 2, "negatives": 4, "steps": 40}
    seen: list[str] = []

    async def watch() -> str:
        task = box.run("subject")
        while not task.done():
            text = box.rows["subject"].status.text() if "subject" in box.rows else ""
            if text and (not seen or seen[-1] != text):
                seen.append(text)
            await asyncio.sleep(0.1)
        return task.result()
    try:
        outcome = studio_loop.run_until_complete(asyncio.wait_for(watch(), 1000))
    finally:  # a failed or timed-out test must not leave the job (its own session) running
        box.cancel_all()
        studio_loop.run_until_complete(asyncio.sleep(0.5))
    assert outcome.startswith("Done: trained"), (outcome, seen)
    assert any("rendered" in s and "left" in s for s in seen), seen  # progress with an ETA while it rendered
    studio_loop.run_until_complete(box._checking)
    assert box.ready and read_meta() is not None
    box.grab().save(str(artifacts / "first_run_recogniser_trained.png"))
