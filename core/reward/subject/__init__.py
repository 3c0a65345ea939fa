"""A small subject recogniser for the CPU path: is the prompt's subject in the picture?

Trained locally, once (`brushwork subject train`, a step of `make demo`), on renders of the procedural
corpus by subject and on negatives that are no subject at all (sketches.py). It reads a colour-blind ink
crop of the figure (features.py) with a small CNN (model.py) and answers only for prompts that name a
subject it was trained on (vocabulary.py); for any other prompt it says nothing. preflight.py refuses a
run whose rubric weights the subject while no recogniser is trained here.
"""
from core.reward.subject import preflight as _preflight  # noqa: F401 (registers the subject component's preflight)
