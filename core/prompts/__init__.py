"""The prompt lab: system prompts, prompt metrics, sketch generators and GEPA prompt evolution."""
from core.prompts.config import (
    ConfigError,
    EvolveConfig,
    GeneratorConfig,
    JudgeConfig,
    ReflectionConfig,
    load_config,
)
from core.prompts.generators import Completion, CostMeter, GeneratorError, generate_many, make_generator
from core.prompts.metrics import PromptMetrics, SketchSample, prompt_metrics, summarize
from core.prompts.system import (
    BUILTIN_PROMPTS,
    DEFAULT_SYSTEM_PROMPT,
    PromptError,
    load_prompt_set,
    system_prompt,
    training_prompt,
    training_prompt_path,
    use_as_training_prompt,
)

__all__ = [
    "BUILTIN_PROMPTS", "DEFAULT_SYSTEM_PROMPT", "Completion", "ConfigError", "CostMeter", "EvolveConfig",
    "GeneratorConfig", "GeneratorError", "JudgeConfig", "PromptError", "PromptMetrics", "ReflectionConfig",
    "SketchSample", "generate_many", "load_config", "load_prompt_set", "make_generator", "prompt_metrics",
    "summarize", "system_prompt", "training_prompt", "training_prompt_path", "use_as_training_prompt",
]
