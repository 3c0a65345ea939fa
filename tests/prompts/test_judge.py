"""The taste-anchored few-shot judge over loopback HTTP: 7 rated pool images, then the candidate."""
from __future__ import annotations

import io

from PIL import Image

from core.prompts.config import JudgeConfig
from core.prompts.generators import Completion
from core.prompts.metrics import SketchSample
from core.prompts.scoring import make_scorer, parse_judgement
from core.render.types import RenderResult
from core.sketch import check


def _png(rgb: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (48, 48), rgb).save(buf, "PNG")
    return buf.getvalue()


def _fill_pool(store, love: int, nope: int) -> None:
    from core.pool import RatingPool

    pool = RatingPool(store)
    for i in range(love + nope):
        image = pool.add_image(_png((200, 40 + 20 * i, 90)), prompt=f"painting {i}", source="hand").image
        pool.rate(image.id, "love" if i < love else "nope")


def _sample(code: str, png: bytes | None) -> SketchSample:
    render = RenderResult(ok=png is not None, png=png, error=None, ms=1.0, sketch_ms=1.0)
    return SketchSample("draw a red rose", Completion(code), code, check(code, syntax=False), render)


GOOD = "function setup(){ createCanvas(64,64,WEBGL); brush.set('pen','#c00',1); brush.fill('#c00',90); brush.circle(0,0,9); }"


def test_judge_sees_seven_rated_examples_then_scores(store, fake_server):
    _fill_pool(store, love=5, nope=4)
    scorer, name = make_scorer(JudgeConfig(kind="openai", model="fake-vision", base_url=fake_server.base_url,
                                           api_key_env="", shots=7))
    assert name.endswith("7-shot")
    good = _sample(GOOD, _png((220, 60, 60)))
    invented = _sample(GOOD.replace("brush.fill", "brush.bleed(1); brush.fill"), _png((220, 60, 60)))
    scorer([good, invented])
    assert good.score == 0.6 and "colour" in good.reasoning
    assert invented.score == 0.0 and "brush.bleed" in invented.reasoning
    assert len(fake_server.requests) == 1  # the sketch calling an invented API never reached the judge
    content = fake_server.requests[0][1]["messages"][0]["content"]
    images = [part for part in content if part["type"] == "image_url"]
    texts = " ".join(part["text"] for part in content if part["type"] == "text")
    assert len(images) == 8  # 7 examples + the candidate
    assert texts.count("LOVED") == 4 and texts.count("REJECTED") == 3


def test_without_a_judge_the_scorer_falls_back():
    scorer, name = make_scorer(JudgeConfig(kind="none"), rendered=False)
    assert name.startswith("offline-structure")
    sample = _sample(GOOD, None)
    sample.render = None
    scorer([sample])
    assert 0 < sample.score <= 1


def test_parse_judgement_is_robust():
    assert parse_judgement('Sure! {"score": 8, "reasoning": "nice"} hope it helps') == (0.8, "nice")
    assert parse_judgement("no json here") is None
    assert parse_judgement('{"score": 14}') is None
    assert parse_judgement('{"reasoning": "no score"}') is None
