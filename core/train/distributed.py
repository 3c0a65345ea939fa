"""Several training processes under `accelerate launch`: who decides, who writes, what is gathered.

`accelerate launch --num_processes N -m core.cli train CONFIG` starts N copies of the runner. Each
generates and renders its own share of the batch in its own Chromium page pool; TRL gathers the
rewards for the advantages. Rank 0 alone opens the store (one SQLite writer), holds the run-directory
lock, saves the config, evaluates held-out prompts and writes run events; the others hand it their
samples and PNGs once per step (`gather_object`). Decisions that must agree (the run directory, a
preflight error, stop after this step) are made by rank 0 or by any rank and then shared, so no
process waits forever in a collective the others skipped. One process is the same code path with
every collective a no-op.
"""
from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from core.paths import RESOURCES
from core.train.run_writer import RunWriter

T = TypeVar("T")

CPU_LAUNCH_CONFIG = RESOURCES / "train" / "accelerate-cpu-2proc.yaml"


def launch_command(train_args: list[str], processes: int = 2, config: Path = CPU_LAUNCH_CONFIG) -> list[str]:
    """The argv of `accelerate launch` running `brushwork train` with `train_args` in `processes`
    processes (the CPU config by default), on a free loopback port so that two launches never collide."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(config),
            "--num_processes", str(processes), "--main_process_port", str(port), "-m", "core.cli", "train",
            *train_args]


def zero3_refusal(env: dict[str, str] | None = None) -> str | None:
    """Why this launch is refused (several processes under DeepSpeed ZeRO-3), or None; read from the
    variables `accelerate launch` sets, so every rank refuses on its own before any collective."""
    env = dict(os.environ) if env is None else env
    if env.get("ACCELERATE_USE_DEEPSPEED", "").lower() != "true" or int(env.get("WORLD_SIZE", "1") or 1) < 2:
        return None
    stage = env.get("ACCELERATE_DEEPSPEED_ZERO_STAGE")
    config_file = env.get("ACCELERATE_DEEPSPEED_CONFIG_FILE")
    if config_file:
        try:
            stage = str(json.loads(Path(config_file).read_text(encoding="utf-8"))["zero_optimization"]["stage"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            return f"cannot read the DeepSpeed config {config_file} ({type(e).__name__}: {e}); fix the path in the accelerate config."
    if stage != "3":
        return None
    # Held-out evaluation samples on rank 0 alone (the others skip it); under ZeRO-3 every forward pass
    # gathers weight shards from all ranks, so rank 0 would wait for them forever.
    return (f"DeepSpeed ZeRO-3 with {env['WORLD_SIZE']} processes is not supported: ZeRO-3 shards every weight "
            "across the processes, and held-out evaluation generates on rank 0 alone, which would hang waiting "
            "for the others. Use ZeRO-2 (resources/train/accelerate-deepspeed-zero2.yaml with deepspeed-zero2.json: "
            "every process holds the whole model), or one process.")


@dataclass(frozen=True)
class Ranks:
    """This process's place among the launched ones (from accelerate's RANK / WORLD_SIZE)."""

    rank: int
    world: int

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world > 1


@cache
def ranks() -> Ranks:
    """The ranks of this process; under accelerate the process group is started here (Trainer reuses it)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        import torch  # deferred: heavy (torch)
        from accelerate import PartialState  # deferred: heavy (accelerate)

        # Without cpu=True accelerate sees no GPU and quietly stays one process per rank (both rank 0).
        state = PartialState(cpu=not torch.cuda.is_available())
        return Ranks(state.process_index, state.num_processes)
    return Ranks(0, 1)


def main_value(value: T) -> T:
    """Rank 0's value on every process (the value itself with one process)."""
    if not ranks().enabled:
        return value
    from accelerate.utils import broadcast_object_list  # deferred: heavy (accelerate)

    box = [value]
    broadcast_object_list(box, from_process=0)
    return box[0]


def on_main(fn: Callable[[], T], errors: tuple[type[Exception], ...]) -> T:
    """Run `fn` on rank 0 only; its result, or the same `errors` exception, on every process."""
    result: Any = None
    failure: tuple[type[Exception], str] | None = None
    if ranks().is_main:
        try:
            result = fn()
        except errors as e:
            failure = (type(e), str(e))
    result, failure = main_value((result, failure))
    if failure is not None:
        raise failure[0](failure[1])
    return result


def any_process(flag: bool) -> bool:
    """True on every process when it is true on any one."""
    if not ranks().enabled:
        return flag
    from accelerate.utils import gather_object  # deferred: heavy (accelerate)

    return any(gather_object([bool(flag)]))


def barrier() -> None:
    """Wait until every process gets here."""
    if ranks().enabled:
        from accelerate import PartialState  # deferred: heavy (accelerate)

        PartialState().wait_for_everyone()


class FollowerWriter(RunWriter):
    """The writer of ranks > 0: writes nothing (rank 0 is the store's one writer)."""

    def __init__(self, run_id: str):
        super().__init__(store=None, run_id=run_id)  # type: ignore[arg-type]

    def start(self, *a: Any, **kw: Any) -> None:
        return None

    def status(self, *a: Any, **kw: Any) -> None:
        return None

    def metrics(self, *a: Any, **kw: Any) -> None:
        return None

    def samples(self, *a: Any, **kw: Any) -> None:
        return None

    def event(self, *a: Any, **kw: Any) -> None:
        return None

    def rewind(self, step: int) -> dict[str, int]:
        return {}

    def heldout_done(self, checkpoint: str) -> bool:
        return True  # held-out evaluation is rank 0's job
