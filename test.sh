#!/usr/bin/env bash
# Runs every Panorama test: unit, integration (real DuckDB/SQLite over HTTP, kill -9; real ClickHouse servers as two
# shards and a real PostgreSQL), and browser (Debian's Chromium); then the relational suites again on PostgreSQL.
# Installs what the tests need when it is missing, then prints one closing line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# Debian's chromium for the browser tests, Debian's clickhouse-server (18.16) and postgresql for the scale-out tests;
# the tests start their own servers on loopback (tests/scripts/clickhouse.sh, postgres.sh), never the system services.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/clickhouse-server ] || missing+=(clickhouse-server)
ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} for the tests..."
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq && DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq "${missing[@]}" >/dev/null || {
    echo "could not install ${missing[*]}: the tests needing them will fail" >&2
  }
fi

results=$(mktemp -d)
dotnet test Panorama.slnx --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

# Second pass (whole runs only): the suites that use the relational store — integration, contract, browser — again
# with PostgreSQL instead of SQLite, on a server started for it (tests/scripts/postgres.sh).
if [ $# -eq 0 ]; then
  pgdir=$(mktemp -d); chmod 755 "$pgdir"
  port=$((36000 + RANDOM % 2000))
  if tests/scripts/postgres.sh start "$pgdir/pg" "$port"; then
    PANORAMA_TEST_PG_PORT=$port dotnet test tests/Panorama.Tests --no-build --logger "trx;LogFileName=postgres.trx" --results-directory "$results" \
      --filter "(FullyQualifiedName~.Integration.|FullyQualifiedName~.Browser.|FullyQualifiedName~.Contract.)&FullyQualifiedName!~ClickHouse&FullyQualifiedName!~Postgres"
    second=$?
    [ "$second" -ne 0 ] && status=$second
    tests/scripts/postgres.sh stop "$pgdir/pg"
  else
    echo "could not start PostgreSQL for the second pass" >&2
    status=1
  fi
  rm -rf "$pgdir"
fi

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(value total); executed=$(value executed); p=$(value passed); f=$(value failed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
