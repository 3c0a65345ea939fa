"""A run's three prompt sets: disjoint, fixed in its folder at the start, an overlap refused before anything is written."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.paths import REPO_ROOT
from core.train.config import RunConfig, load_config
from core.train.corpus import check_disjoint, normalise_prompt
from core.train.prompt_sets import fix_prompt_sets, prompt_sets, read_prompt_sets
from core.train.rundir import RunError
from tests.cli_helpers import run_brushwork

PRESETS = REPO_ROOT / "resources" / "train"


@pytest.mark.parametrize("preset", ["tiny-cpu", "workstation-lora"])
def test_shipped_presets_have_three_disjoint_sets_and_50_held_out_prompts(preset: str):
    cfg = load_config(PRESETS / f"{preset}.toml")
    sets = prompt_sets(cfg)
    assert len(sets.heldout) >= 50 and len(sets.train) >= 100 and sets.select
    check_disjoint({"s": sets.select, "t": sets.train, "h": sets.heldout})
    if preset == "workstation-lora":  # one distribution of scenes split at random; no scene in both sets
        assert cfg.train_prompts.endswith(".txt") and cfg.heldout_prompts.endswith(".txt")
        scene = lambda p: p.rsplit(" in ", 1)[0]  # noqa: E731  "draw SCENE in MEDIUM"
        assert not {scene(p) for p in sets.train} & {scene(p) for p in sets.heldout}
        assert all(p.startswith("draw ") for p in sets.train + sets.heldout)


def test_sets_are_fixed_in_the_run_folder_and_a_changed_file_is_refused(tmp_path: Path):
    train, held = tmp_path / "train.txt", tmp_path / "held.txt"
    train.write_text("# comment\ndraw a red fox\n\ndraw a blue sea\n")
    held.write_text("draw a green frog\ndraw a pink pig\n")
    cfg = RunConfig(train_prompts=str(train), heldout_prompts=str(held), select_prompts="none", heldout_count=50)
    run = tmp_path / "run"
    record = fix_prompt_sets(run, cfg, prompt_sets(cfg))
    assert record["sets"]["heldout"]["count"] == 2 and record["sets"]["select"]["count"] == 0
    held.write_text("draw something else entirely\n")  # editing the file later changes nothing for the run
    fixed = read_prompt_sets(run)
    assert fixed.train == ["draw a red fox", "draw a blue sea"] and fixed.heldout == ["draw a green frog", "draw a pink pig"]
    (run / "prompts" / "heldout.txt").write_text("draw a red fox\n")
    with pytest.raises(RunError, match=r"prompts/heldout.txt .* no longer match"):
        read_prompt_sets(run)


def test_an_overlap_stops_the_run_before_anything_is_written(tmp_path: Path):
    train, held = tmp_path / "train.txt", tmp_path / "held.txt"
    train.write_text("draw a red fox\ndraw a blue sea\n")
    held.write_text("draw a green frog\nDraw a  blue sea.\n")  # the same prompt, written differently
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[model]\nmodel = "/nonexistent/model"\n[run]\nmin_free_mb = 1\n'
                   f'[prompts]\ntrain_prompts = "{train}"\nheldout_prompts = "{held}"\nselect_prompts = "none"\n')
    out = run_brushwork("train", str(cfg), "--run-dir", str(tmp_path / "run"), home=tmp_path / "home")
    assert out.returncode == 2, out.stderr
    assert "training and held-out prompt sets share 1 prompt(s)" in out.stderr and normalise_prompt("a blue sea") in out.stderr
    assert str(held) in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "run").exists() and not (tmp_path / "home" / "brushwork.db").exists()


def test_offline_default_refuses_prompts_it_cannot_judge_before_the_run_starts(tmp_path: Path):
    from tests.subject_helpers import make_tiny_recogniser

    home = tmp_path / "home"
    make_tiny_recogniser(home)
    train, held = tmp_path / "train.txt", tmp_path / "held.txt"
    train.write_text("draw a red apple on the left in ink\ndraw red poppies in a summer field in watercolour\n")
    held.write_text("draw a blue boat in ink\n")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[model]\nmodel = "/nonexistent/model"\n[run]\nmin_free_mb = 1\n[reward]\nrubric = "offline-default"\n'
                   f'[prompts]\ntrain_prompts = "{train}"\nheldout_prompts = "{held}"\nselect_prompts = "none"\n')
    out = run_brushwork("train", str(cfg), "--run-dir", str(tmp_path / "run"), home=home)
    assert out.returncode == 2, out.stderr
    assert "1 of the run's 3 prompts ask for a subject the recogniser does not know" in out.stderr, out.stderr
    assert "'draw red poppies in a summer field in watercolour'" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "run" / "config.toml").exists()
    held.write_text("draw a blue boat in ink\ndraw a peach hibiscus in watercolour\n")  # held-out is judged too
    doctor = run_brushwork("doctor", "--config", str(cfg), home=home)
    assert "2 of the run's 4 prompts ask for a subject" in doctor.stdout + doctor.stderr


def test_procedural_selection_set_cannot_leak_into_a_held_out_file(tmp_path: Path):
    from core.train.corpus import select_specs

    held = tmp_path / "held.txt"
    held.write_text(f"draw a green frog\n{select_specs()[0].prompt}\n")
    with pytest.raises(RunError, match="selection and held-out prompt sets share 1"):
        prompt_sets(RunConfig(heldout_prompts=str(held)))
    with pytest.raises(RunError, match="cannot read a prompt file: prompts.train_prompts"):
        prompt_sets(RunConfig(train_prompts=str(tmp_path / "missing.txt")))
