"""The learned reward model: Bradley–Terry from the pool's tiers over image features and a tiny CNN.

Importing this package registers the `preference` component and the `learned` judge backend with
the reward engine (core.reward.registry imports it as a plugin). torch loads only when a model is
trained or used, not on import.
"""
from core.reward.learned import plugin  # noqa: F401  (registers the component and the judge)
from core.reward.learned.artefacts import NoRewardModel, current_dir, read_meta

__all__ = ["NoRewardModel", "current_dir", "read_meta"]
