#!/usr/bin/env bash
# The main job, from a fresh Debian machine (as root): set everything up, start the lab hosts of
# inventory/lab, run the flagship playbooks against them over SSH, run them again (nothing should
# change), and end with the stack's health report read from the hosts (scripts/health.mjs).
# Extra arguments go to `tsplay run` (e.g. --check --diff: then it runs once, and no report).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/tsplay lab up -i inventory/lab
node bin/tsplay run playbooks/site.yml -i inventory/lab "$@"
for arg in "$@"; do
  case "$arg" in --check | -C | --syntax-check | --list-tasks | --list-hosts) exit 0 ;; esac
done
node bin/tsplay run playbooks/site.yml -i inventory/lab "$@"
node scripts/health.mjs -i inventory/lab
