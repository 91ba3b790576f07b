#!/usr/bin/env bash
# Packs the ingestion load run for a machine with no .NET SDK and no wrk (a lent 16-core machine, say), into DIR
# (default .devrun, which git ignores through .git/info/exclude): a self-contained publish and this machine's wrk with
# its libraries, both xz-compressed (~55 MB; the Playwright driver, symbols and the debugger's libraries are left out),
# and run.sh. There, from the repository root:
#   bash DIR/run.sh [SECONDS] [WRK_CPUS]      # the server pinned to cores 0,1, wrk on WRK_CPUS (default 2-9)
# Two runs: as built (with --bare-first), then without the build's gen0 budget cap; outputs go to $OUT or /tmp/out.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-.devrun}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
mkdir -p "$dir"; grep -qx "/$dir/" .git/info/exclude 2>/dev/null || echo "/$dir/" >> .git/info/exclude
pub=$(mktemp -d); w=$(mktemp -d); trap 'rm -rf "$pub" "$w"' EXIT
dotnet publish bench/Panorama.Bench -c Release -r linux-x64 --self-contained -o "$pub" -v q -nologo | tail -2
rm -rf "$pub/.playwright" "$pub"/*.pdb "$pub/createdump" "$pub/libmscordaccore.so" "$pub/libmscordbi.so" "$pub"/Microsoft.VisualBasic*.dll
strip --strip-unneeded "$pub/libduckdb.so"
tar -C "$pub" -cf - . | xz -T0 -9 > "$dir/pub.tar.xz"
mkdir -p "$w/lib"; cp "$(command -v wrk)" "$w/lib/"
for l in $(ldd "$(command -v wrk)" | awk '/luajit|libssl|libcrypto/ {print $3}'); do cp -L "$l" "$w/lib/"; done
printf '#!/bin/sh\nLD_LIBRARY_PATH=/tmp/w/lib exec /tmp/w/lib/wrk "$@"\n' > "$w/wrk"; chmod +x "$w/wrk"
tar -C "$w" -cJf "$dir/wrk.tar.xz" .
cat > "$dir/run.sh" <<RUN
#!/bin/bash
S=\${1:-10}; C=\${2:-2-9}; O=\${OUT:-/tmp/out}; mkdir -p \$O /tmp/p /tmp/w
tar -C /tmp/p -xJf $dir/pub.tar.xz && tar -C /tmp/w -xJf $dir/wrk.tar.xz
export PATH=/tmp/w:\$PATH
# Without ICU, invariant mode, with the cultures the server names still creatable.
ldconfig -p | grep -q libicuuc || export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_SYSTEM_GLOBALIZATION_PREDEFINED_CULTURES_ONLY=0
nproc; lscpu | grep -E "Model name|L3"
B="taskset -c 0,1 /tmp/p/Panorama.Bench ingest --seconds \$S --rounds 2 --wrk-cpus \$C --wrk-threads 4"
echo "== A as built"; \$B --bare-first 2>&1 | tee \$O/a-built.txt
# The same without the gen0 budget cap the build sets (System.GC.Gen0MaxBudget), for the RSS it saves.
sed -i '/Gen0MaxBudget/d' /tmp/p/Panorama.Bench.runtimeconfig.json
echo "== B no gen0 cap"; \$B 2>&1 | tee \$O/b-uncapped.txt
RUN
ls -la "$dir"
