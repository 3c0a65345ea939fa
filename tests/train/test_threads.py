"""How many torch threads a GRPO process takes: half of its share of the cores (the render browser loads
pages with the rest), never fewer than one; $BRUSHWORK_TORCH_THREADS wins."""
from __future__ import annotations

import pytest
import torch

from core.train.commands import cap_torch_threads, training_threads


@pytest.mark.parametrize(("cores", "local", "threads"), [(1, 1, 1), (2, 1, 1), (4, 1, 2), (16, 1, 8), (16, 4, 2),
                                                          (2, 2, 1), (64, 8, 4)])
def test_half_of_each_process_share_of_the_cores(cores, local, threads):
    assert training_threads(cores, local) == threads


def test_local_processes_come_from_the_launcher(monkeypatch):
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "2")
    assert training_threads(16) == 4
    monkeypatch.delenv("LOCAL_WORLD_SIZE")
    assert training_threads(16) == 8


def test_the_environment_overrides_the_default(monkeypatch):
    before = torch.get_num_threads()
    try:
        monkeypatch.delenv("BRUSHWORK_TORCH_THREADS", raising=False)
        cap_torch_threads(1)
        assert torch.get_num_threads() == 1
        monkeypatch.setenv("BRUSHWORK_TORCH_THREADS", "2")
        cap_torch_threads(1)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_an_empty_thread_override_is_unset_and_a_bad_one_says_what_to_give(monkeypatch):
    from core.train.commands import threads_from_env
    from core.train.config import ConfigError

    monkeypatch.setenv("BRUSHWORK_TORCH_THREADS", "")
    assert threads_from_env(3) == 3
    monkeypatch.setenv("BRUSHWORK_TORCH_THREADS", " 2 ")
    assert threads_from_env(3) == 2
    for bad in ("0", "two", "-1", "1.5"):
        monkeypatch.setenv("BRUSHWORK_TORCH_THREADS", bad)
        with pytest.raises(ConfigError, match="BRUSHWORK_TORCH_THREADS"):
            threads_from_env(3)
