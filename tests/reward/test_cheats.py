"""Every cheat in tests/reward/cheats/, rendered for real, scores below a real painting of its prompt on
offline-default: the starter with that prompt, or the procedural corpus's sketch for a corpus prompt.

A cheat names its prompt in a `// prompt:` line. The subject recogniser is the session's (fitted on
shipped corpus renders, subject_helpers.py), so the cheats on corpus prompts meet a subject signal as in
training; those are checked at the training size (128 px) too, since tiny-cpu trains on them there. The
table of totals goes to artifacts/cheats-offline-default.json. The poppies and hibiscus prompts ask for
subjects the recogniser does not know: there offline-default is blind to the subject, the margins are thin
(a barcode drawn with four brushes would pass the poppies starter), and training on such prompts is refused
(tests/reward/test_preflight.py). The same table for any folder of attacks: `brushwork bench cheats`.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from reward_helpers import CHEATS, score_beside_reals

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(3600)]
SIZE = 512  # the studio's size
TRAINING_SIZE = 128  # tiny-cpu's


def _subject_known(path: Path) -> bool:
    from core.reward.scoring import prompt_from_header
    from core.reward.subject.vocabulary import subject_of

    return subject_of(prompt_from_header(path.read_text())) is not None


@pytest.fixture(scope="module")
def scored(renderer, trained_recogniser_home, tmp_path_factory):
    """({name: (prompt, Score, RenderResult)}, {prompt: name of its real painting}) for every cheat and real."""
    return score_beside_reals(sorted(CHEATS.glob("*.js")), renderer, trained_recogniser_home,
                              tmp_path_factory.mktemp("cheat-home"), SIZE)


@pytest.fixture(scope="module")
def scored_small(renderer, trained_recogniser_home, tmp_path_factory):
    """The same at the training size, for the cheats on prompts whose subject the recogniser knows."""
    return score_beside_reals([p for p in sorted(CHEATS.glob("*.js")) if _subject_known(p)], renderer,
                              trained_recogniser_home, tmp_path_factory.mktemp("cheat-home-128"), TRAINING_SIZE)


def _winners(table: dict, reals: dict) -> list:
    # a real painting must read as one (the session's small recogniser is least sure of the corpus sun: ~0.79)
    for real in reals.values():
        _, score, render = table[real]
        assert render.ok and score.total is not None and score.total > 0.75, (real, render.error, score.to_dict())
    winners = []
    for name, (prompt, score, render) in sorted(table.items()):
        if name in reals.values():
            continue
        real_total = table[reals[prompt]][1].total
        if score.total is None or score.total >= real_total:
            winners.append((name, score.total, reals[prompt], real_total, score.to_dict(), render.error))
    return winners


def test_every_cheat_scores_below_the_real_painting_of_its_prompt(scored, artifacts):
    table, reals = scored
    (artifacts / "cheats-offline-default.json").write_text(json.dumps(
        {name: {"prompt": prompt, "total": s.total, "components": s.components, "gates": s.gates}
         for name, (prompt, s, _) in table.items()}, indent=1))
    assert len(table) == len(list(CHEATS.glob("*.js"))) + len(reals)
    assert not _winners(table, reals)


def test_at_the_training_size_every_cheat_on_a_known_subject_loses_too(scored_small):
    table, reals = scored_small
    assert len(reals) >= 3, reals  # apple, fish and sun prompts at least
    assert not _winners(table, reals)


def test_real_paintings_open_every_gate_and_the_cheapest_cheats_score_nothing(scored):
    table, _ = scored
    for name in ("01-peach-hibiscus.js", "02-red-poppies.js"):
        assert table[name][1].gates == {"structure": 1.0, "substance": 1.0, "brushwork": 1.0}, table[name][1].to_dict()
    for name in ("flood.js", "giant-circle.js", "broken.js", "poppies-native-p5.js"):
        assert table[name][1].total == 0.0, (name, table[name][1].to_dict())
    # ten thousand calls of one primitive: one primitive drew (of the preset's target), and the marks are noise
    from core.reward import load_rubric

    target = next(s for s in load_rubric("offline-default").specs if s.name == "brush_variety").params["target"]
    loop = table["loop-10000.js"][1]
    assert loop.components["brush_variety"] == pytest.approx(1 / target) and loop.components["craft"] < 0.1, loop.to_dict()
