"""Training: the run config, the tiny local model and its SFT warm start, the TRL GRPO runner process,
rewards from the rubric, metrics/samples in the store, the collapse monitor and held-out evaluation.

Nothing here is imported by the GUI to train: the studio starts `brushwork train` as its own process
and reads the store. Heavy imports (torch, transformers, trl) stay inside functions.
"""
