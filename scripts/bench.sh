#!/usr/bin/env bash
# The speed benchmark against ansible-playbook on the lab (bench/bench.ts). As root, on the machine
# that runs the lab. Installs what it needs (ansible-core and Debian's ansible collections, GNU time).
#   bash scripts/bench.sh --hosts 10 --runs 3
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
missing=()
for p in ansible-core ansible time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
npm run build --silent
node dist/bench/bench.js "$@"
