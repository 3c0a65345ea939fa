"""`brushwork train`: the CLI table (core/cli.py) loads one module per command; this one registers train."""
from core.train.commands import register_train as register

__all__ = ["register"]
