"""The procedural corpus: prompt words decide the code, only allowlisted brush methods, held-out split."""
from __future__ import annotations

import io
import re

import pytest

from core.sketch import check
from core.train.corpus import (
    COLOURS,
    MEDIA,
    PLACES,
    SUBJECTS,
    PromptOverlapError,
    Spec,
    all_specs,
    check_disjoint,
    corpus,
    heldout_specs,
    select_specs,
    sketch_code,
    train_specs,
)


def test_words_decide_the_code():
    base = Spec("flower", "red", "watercolour", "on the left")
    code = sketch_code(base)
    assert COLOURS["red"] in code and "brush.fill(" in code
    assert COLOURS["blue"] in sketch_code(Spec("flower", "blue", "watercolour", "on the left"))
    assert '"pen"' in sketch_code(Spec("flower", "red", "ink", "on the left"))
    # Place moves the figure: the first circle's x is left of centre for "left", right for "right".
    xs = {p: int(re.search(r"brush\.circle\((-?\d+)", sketch_code(Spec("sun", "red", "ink", p))).group(1)) for p in PLACES}
    assert xs["on the left"] < xs["in the centre"] < xs["on the right"]
    big = int(re.search(r"brush\.circle\(-?\d+, -?\d+, (\d+)", sketch_code(Spec("apple", "red", "ink", "in the centre", "large"))).group(1))
    small = int(re.search(r"brush\.circle\(-?\d+, -?\d+, (\d+)", sketch_code(Spec("apple", "red", "ink", "in the centre", "small"))).group(1))
    assert big > small


DRAW = re.compile(r"brush\.(line|rect|circle|polygon)\(")


def test_careless_sketches_leave_one_part_out_and_make_up_the_stated_share():
    parts = {}
    for subject in SUBJECTS:
        spec = Spec(subject, "red", "watercolour", "in the centre")
        careful, careless = sketch_code(spec, seed=2), sketch_code(spec, seed=2, careless=True)
        parts[subject] = len(DRAW.findall(careful))
        assert len(DRAW.findall(careless)) == parts[subject] - 1, subject
        assert check(careless).clean and careless.splitlines()[:4] == careful.splitlines()[:4]

    def missing(prompt: str, code: str) -> int:  # parts left out of the subject's full drawing
        return parts[next(s for s in SUBJECTS if f" {s} " in prompt)] - len(DRAW.findall(code))
    counts = [missing(*pair) for pair in corpus(2000, seed=1)]
    assert set(counts) == {0, 1}
    assert 0.36 < counts.count(1) / len(counts) < 0.44  # CARELESS_SHARE = 0.4
    assert not any(missing(*pair) for pair in corpus(300, seed=1, careless_share=0.0))


@pytest.mark.parametrize("spec", all_specs()[::97])
def test_code_is_clean_and_on_the_allowlist(spec: Spec):
    report = check(sketch_code(spec, seed=3))
    assert report.clean and report.creates_canvas and report.webgl, report.problems()
    assert not report.allowlist_violations
    assert len({c.name for c in report.brush_calls}) >= 3


def test_heldout_triples_never_trained():
    train = {(s.subject, s.colour, s.medium) for s in train_specs()}
    held = {(s.subject, s.colour, s.medium) for s in heldout_specs()}
    assert held and not train & held
    assert {s.medium for s in heldout_specs()} == set(MEDIA)


def test_three_disjoint_sets_cover_the_templates_and_held_out_has_room():
    triples = {name: {(s.subject, s.colour, s.medium) for s in specs}
               for name, specs in (("train", train_specs()), ("select", select_specs()), ("heldout", heldout_specs()))}
    assert not triples["train"] & triples["select"] and not triples["train"] & triples["heldout"]
    assert not triples["select"] & triples["heldout"]
    assert len(train_specs()) + len(select_specs()) + len(heldout_specs()) == len(all_specs())
    assert len(heldout_specs()) >= 50 and len(select_specs()) >= 50
    check_disjoint({k: [s.prompt for s in v] for k, v in
                    (("train", train_specs()), ("select", select_specs()), ("heldout", heldout_specs()))})
    # a fixed sample for a seed, and a different one for another seed
    assert heldout_specs(5, seed=3) == heldout_specs(5, seed=3) != heldout_specs(5, seed=4)


def test_an_overlap_between_prompt_files_is_an_error_that_names_it():
    with pytest.raises(PromptOverlapError, match=r"training and held-out .* share 1 .*'a red apple'"):
        check_disjoint({"training": ["a blue sea", "A red  apple."], "held-out": ["a red apple", "a fox"]})
    check_disjoint({"training": ["a blue sea", "a blue sea"], "held-out": ["a fox"]})  # repeats within one set are fine


@pytest.mark.browser
@pytest.mark.slow
def test_corpus_samples_render(renderer, artifacts):
    from PIL import Image

    specs = heldout_specs(4, seed=1) + train_specs()[::700][:4]
    sheet = Image.new("RGB", (128 * len(specs), 128), "white")
    for i, spec in enumerate(specs):
        result = renderer.render(sketch_code(spec), size=128)
        assert result.ok, (spec.prompt, result.error)
        sheet.paste(Image.open(io.BytesIO(result.png)).convert("RGB"), (128 * i, 0))
    sheet.save(artifacts / "train_corpus_samples.png")
