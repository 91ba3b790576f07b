#!/usr/bin/env bash
# Bulk migration rate into ClickHouse against a baseline measured in the same run: the same rows sent by curl as one
# Native-format INSERT, the format migrate-events sends, in the order it sends them (by sequence): the server's own
# ceiling on this machine. Rows in the table's key order cost the server 1.3-1.4x less CPU, so a baseline dumped
# in that order would measure an insert migrate-events never makes.
#   bench/clickhouse-migrate.sh DATA_DIR     (a stopped install's data folder, e.g. panorama-demo-data)
set -euo pipefail
data=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap '"$root/tests/scripts/clickhouse.sh" stop "$work/ch"; rm -rf "$work"' EXIT
"$root/tests/scripts/clickhouse.sh" start "$work/ch" 127.0.0.1 28123 29000
url=http://127.0.0.1:28123
dotnet build "$root/src/Panorama.Cli" -c Release -v q > /dev/null
start=$(date +%s.%N)
dotnet run --no-build -c Release --project "$root/src/Panorama.Cli" -- migrate-events --from duckdb --to clickhouse --data "$data" \
  --clickhouse "$url" --Panorama:Events:ClickHouse:Database=bench 2> /dev/null
migrate=$(echo "$(date +%s.%N) - $start" | bc)
rows=$(curl -sS "$url/?database=bench" --data-binary "SELECT count() FROM events_local")
curl -sS "$url/?database=bench" --data-binary "SELECT * FROM events_local ORDER BY seq FORMAT Native" > "$work/rows.bin"
curl -sS "$url/?database=bench" --data-binary "CREATE TABLE baseline AS events_local"
start=$(date +%s.%N)
curl -sS "$url/?database=bench&query=INSERT%20INTO%20baseline%20FORMAT%20Native" -X POST -T "$work/rows.bin"
raw=$(echo "$(date +%s.%N) - $start" | bc)
echo "rows: $rows"
echo "migrate-events (process start to verified end): $(echo "$rows / $migrate" | bc) rows/s"
echo "baseline, one Native INSERT by curl:            $(echo "$rows / $raw" | bc) rows/s"
echo "ratio: $(echo "scale=2; $raw / $migrate" | bc)"
