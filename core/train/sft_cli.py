"""`brushwork sft`: the CLI table (core/cli.py) loads one module per command; this one registers sft."""
from core.train.commands import register_sft as register

__all__ = ["register"]
