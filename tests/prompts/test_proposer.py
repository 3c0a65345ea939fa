"""The rule-based proposer: hallucinated APIs turn an API reference into a strict allowlist."""
from __future__ import annotations

from fake_openai import STRICT, sketch_for

from core.prompts import system_prompt
from core.prompts.proposer import RULES, RuleProposer
from core.sketch import check, extract_code


def _record(hallucinated=(), error="", score=0.0, uses_brush=True):
    return {"Inputs": "draw a red rose", "Generated Outputs": "brush.set()", "Feedback": "",
            "Hallucinated APIs": list(hallucinated), "Render error": error, "Uses brush": uses_brush, "Score": score}


def test_hallucinations_swap_the_reference_for_a_strict_allowlist():
    seed = system_prompt("full-reference")
    proposer = RuleProposer()
    new = proposer({"system_prompt": seed}, {"system_prompt": [_record(["brush.bleed"])]}, ["system_prompt"])
    text = new["system_prompt"]
    assert STRICT.search(text) and not STRICT.search(seed)
    assert "brush.bleed" in text and "Never call" in text
    assert "brush.wiggle(" in seed and "brush.wiggle(" not in text  # the long reference is gone
    assert len(text) < len(seed) / 2
    # The fake model obeys it: no unknown API in what it writes now.
    for prompt in ("draw a red rose", "draw a blue iris", "draw a peach sunset"):
        assert not check(extract_code(sketch_for(text, prompt)).code, syntax=False).unknown_apis
    # Feeding it another invented name extends the never-call line rather than adding a second one.
    again = proposer.propose(text, [_record(["brush.watercolor"])])
    assert again.count("Never call") == 1 and "brush.watercolor" in again and "brush.bleed" in again


def test_low_scores_and_structure_errors_add_their_rule_once():
    proposer = RuleProposer()
    text = proposer.propose("Paint.", [_record(error="render runtime: createCanvas is not defined", score=0.2)])
    assert RULES["structure"] in text and RULES["quality"] in text
    assert proposer.propose(text, [_record(error="render runtime: createCanvas is not defined", score=0.2)]) == text
    assert proposer.propose("Paint.", [_record(score=1.0)]) == "Paint."  # nothing to fix
