"""An SFT report says which corpus the warm start came from, and a warm start from before the careless corpus
is named as stale (make demo trains it again; the Train pane's setup box says so)."""
from __future__ import annotations

from core.train.corpus import CORPUS_VERSION
from core.train.sft import stale_warm_start


def test_a_report_without_or_with_an_older_corpus_version_is_stale():
    assert CORPUS_VERSION >= 2
    for report in ({"steps": 300, "nonblank": 0.9}, {"corpus_version": CORPUS_VERSION - 1}):
        why = stale_warm_start(report)
        assert why is not None and f"corpus version {report.get('corpus_version', 1)}" in why
        assert "run SFT again" in why
    assert stale_warm_start({"corpus_version": CORPUS_VERSION}) is None
