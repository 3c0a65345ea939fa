"""The one vocabulary of sources: where a sketch or a pool image came from.

Sketches and pool images are different things, so each has its own list, but both are defined
here and nowhere else: the store, the pool, the CLI and the studio's filters import them. The
`sketches.source` CHECK (migration v3) and the `pool_images.source` CHECK (v2) spell the same lists;
a test keeps them in step.
"""
from __future__ import annotations

# starter: bundled examples · model: written by a model (training rollouts, the studio's "ask")
# human: typed or edited in the editor · import: a .js file brought in · generated: batch generation
SKETCH_SOURCES: tuple[str, ...] = ("starter", "model", "human", "import", "generated")

# hand: images a person brought in · supplement: added to fill a thin colour · library: a render
# of a library sketch · rollout: a training rollout's render
POOL_SOURCES: tuple[str, ...] = ("hand", "supplement", "library", "rollout")


def check_sketch_source(source: str) -> str:
    """`source` if it is a sketch source, else ValueError naming the allowed ones."""
    if source not in SKETCH_SOURCES:
        raise ValueError(f"A sketch's source must be one of {', '.join(SKETCH_SOURCES)}, not {source!r}.")
    return source
