"""extract_code on the shapes real model output takes."""
from __future__ import annotations

import pytest

from core.sketch import extract_code

SKETCH = (
    "function setup() {\n"
    "  createCanvas(400, 400, WEBGL);\n"
    "  brush.scaleBrushes(2);\n"
    "}\n"
    "\n"
    "function draw() {\n"
    "  brush.set('HB', '#222', 1);\n"
    "  brush.line(-100, 0, 100, 0);\n"
    "}\n"
)


@pytest.mark.parametrize("tag", ["js", "javascript", "p5", "JavaScript", ""])
def test_fenced_block_with_prose_around(tag):
    e = extract_code(f"Here is your sketch:\n\n```{tag}\n{SKETCH}```\n\nIt draws a line.")
    assert e.code == SKETCH
    assert (e.fenced, e.truncated, e.blocks) == (True, False, 1)
    assert e.language == (tag.lower() or None)


def test_tilde_fence_and_fence_glued_to_last_line():
    assert extract_code(f"~~~js\n{SKETCH}~~~").code == SKETCH
    e = extract_code("```js\nfunction setup(){ brush.line(0, 0, 1, 1); }```\nDone.")
    assert e.code == "function setup(){ brush.line(0, 0, 1, 1); }\n" and not e.truncated


def test_unfenced_code_alone_and_inside_prose():
    assert extract_code(SKETCH).code == SKETCH
    e = extract_code(f"Sure! Here's a sketch that draws a line.\n\n{SKETCH}\nThis uses the HB pencil. Enjoy!")
    assert e.code == SKETCH
    assert (e.fenced, e.truncated, e.blocks, e.language) == (False, False, 1, None)
    assert any("prose" in n for n in e.notes)


def test_prose_that_mentions_calls_is_not_code():
    text = (f"Note (important): e.g. setup() runs once, and draw() runs every frame,\nso keep it light.\n\n"
            f"{SKETCH}\nThe brush.set call picks a pencil.")
    assert extract_code(text).code == SKETCH


def test_fence_inside_a_list_item_is_dedented():
    indented = "".join(f"   {line}\n" if line else "\n" for line in SKETCH.split("\n")[:-1])
    assert extract_code(f"1. Paste this:\n   ```js\n{indented}   ```\n").code == SKETCH


def test_unfenced_prose_between_functions_is_dropped():
    text = ("First the setup:\nfunction setup() {\n  createCanvas(400, 400, WEBGL);\n}\n"
            "Now the draw loop, which paints:\nfunction draw() {\n  brush.line(0, 0, 1, 1);\n}\nThat's it.")
    e = extract_code(text)
    assert e.code == ("function setup() {\n  createCanvas(400, 400, WEBGL);\n}\n"
                      "function draw() {\n  brush.line(0, 0, 1, 1);\n}\n")


def test_unfenced_keeps_multiline_comments_and_templates():
    code = "/*\n * Poppies\n * in a field\n */\nconst msg = `two\nlines`;\nfunction setup() {}\n"
    assert extract_code(code).code == code


def test_several_blocks_takes_the_complete_sketch_not_the_snippets():
    text = (f"Use it like this:\n```js\nbrush.set('HB', 'red', 1);\n```\nFull code:\n```js\n{SKETCH}```\n"
            "Or add a fill:\n```js\nbrush.fill('red', 100);\n```")
    e = extract_code(text)
    assert e.code == SKETCH and e.blocks == 3 and not e.truncated


def test_last_complete_sketch_wins_when_the_model_revises():
    revised = SKETCH.replace("'#222'", "'#a00'")
    e = extract_code(f"```js\n{SKETCH}```\nBetter:\n```js\n{revised}```")
    assert e.code == revised
    assert any("last complete" in n for n in e.notes)


def test_setup_and_draw_in_separate_blocks_are_joined():
    text = ("```js\nfunction setup() {\n  createCanvas(400, 400, WEBGL);\n}\n```\nand then\n"
            "```javascript\nfunction draw() {\n  brush.line(0, 0, 1, 1);\n}\n```")
    e = extract_code(text)
    assert e.code == ("function setup() {\n  createCanvas(400, 400, WEBGL);\n}\n\n"
                      "function draw() {\n  brush.line(0, 0, 1, 1);\n}\n")
    assert e.blocks == 2 and any("joined 1" in n for n in e.notes)


def test_helper_function_block_is_joined_to_the_sketch():
    text = ("```js\nfunction setup() { createCanvas(400, 400, WEBGL); }\nfunction draw() { flower(0, 0); }\n```\n"
            "where\n```js\nfunction flower(x, y) { brush.circle(x, y, 10); }\n```\n"
            "```js\nbrush.noStroke();\n```")
    e = extract_code(text)
    assert "function flower" in e.code and "noStroke" not in e.code


