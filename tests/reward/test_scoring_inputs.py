"""What `brushwork score` reads: .js files with a prompt header, folders, parquet of completions."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from reward_helpers import CHEATS

from core.reward import load_rubric
from core.reward.scoring import code_of, prompt_from_header, read_items, with_judge_overrides


def test_js_files_and_folders_carry_their_prompt_header():
    items = read_items(CHEATS)
    assert {it["name"] for it in items} >= {"flood.js", "giant-circle.js", "loop-10000.js", "broken.js"}
    by_name = {it["name"]: it["prompt"] for it in items}
    assert by_name["flood.js"] == "draw a peach hibiscus in watercolour"
    assert by_name["poppies-barcode.js"] == "draw red poppies in a summer field in watercolour"
    assert all(by_name.values()), "every cheat names the prompt it was written against"
    assert read_items(CHEATS / "flood.js", prompt="a red flood")[0]["prompt"] == "a red flood"
    assert prompt_from_header("// nothing here\nfunction setup() {}") is None


def test_parquet_of_completions_is_extracted(tmp_path):
    path = tmp_path / "rollouts.parquet"
    completion = "Here you go:\n```js\nfunction setup() { createCanvas(64, 64, WEBGL); brush.line(0, 0, 9, 9); }\n```\n"
    pq.write_table(pa.Table.from_pylist([{"prompt": "a blue line", "completion": completion}]), path)
    item = read_items(path)[0]
    assert item["prompt"] == "a blue line"
    assert code_of(item["completion"]).startswith("function setup()")
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist([{"prompt": "x", "text": "y"}]), bad)
    with pytest.raises(ValueError, match="'completion' or 'code'"):
        read_items(bad)


def test_judge_overrides_point_openai_judges_at_a_local_server():
    rubric = with_judge_overrides(load_rubric("seed-v1-nine-signals"), "http://127.0.0.1:9/v1", "llava")
    assert rubric.judge_settings["gpt"].base_url == "http://127.0.0.1:9/v1"
    assert rubric.judge_settings["gpt"].model == "llava"
    assert rubric.judge_settings["gemini"].base_url == ""  # only OpenAI-compatible judges move
