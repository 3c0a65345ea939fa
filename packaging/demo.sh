#!/usr/bin/env bash
# `make demo`: the headless loop on the CPU, each stage skipped when its output is already there, so a
# second `make demo` (after Ctrl-C, or to train again) does not redo the warm start.
#   1. every starter rendered to demo-out/starters/          (~2 min on 2 cores)
#   2. a demo rating pool and the learned reward model        (~1 min)
#      and, once, the offline reward's subject recogniser     (~2-4 min idle, mostly rendering 176 sketches)
#   3. the tiny model built from the corpus (models/tiny)     (seconds)
#   4. SFT warm start on the procedural corpus (models/tiny-sft)   (until 90 % render: 2 min here)
#   5. GRPO on resources/train/tiny-cpu.toml (6-20 s a step on 2 cores, by how busy they are; DEMO_STEPS=N for fewer)
# Ctrl-C stops training after the current step; continue with `brushwork train --resume RUN_DIR`.
# The run ends with held-out prompts rendered by the SFT model and by the last checkpoint, side by side
# in the run folder's contact sheet, and `brushwork runs show` prints last: "held-out reward +X (95 % CI
# a to b, n = N prompts, Wilcoxon p = ...)" and the independent signal's figure beside it.
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
cli() { "$PY" -m core.cli "$@"; }
home=$("$PY" -c "from core.paths import data_home; print(data_home())")
echo "== data home: $home"

if [ -n "$(ls demo-out/starters/*.png 2>/dev/null)" ]; then
    echo "== 1. starters already rendered in demo-out/starters"
else
    echo "== 1. rendering the starters to demo-out/starters"
    cli render resources/starters -o demo-out/starters
fi
echo "== 2. demo rating pool and reward model"
cli rm demo-pool
cli rm train
if [ -f "$home/subject_model/meta.json" ]; then
    echo "== 2b. subject recogniser already trained ($home/subject_model)"
else
    echo "== 2b. training the subject recogniser (renders corpus sketches by subject and negatives)"
    cli subject train
fi
if [ -f "$home/models/tiny/config.json" ]; then
    echo "== 3. tiny model already built ($home/models/tiny)"
else
    echo "== 3. building the tiny model"
    cli model tiny
fi
report="$home/models/tiny-sft/sft_report.json"
stale=$("$PY" -c "import json, sys; from core.train.sft import stale_warm_start; print(stale_warm_start(json.load(open(sys.argv[1]))) or '')" "$report" 2>/dev/null || true)
if [ -f "$report" ] && [ -z "$stale" ]; then
    echo "== 4. SFT warm start already done ($report)"
else
    if [ -n "$stale" ]; then echo "== 4. the warm start in $home/models/tiny-sft was $stale"; fi
    echo "== 4. SFT warm start (a few minutes: it stops once 90 % of its samples render)"
    cli sft || echo "brushwork sft: below the non-blank target (see models/tiny-sft/sft_report.json); training anyway"
fi
run="demo-out/run-$(date +%Y%m%d-%H%M%S)"
echo "== 5. GRPO in $run (stop: Ctrl-C, or touch $run/STOP)"
cli train resources/train/tiny-cpu.toml --run-dir "$run" ${DEMO_STEPS:+--steps "$DEMO_STEPS"}
# Last lines: the run's figures, ending with the paired held-out rise over prompts (95 % interval) and the
# independent signal's beside it (a rubric gamed rises alone).
echo "== the run ($run)"
cli runs show "$run"
