"""A subject recogniser trained in the test session (small settings, real renders), shared by the tests
that need one: fitted once on the shipped training renders (tests/subject_inks.py), then copied into each
test's own data home."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import subject_inks

# Small but honest: 8 corpus renders per subject and 24 negatives (88 renders at 128 px), 400 steps.
TEST_SETTINGS = {"per_subject": 8, "negatives": 24, "steps": 400, "heldout_every": 4}


@pytest.fixture(scope="session")
def trained_recogniser_home(tmp_path_factory) -> Path:
    """A data home holding a recogniser fitted for this session on the shipped renders of its training
    sketches (real sandbox renders, tests/subject_inks.py): the same recogniser every session."""
    from core.reward.subject.train import TrainSettings, fit_recogniser

    rendered, _, made_with = subject_inks.load()
    settings = TrainSettings(**TEST_SETTINGS)
    assert {k: getattr(settings, k) for k in made_with} == made_with, (made_with, TEST_SETTINGS)
    home = tmp_path_factory.mktemp("recogniser-home")
    fit_recogniser(rendered, settings, home=home)
    return home


@pytest.fixture
def recogniser(trained_recogniser_home: Path, brushwork_home: Path) -> Path:
    """The session's recogniser, copied into this test's data home; returns that home."""
    from core.reward.subject.model import model_dir

    shutil.copytree(model_dir(trained_recogniser_home), model_dir(brushwork_home))
    return brushwork_home