def test_non_js_blocks_are_ignored_and_html_script_is_used():
    text = f"```bash\nnpm install p5.brush\n```\n```js\n{SKETCH}```\n```css\nbody {{ margin: 0 }}\n```"
    assert extract_code(text).code == SKETCH
    html = "```html\n<script src='p5.js'></script>\n<script>\nfunction setup() { brush.line(0, 0, 1, 1); }\n</script>\n```"
    e = extract_code(html)
    assert e.code == "function setup() { brush.line(0, 0, 1, 1); }\n" and e.language == "html"


def test_unclosed_fence_is_truncated():
    e = extract_code(f"Here:\n```js\n{SKETCH[:70]}")
    assert e.truncated and e.fenced
    assert e.code.startswith("function setup() {")
    assert any("cut off" in n for n in e.notes)


@pytest.mark.parametrize("cut", [
    SKETCH[:-40],                          # inside draw(), inside a string
    "function setup() {\n  createCan",     # mid-token, brace open
    "let x = 1;\nlet y = x +",             # balanced but dangling operator
    "function setup() {\n  /* a long comment",
    "let s = `template ${x",
])
def test_unfenced_truncation(cut):
    e = extract_code(cut)
    assert e.truncated, e


def test_closed_fence_with_unbalanced_braces_is_not_truncation():
    e = extract_code("```js\nfunction setup() {\n  brush.line(0, 0, 1, 1);\n```\nDone.")
    assert not e.truncated
    assert any("model error" in n for n in e.notes)


def test_think_blocks_are_removed_even_with_code_inside():
    text = f"<think>Maybe ```js\nbrush.bleed(1)\n``` no.</think>\n```js\n{SKETCH}```"
    e = extract_code(text)
    assert e.code == SKETCH and "bleed" not in e.code and not e.truncated


def test_closing_think_tag_only_drops_what_came_before():
    e = extract_code(f"Let me plan { '{' } a flower.\n</think>\n\n{SKETCH}")
    assert e.code == SKETCH and not e.truncated


def test_unclosed_think_means_cut_off_while_thinking():
    e = extract_code("<think>\nLet me plan: function setup() {")
    assert e.truncated and e.code == ""


def test_crlf_is_normalised():
    crlf = SKETCH.replace("\n", "\r\n")
    e = extract_code(f"```js\r\n{crlf}```\r\nBye\r\n")
    assert e.code == SKETCH and "\r" not in e.code
    assert extract_code(crlf).code == SKETCH


def test_no_code_at_all():
    e = extract_code("I'm sorry, I can't draw that.")
    assert (e.code, e.blocks, e.truncated) == ("", 0, False)
    e = extract_code("```python\nprint('hi')\n```")
    assert e.code == "" and e.blocks == 1


def test_forgotten_closing_fence_before_the_next_block():
    text = f"```js\nbrush.set('HB', 'red', 1);\n\n```js\n{SKETCH}```"
    e = extract_code(text)
    assert e.code == SKETCH and e.blocks == 2 and not e.truncated


def test_empty_fence_gives_empty_code():
    assert extract_code("```js\n```").code == ""


def test_leaked_special_tokens_are_removed():
    e = extract_code(f"<|im_start|>assistant\n{SKETCH}<|im_end|><|endoftext|>")
    assert e.code == SKETCH and not e.truncated


def test_static_sketch_with_setup_only_is_chosen_over_snippets():
    static = "function setup() {\n  createCanvas(400, 400, WEBGL);\n  brush.circle(0, 0, 50);\n}\n"
    e = extract_code(f"```js\n{static}```\nTo change the colour:\n```js\nbrush.fill('red', 100);\n```")
    assert e.code == static
    assert any("ignored 1" in n for n in e.notes)


def test_full_sketch_beats_a_later_setup_only_snippet():
    e = extract_code(f"```js\n{SKETCH}```\nFor a bigger canvas:\n```js\nfunction setup() {{ createCanvas(800, 800, WEBGL); }}\n```")
    assert e.code == SKETCH


def test_block_declaring_a_palette_the_sketch_uses_is_joined():
    text = ("First a palette:\n```js\nconst palette = ['#e63946', '#f1faee'];\n```\nThen:\n"
            "```js\nfunction setup() {\n  createCanvas(400, 400, WEBGL);\n  brush.fill(palette[0], 90);\n}\n```\n"
            "```js\nconst unused = 1;\n```")
    e = extract_code(text)
    assert e.code.startswith("const palette") and "function setup" in e.code and "unused" not in e.code
