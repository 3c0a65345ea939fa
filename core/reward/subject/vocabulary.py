"""Which prompts the recogniser can judge: the words that name each subject it was trained on.

A prompt is judged for the subject its first noun phrase names ("a red apple on the left" → apple); a
prompt that names none of them is not judged (the component says None). The recogniser knows each subject
only as the corpus paints it, so a subject word qualified by anything but an article, a size or a colour
("a lone bare tree", "a stylised fish", "a sinking boat") is not judged either: its real painting need not
look like the corpus's. The words are saved with the model, so an artefact keeps answering for the words
it was trained with.
"""
from __future__ import annotations

import re

from core.pool.colour import COLOUR_WORDS

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


# What may stand before a subject the recogniser judges: the corpus's own prompt words ("draw a [size]
# COLOUR SUBJECT", core/train/corpus.py) and words that do not change what the subject looks like.
_PLAIN = frozenset({"a", "an", "the", "one", "two", "three", "single", "small", "large", "big", "little", "tiny",
                    "huge", "light", "dark", "pale", "bright", "simple"})


def noun_phrase(prompt: str | None) -> list[str]:
    """The words of the prompt's first noun phrase, its opening verb left out: "draw a small red apple on
    the left" → ["a", "small", "red", "apple"]."""
    words = _WORD.findall((prompt or "").lower().split(",")[0])
    if words and words[0] in _VERBS:
        words = words[1:]
    phrase: list[str] = []
    for word in words:
        if word in _BREAKS:
            break
        phrase.append(word)
    return phrase


def head_noun(prompt: str | None) -> str | None:
    """The last word of the prompt's first noun phrase: "draw a small red apple on the left" → "apple",
    "a mountain landscape at dusk" → "landscape", "a still life of a bottle" → "life"."""
    phrase = noun_phrase(prompt)
    return phrase[-1] if phrase else None


def subject_of(prompt: str | None, words: dict[str, list[str]] | dict[str, tuple[str, ...]] = SUBJECT_WORDS) -> str | None:
    """The subject the prompt asks for, when it is one the recogniser knows: the head of its first noun
    phrase ("a red apple on the left" → apple). A known word elsewhere ("a mountain landscape", "a village
    under mountains", "a still life with an apple") is not what is asked for, nor one qualified by words
    that change its look ("a lone bare tree"): None."""
    phrase = noun_phrase(prompt)
    if not phrase or any(w not in _PLAIN and w not in COLOUR_WORDS for w in phrase[:-1]):
        return None
    return next((subject for subject, ws in words.items() if phrase[-1] in ws), None)
