"""What the judges are asked. Changing a text means bumping PROMPT_VERSION (it keys the cache)."""
from __future__ import annotations

PROMPT_VERSION = "pairwise-v1"

# One-line definitions for the absolute criteria of the first (nine-signal) rubric.
CRITERIA: dict[str, str] = {
    "recognisability": "how clearly the subject asked for can be recognised",
    "aesthetics": "how beautiful and harmonious the painting is as a picture",
    "technique": "how skilful the brushwork, layering and handling of the medium are",
    "depth": "how well the painting conveys depth, volume and space",
    "prompt_adherence": "how faithfully it follows the prompt: subject, colours, medium and style",
}


def pairwise_instruction(prompt: str) -> str:
    """Ask which of two images (A first, B second) better paints `prompt`, as JSON."""
    return (
        f'Two paintings were made for the prompt: "{prompt}".\n'
        "Image A is the first image, image B the second. Which is the better painting of that prompt: "
        "closer to the subject, colours and medium asked for, and finer as a painting?\n"
        'Answer with JSON only: {"winner": "A" | "B" | "tie", "confidence": a number from 0 to 1, '
        '"reasoning": "one short sentence"}'
    )


def rating_instruction(prompt: str, criterion: str) -> str:
    """Ask for a 0–10 score of one image on one criterion, as JSON."""
    what = CRITERIA.get(criterion, criterion)
    return (
        f'This painting was made for the prompt: "{prompt}".\n'
        f"Rate {criterion}: {what}. 0 is the worst, 10 the best.\n"
        'Answer with JSON only: {"score": a number from 0 to 10, "reasoning": "one short sentence"}'
    )
