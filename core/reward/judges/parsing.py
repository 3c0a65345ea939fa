"""Robust reading of judges' JSON answers: fences, prose around the object, loose winner spellings."""
from __future__ import annotations

import json
import math
import re

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S | re.I)
_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_FIRST = {"a", "1", "first", "image a", "image 1", "left", "painting a"}
_SECOND = {"b", "2", "second", "image b", "image 2", "right", "painting b"}
_TIE = {"tie", "draw", "equal", "neither", "both", "none", "same"}


def find_json_object(text: str) -> dict | None:
    """The first JSON object in `text` (inside a fence or bare among prose), or None."""
    if not isinstance(text, str):
        return None
    text = _THINK.sub("", text)
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for chunk in candidates:
        start = chunk.find("{")
        while start != -1:
            try:
                obj, _ = json.JSONDecoder().raw_decode(chunk[start:])
            except json.JSONDecodeError:
                start = chunk.find("{", start + 1)
                continue
            if isinstance(obj, dict):
                return obj
            start = chunk.find("{", start + 1)
    return None


def _number(value) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def parse_pairwise(text: str) -> tuple[str, float, str] | None:
    """("first" | "second" | "tie", confidence in [0, 1], reasoning) from an answer, or None if malformed."""
    obj = find_json_object(text)
    if obj is None:
        return None
    raw = str(obj.get("winner", obj.get("better", ""))).strip().lower().strip(".\"' ")
    if raw in _FIRST:
        winner = "first"
    elif raw in _SECOND:
        winner = "second"
    elif raw in _TIE:
        winner = "tie"
    else:
        return None
    confidence = _number(obj.get("confidence", 0.5))
    if confidence is None:
        confidence = 0.5
    if confidence > 1.0:  # some models answer in percent
        confidence /= 100.0
    return winner, min(1.0, max(0.0, confidence)), str(obj.get("reasoning", ""))[:500]


def parse_rating(text: str) -> float | None:
    """A 0–10 score from an answer, or None when missing or out of range."""
    obj = find_json_object(text)
    if obj is None:
        return None
    score = _number(obj.get("score", obj.get("rating")))
    if score is None or not 0.0 <= score <= 10.0:
        return None
    return score
