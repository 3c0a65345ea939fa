"""`brushwork model`: the CLI table (core/cli.py) loads one module per command; this one registers model."""
from core.train.commands import register_model as register

__all__ = ["register"]
