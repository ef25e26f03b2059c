#!/usr/bin/env bash
# The main job, from a fresh Debian machine (as root): set everything up, start the lab hosts of
# inventory/lab, and run the flagship playbooks against them over SSH. Extra arguments go to
# `tsplay run` (e.g. --check --diff).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/tsplay lab up -i inventory/lab
node bin/tsplay run playbooks/site.yml -i inventory/lab "$@"
