"""The default allowlist: 8 real methods, written down for humans, configurable."""
from __future__ import annotations

import re

import pytest

from core.sketch import (
    ALLOWLIST_REASONS,
    DEFAULT_ALLOWLIST,
    AllowlistError,
    allowlist_from_toml,
    allowlist_prompt_block,
    brush_api,
    parse_allow,
)
from core.sketch.allowlist import ALLOWLIST_DOC


def test_eight_real_methods_each_with_a_reason():
    assert len(DEFAULT_ALLOWLIST) == 8 == len(set(DEFAULT_ALLOWLIST))
    assert set(DEFAULT_ALLOWLIST) <= brush_api()
    assert all(len(why) > 20 for _, why in ALLOWLIST_REASONS)


def test_human_doc_lists_the_same_methods_in_order():
    listed = re.findall(r"^\d+\. `brush\.(\w+)`", ALLOWLIST_DOC.read_text(), re.M)
    assert tuple(listed) == DEFAULT_ALLOWLIST


def test_prompt_block_has_signatures_from_the_readme():
    block = allowlist_prompt_block()
    lines = block.split("\n")
    assert len(lines) == 8
    assert lines[1].startswith("- brush.set(brushName, color, weight): ")
    assert "brush.fill(color, opacity)" in block
    assert "brush.polygon(pointsArray)" in block
    assert allowlist_prompt_block(["hatch"]).startswith("- brush.hatch(dist, angle, options): ")


def test_parse_allow_and_toml(tmp_path):
    assert parse_allow("brush.set, fill,line(),,set") == ("set", "fill", "line")
    with pytest.raises(AllowlistError, match="bleed"):
        parse_allow("set,bleed")
    cfg = tmp_path / "b.toml"
    cfg.write_text('[sketch]\nallow = ["set", "hatch"]\n')
    assert allowlist_from_toml(cfg) == ("set", "hatch")
    cfg.write_text('[render]\nwidth = 3\n')
    with pytest.raises(AllowlistError):
        allowlist_from_toml(cfg)
