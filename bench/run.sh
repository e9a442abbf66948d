#!/usr/bin/env bash
# Benchmark tagger against fastText on ../shared/data: writes bench/results.json and BENCHMARKS.md.
# benchmark.py makes bench/.venv-fasttext from bench/requirements-fasttext.txt when needed.
# Extra arguments go to bench/benchmark.py (see --help), e.g. --budget 0 to let every run finish.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
    PYTHON=.venv/bin/python
    [ -x "$PYTHON" ] || make setup
fi
BENCH_COMMAND="bash bench/run.sh${*:+ $*}" "$PYTHON" bench/benchmark.py "$@"
"$PYTHON" bench/cli_speed.py  # cold start and --jobs 2, appended to BENCHMARKS.md
"$PYTHON" bench/calibration.py  # calibrated scores against outcomes: bench/calibration.md
