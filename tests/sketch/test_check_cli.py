"""`brushwork check` as a real subprocess: exit codes, human and JSON output."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.cli_helpers import run_brushwork

CLEAN = ("function setup() {\n  createCanvas(600, 600, WEBGL);\n  brush.scaleBrushes(3);\n}\n"
         "function draw() {\n  brush.set('HB', '#222', 1);\n  brush.fill('#d7c3a3', 120);\n"
         "  brush.circle(0, 0, 80);\n}\n")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_brushwork("check", *args, stdin=stdin, timeout=120)


def run_here(capsys, *args: str) -> tuple[int, str, str]:
    """The same command in this process (cheaper than a new interpreter)."""
    from core.cli import main

    code = main(["check", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_js_exits_0(tmp_path):
    f = tmp_path / "s.js"
    f.write_text(CLEAN)
    done = run(str(f))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "clean" in done.stdout.splitlines()[0]
    assert "syntax: ok" in done.stdout


def test_problems_exit_1_with_positions(tmp_path):
    f = tmp_path / "s.js"
    f.write_text(CLEAN.replace("brush.circle(0, 0, 80);", "brush.bleed(0.2); brush.hatch(5, 30);"))
    done = run(str(f))
    assert done.returncode == 1
    assert "unknown API: brush.bleed at 8:3" in done.stdout
    assert "off the allowlist: brush.hatch at 8:21" in done.stdout


def test_allow_option_widens_the_list(tmp_path, capsys):
    f = tmp_path / "s.js"
    f.write_text(CLEAN.replace("brush.circle(0, 0, 80);", "brush.hatch(5, 30);"))
    code, out, _ = run_here(capsys, str(f))
    assert code == 0 and "off the allowlist: brush.hatch at 8:3" in out  # a warning, not a failure
    code, out, _ = run_here(capsys, str(f), "--allow", "set,fill,hatch,scaleBrushes")
    assert code == 0 and "off the allowlist" not in out
    cfg = tmp_path / "b.toml"
    cfg.write_text('[sketch]\nallow = ["set", "fill", "hatch", "scaleBrushes"]\n')
    code, out, _ = run_here(capsys, str(f), "--config", str(cfg))
    assert code == 0 and "off the allowlist" not in out
    code, _, err = run_here(capsys, str(f), "--allow", "set,bleed")
    assert code == 2 and "bleed" in err


def test_json_for_model_output_with_syntax_error(tmp_path):
    f = tmp_path / "out.md"
    f.write_text("Here you go!\n\n```javascript\nfunction setup() {\n  brush.set('HB', 'red', 1)\n  let = ;\n}\n```\nEnjoy.")
    done = run(str(f), "--json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert set(data) == {"file", "clean", "problems", "allowlist", "extracted", "report"}
    assert data["clean"] is False and data["allowlist"][1] == "set"
    assert data["extracted"]["fenced"] is True and data["extracted"]["language"] == "javascript"
    rep = data["report"]
    assert rep["syntax_error"] == {"kind": "syntax", "message": "Unexpected token ';'", "line": 3, "column": 9}
    assert rep["brush_calls"] == [{"name": "set", "line": 2, "column": 3, "end_column": 12, "called": True,
                                   "via": "brush"}]
    assert rep["parser"] == "tokens"  # it does not parse: the token scan found the call
    assert rep["token_method"] == "approx" and isinstance(rep["tokens"], int)


def test_stdin_model_output_clean_then_truncated():
    done = run("-", stdin=f"Sure:\n{CLEAN}\nThat paints a circle.")
    assert done.returncode == 0, done.stdout
    assert "extracted: unfenced" in done.stdout


def test_truncated_model_output_is_a_problem(tmp_path, capsys):
    f = tmp_path / "out.txt"
    f.write_text("```js\n" + CLEAN[:90])
    code, out, _ = run_here(capsys, str(f), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["extracted"]["truncated"] is True
    assert any("cut off" in p for p in data["problems"])


def test_missing_file_exits_2_in_a_real_process(tmp_path):
    done = run(str(tmp_path / "missing.js"))
    assert done.returncode == 2 and "does not exist" in done.stderr and done.stdout == ""


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.js", "does not exist"),
    (lambda d: (d / "bin.js").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00") and d / "bin.js", "binary"),
    (lambda d: (d / "latin.js").write_bytes(b"brush.set('caf\xe9')") and d / "latin.js", "UTF-8"),
    (lambda d: (d / "big.js").write_text("// x\n" * 250_000) and d / "big.js", "1 MB"),
    (lambda d: d, "folder"),
])
def test_unreadable_input_exits_2(tmp_path, capsys, make, words):
    code, out, err = run_here(capsys, str(make(tmp_path)))
    assert code == 2
    assert words in err and out == ""


def test_tokenizer_option_gives_exact_counts(tmp_path, capsys):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator([CLEAN] * 5, trainers.BpeTrainer(vocab_size=300,
                                                             initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.save(str(tmp_path / "tokenizer.json"))
    f = tmp_path / "s.js"
    f.write_text(CLEAN)
    code, out, _ = run_here(capsys, str(f), "--json", "--tokenizer", str(tmp_path / "tokenizer.json"))
    report = json.loads(out)["report"]
    assert code == 0 and report["token_method"] == "exact"
    assert report["tokens"] == len(tok.encode(CLEAN).ids)
    code, _, err = run_here(capsys, str(f), "--tokenizer", str(tmp_path / "missing"))
    assert code == 2 and "no tokenizer" in err


def test_hidden_calls_dynamic_keys_and_print_in_the_report(tmp_path, capsys):
    f = tmp_path / "s.js"
    f.write_text("const b = brush;\nb.madeUp();\nbrush[pick()]();\nprint();\n")
    code, out, _ = run_here(capsys, str(f))
    assert code == 1
    assert "unknown API: brush.madeUp at 2:1" in out
    assert "problem: line 3:1: cannot check `brush[pick()]`: the brush method is named at run time" in out
    assert "problem: line 4:1: print() with no argument opens the browser's print dialog" in out
    assert "brush references read by: a full parse (acorn)" in out
    code, out, _ = run_here(capsys, str(f), "--json")
    data = json.loads(out)
    rep = data["report"]
    assert rep["cannot_check"][0]["kind"] == "cannot check" and rep["print_dialogs"][0]["line"] == 4
    assert any(p.startswith("line 3:1: cannot check") for p in data["problems"])
