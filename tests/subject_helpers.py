"""A subject recogniser trained in the test session (small settings, real renders), shared by the tests
that need one: fitted once on the shipped training renders (tests/subject_inks.py), then copied into each
test's own data home. Under `make test` the lanes share one fit (tests/run_all.sh sets SHARED)."""
from __future__ import annotations

import fcntl
import math
import os
import shutil
from pathlib import Path

import pytest
import subject_inks

# Small but honest: 8 corpus renders per subject and 24 negatives (88 renders at 128 px), 400 steps.
TEST_SETTINGS = {"per_subject": 8, "negatives": 24, "steps": 400, "heldout_every": 4}
SHARED = "BRUSHWORK_TEST_SHARED"  # a folder the pytest processes of one `make test` share


def fit_test_recogniser(home: Path) -> None:
    """Fit the tests' recogniser into `home` on the shipped renders (seeded, one torch thread: the same
    weights in every process)."""
    from core.reward.subject.train import TrainSettings, fit_recogniser

    rendered, _, made_with = subject_inks.load()
    settings = TrainSettings(**TEST_SETTINGS)
    assert {k: getattr(settings, k) for k in made_with} == made_with, (made_with, TEST_SETTINGS)
    fit_recogniser(rendered, settings, home=home)


@pytest.fixture(scope="session")
def trained_recogniser_home(tmp_path_factory) -> Path:
    """A data home holding a recogniser fitted for this session on the shipped renders of its training
    sketches (real sandbox renders, tests/subject_inks.py): the same recogniser every session."""
    from core.reward.subject.model import read_meta

    shared = os.environ.get(SHARED)
    if not shared:
        home = tmp_path_factory.mktemp("recogniser-home")
        fit_test_recogniser(home)
        return home
    home = Path(shared) / "recogniser-home"
    home.mkdir(parents=True, exist_ok=True)
    with open(Path(shared) / "recogniser.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a lane that needs it meanwhile waits for this fit, not a second one
        if read_meta(home) is None:
            fit_test_recogniser(home)
    return home


@pytest.fixture
def recogniser(trained_recogniser_home: Path, brushwork_home: Path) -> Path:
    """The session's recogniser, copied into this test's data home; returns that home."""
    from core.reward.subject.model import model_dir

    shutil.copytree(model_dir(trained_recogniser_home), model_dir(brushwork_home))
    return brushwork_home


def make_tiny_recogniser(home: Path) -> Path:
    """A real recogniser artefact in `home`, fitted for a few steps on shapes drawn with Pillow (no browser,
    a few seconds): the subject component is measured with it, not measured *well*. For tests that need a
    preset weighting `subject` to pass its preflight and do not look at the subject's values."""
    import io

    from PIL import Image, ImageDraw

    from core.reward.imagestats import layout_lab
    from core.reward.subject.features import ink_map
    from core.reward.subject.model import RecogniserMeta, fit, model_dir, save
    from core.reward.subject.sketches import LABELS, NONE
    from core.reward.subject.vocabulary import SUBJECT_WORDS

    maps, labels = [], []
    for i, _label in enumerate(LABELS):
        for size in (30, 50):
            img = Image.new("RGB", (128, 128), "#f4efe4")
            corners = [(64 + size * math.cos(2 * math.pi * k / (i + 3)), 64 + size * math.sin(2 * math.pi * k / (i + 3)))
                       for k in range(i + 3)]
            ImageDraw.Draw(img).polygon(corners, outline="#202020", width=3)
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            maps.append(ink_map(layout_lab(buf.getvalue())))
            labels.append(i)
    net = fit(maps, labels, len(LABELS), LABELS.index(NONE), steps=3, batch=8, width=4)
    meta = RecogniserMeta(labels=list(LABELS), words={k: list(v) for k, v in SUBJECT_WORDS.items()}, width=4,
                          train_images=len(maps), steps=3)
    save(net, meta, home)
    return model_dir(home)


@pytest.fixture
def tiny_recogniser(brushwork_home: Path) -> Path:
    """A few-step recogniser (make_tiny_recogniser) in this test's data home; returns that home."""
    make_tiny_recogniser(brushwork_home)
    return brushwork_home
