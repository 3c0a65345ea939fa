"""The rating pool: rated reference images, tiers and their history, colour groups, import/export."""
from core.pool.colour import ALL_GROUPS, GROUPS, ColourInfo, analyse, prompt_colour
from core.pool.pool import (
    SOURCES,
    TIERS,
    AddResult,
    CorruptImageError,
    PoolError,
    PoolImage,
    RatingEvent,
    RatingPool,
    ThinColour,
)

__all__ = [
    "ALL_GROUPS", "GROUPS", "SOURCES", "TIERS", "AddResult", "ColourInfo", "CorruptImageError", "PoolError",
    "PoolImage", "RatingEvent", "RatingPool", "ThinColour", "analyse", "prompt_colour",
]
