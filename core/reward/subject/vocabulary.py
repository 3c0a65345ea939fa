"""Which prompts the recogniser can judge: the words that name each subject it was trained on.

A prompt is judged for every subject it names ("a boat under the mountains" → boat, mountain); a prompt
that names none of them is not judged (the component says None). The words are saved with the model,
so an artefact keeps answering for the words it was trained with.
"""
from __future__ import annotations

import re

SUBJECT_WORDS: dict[str, tuple[str, ...]] = {
    "sun": ("sun", "suns"),
    "flower": ("flower", "flowers"),
    "tree": ("tree", "trees"),
    "house": ("house", "houses"),
    "mountain": ("mountain", "mountains"),
    "boat": ("boat", "boats"),
    "fish": ("fish", "fishes"),
    "apple": ("apple", "apples"),
}
_WORD = re.compile(r"[a-z]+")
# Words that end the first noun phrase ("a red apple | on the left"), and verbs that may open a prompt.
_BREAKS = frozenset({"on", "in", "at", "under", "over", "with", "against", "by", "of", "near", "beside",
                     "behind", "from", "above", "below", "and", "or", "for", "to", "into", "across"})
_VERBS = frozenset({"draw", "paint", "sketch", "make", "create", "render", "show"})


def head_noun(prompt: str | None) -> str | None:
    """The last word of the prompt's first noun phrase: "draw a small red apple on the left" → "apple",
    "a mountain landscape at dusk" → "landscape", "a still life of a bottle" → "life"."""
    words = _WORD.findall((prompt or "").lower().split(",")[0])
    if words and words[0] in _VERBS:
        words = words[1:]
    phrase: list[str] = []
    for word in words:
        if word in _BREAKS:
            break
        phrase.append(word)
    return phrase[-1] if phrase else None


def subject_of(prompt: str | None, words: dict[str, list[str]] | dict[str, tuple[str, ...]] = SUBJECT_WORDS) -> str | None:
    """The subject the prompt asks for, when it is one the recogniser knows: the head of its first noun
    phrase ("a red apple on the left" → apple). A known word elsewhere ("a mountain landscape", "a village
    under mountains", "a still life with an apple") is not what is asked for: None."""
    head = head_noun(prompt)
    return next((subject for subject, ws in words.items() if head in ws), None)
