#!/usr/bin/env bash
# Run every benchmark in bench/ (Python scripts and shell scripts), one after another.
# Benchmarks set up their own data and settings; they are measurements, not tests.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s nullglob
benches=(bench/*.py bench/*.sh)
if [[ ${#benches[@]} -eq 0 ]]; then
    echo "No benchmarks in bench/ yet."
    exit 0
fi
for bench in "${benches[@]}"; do
    [[ $(basename "$bench") == _* ]] && continue # helpers, not benchmarks
    printf '\n=== %s\n' "$bench"
    case $bench in
        *.py) .venv/bin/python "$bench" ;;
        *.sh) bash "$bench" ;;
    esac
done
