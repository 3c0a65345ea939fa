"""System prompts: the allowlist prompt shows exactly the checker's eight methods; promotion to training."""
from __future__ import annotations

import re

import pytest

from core.prompts import system_prompt, training_prompt, training_prompt_path, use_as_training_prompt
from core.prompts.system import PromptError, load_prompt_set
from core.sketch import DEFAULT_ALLOWLIST, brush_api


def test_allowlist_prompt_names_exactly_the_checkers_methods():
    text = system_prompt("allowlist")
    named = re.findall(r"brush\.(\w+)\(", text)
    assert sorted(set(named)) == sorted(DEFAULT_ALLOWLIST)
    assert len(DEFAULT_ALLOWLIST) == 8
    assert "ONLY" in text


def test_full_reference_prompt_lists_many_real_methods():
    text = system_prompt("full-reference")
    named = set(re.findall(r"brush\.(\w+)\(", text))
    assert len(named) > 20 and set(DEFAULT_ALLOWLIST) <= named
    assert named <= brush_api()  # a reference, not an invention
    assert "ONLY" not in text


def test_prompt_from_file_and_unknown_name(tmp_path):
    path = tmp_path / "mine.md"
    path.write_text("Paint with brush.set only.", encoding="utf-8")
    assert system_prompt(str(path)) == "Paint with brush.set only."
    with pytest.raises(PromptError, match="allowlist"):
        system_prompt("no-such-prompt")


def test_prompt_set_skips_comments(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("# colours\ndraw a red rose\n\n draw a blue iris \n", encoding="utf-8")
    assert load_prompt_set(path) == ["draw a red rose", "draw a blue iris"]
    assert len(load_prompt_set(limit=5)) == 5
    path.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(PromptError, match="one prompt a line"):
        load_prompt_set(path)


def test_use_as_training_prompt_writes_the_data_home_file(brushwork_home):
    assert training_prompt() == system_prompt("allowlist")  # nothing promoted yet
    path = use_as_training_prompt("first")
    assert path == brushwork_home / "prompts" / "training_system_prompt.md" == training_prompt_path()
    use_as_training_prompt("second")
    assert training_prompt() == "second"
    assert path.with_suffix(".md.bak").read_text() == "first"
    with pytest.raises(PromptError):
        use_as_training_prompt("   ")
