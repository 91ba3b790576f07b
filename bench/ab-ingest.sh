#!/usr/bin/env bash
# Ingestion load run, A/B: a base commit against the working tree, alternating, on the same machine in the same hour
# (these machines drift ±20% within a day, so compare only what ran side by side).
#   bench/ab-ingest.sh BASE_COMMIT [PAIRS] [extra ingest options, e.g. --Panorama:Events:Provider=clickhouse ...]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bench/ab-ingest.sh BASE_COMMIT [PAIRS] [options]}; shift
pairs=${1:-2}; [ $# -gt 0 ] && shift
tree=$(mktemp -d /tmp/panorama-ab-XXXX)
git worktree add -q --detach "$tree" "$base"
trap 'git worktree remove --force "$tree"' EXIT
# The base may predate options the runner uses now: run both with the current load runner (only its own files, since the
# other runs may call what the base does not have).
cp bench/Panorama.Bench/IngestLoadRun.cs bench/Panorama.Bench/BenchArgs.cs bench/Panorama.Bench/JemallocStats.cs "$tree/bench/Panorama.Bench/"
cp bench/ingest.lua "$tree/bench/"
(cd "$tree" && dotnet build -c Release bench/Panorama.Bench -v q -nologo | tail -3)
dotnet build -c Release bench/Panorama.Bench -v q -nologo | tail -3
for i in $(seq "$pairs"); do
  for side in base now; do
    dir=$PWD; [ $side = base ] && dir=$tree
    echo "== $side, pair $i"
    (cd "$dir" && dotnet run -c Release --no-build --project bench/Panorama.Bench -- ingest --seconds 15 --rounds 2 "$@" 2>&1 \
      | grep -E "^round |ingestion /|CPU per|loads|RSS")
  done
done
