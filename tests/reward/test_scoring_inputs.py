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


def test_no_chromium_leaves_every_sketch_not_measured_never_zero(tmp_path, monkeypatch):
    """A machine fault (MACHINE_KINDS: here Chromium cannot start at all, kind `browser`) is the machine's: the
    rollout it hit keeps the fault and gets no total, and the rest are not tried one launch each."""
    import asyncio

    from core.reward.scoring import score_items, score_record

    fake = tmp_path / "chromium"
    fake.write_text("not a browser")  # a file that is not executable: the launch is refused, no network either
    monkeypatch.setenv("BRUSHWORK_CHROMIUM", str(fake))
    items = [{"name": f"{i}.js", "prompt": "a peach hibiscus in watercolour",
              "completion": f"function setup() {{ createCanvas(64, 64, WEBGL); brush.circle(0, 0, {10 + i}); }}"}
             for i in range(3)]
    rollouts, scores, notes = asyncio.run(score_items(items, load_rubric("offline-default"), size=64))
    assert len(notes) == 1 and notes[0].startswith("not rendered: ") and "not an executable file" in notes[0]
    assert [s.total for s in scores] == [None, None, None]  # not measured: no 0 for the machine's failure
    hit = [r for r in rollouts if r.render is not None]
    assert hit and all(r.render.error.kind == "browser" for r in hit)  # the fault stays on what it hit
    rows = [score_record(it["name"], r, s) for it, r, s in zip(items, rollouts, scores, strict=True)]
    assert {row["fault"] for row, r in zip(rows, rollouts, strict=True) if r.render is not None} == {"browser"}
    assert all(row["render_error"] in ("browser", None) and not row["render_ok"] for row in rows)
