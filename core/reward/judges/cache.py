"""The judgement cache: `judgements` rows (core.store.judgements), one per (pair, judge, prompt, order).

The same candidate image, reference, prompt, judge model, judge-prompt version and order is never
paid for twice. Rows hold verdicts and token counts only, never a key.
"""
from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING

from core.store import judgements

if TYPE_CHECKING:
    from core.store import Store


def judgement_key(candidate_hash: str, reference_hash: str, prompt: str, judge_model: str,
                  prompt_version: str, order_ab: str) -> str:
    """The cache key: sha256 over the six parts that decide a verdict."""
    text = "\x1f".join([candidate_hash, reference_hash, prompt, judge_model, prompt_version, order_ab])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class JudgementCache:
    """Read and write verdicts in the store's `judgements` table (absent on old schemas: then a no-op)."""

    def __init__(self, store: Store, read_only: bool = False):
        self.store = store
        self.read_only = read_only  # a training process other than rank 0 reads verdicts but never writes
        self.available = judgements.has_judgements_table(store)
        self.hits = 0

    def get(self, **parts: str) -> tuple[str | None, float, str] | None:
        """(winner, confidence, reasoning) for a cached judgement, or None."""
        if not self.available:
            return None
        row = judgements.find_judgement(self.store, judgement_key(**parts))
        if row is None:
            return None
        self.hits += 1
        return row["winner"], float(row["confidence"] or 0.0), row["reasoning"] or ""

    def put(self, *, judge: str, winner: str | None, confidence: float, reasoning: str,
            tokens_in: int = 0, tokens_out: int = 0, cost_usd: float = 0.0, **parts: str) -> None:
        """Store one judgement (a repeat of the same key is ignored)."""
        if not self.available or self.read_only:
            return
        row = {"key": judgement_key(**parts), **parts, "judge": judge, "winner": winner,
               "confidence": confidence, "reasoning": reasoning, "tokens_in": tokens_in,
               "tokens_out": tokens_out, "cost_usd": cost_usd, "created_at": time.time()}
        # Queued on the store's writer thread: a judge's event loop never waits for the disk.
        self.store.submit(judgements.add_judgement, self.store, row)

    def count(self) -> int:
        """How many judgements are stored."""
        if not self.available:
            return 0
        return judgements.judgement_count(self.store)
