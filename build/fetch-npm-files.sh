#!/usr/bin/env bash
# Fetches files from pinned npm packages (checked by sha256) into TARGET_DIR, as listed in MANIFEST.
# Called by the build of Panorama.Web (enrichment lists, the chart library); safe to run by hand.
# Manifest lines: package@version | sha256 of the tarball | file inside the tarball | name in TARGET_DIR
set -euo pipefail
target=${1:?usage: fetch-npm-files.sh TARGET_DIR MANIFEST}
manifest=${2:?usage: fetch-npm-files.sh TARGET_DIR MANIFEST}
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/cache"
mkdir -p "$target" "$cache"

grep -v '^\s*\(#\|$\)' "$manifest" | while IFS='|' read -r spec sha inner name; do
  [ -s "$target/$name" ] && continue
  tarball="$cache/$(echo "$spec" | tr '/@' '__').tgz"
  if [ ! -s "$tarball" ] || ! echo "$sha  $tarball" | sha256sum -c --status; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "$spec" --silent >/dev/null)
    mv "$tmp"/*.tgz "$tarball"
    rm -rf "$tmp"
  fi
  if ! echo "$sha  $tarball" | sha256sum -c --status; then
    echo "fetch-npm-files: checksum mismatch for $spec" >&2
    rm -f "$tarball"
    exit 1
  fi
  tar -xzf "$tarball" -O "$inner" >"$target/$name.tmp"
  mv "$target/$name.tmp" "$target/$name"
done
