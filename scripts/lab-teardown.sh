#!/usr/bin/env bash
# Removes the labs the tests start, keeping the base image; a person's own lab (inventory/lab) is
# left alone. .ci/run runs it on exit, so a failed or crashed test run leaves no host behind.
# Never fails: it is cleanup, and its exit code must not hide the tests' own.
cd "$(dirname "$0")/.."
rm -rf test/fixtures/lab/inventory/.lab-leases test/fixtures/lab/inventory/.lab-leases.lock
if ! docker info >/dev/null 2>&1; then
  exit 0
fi
# By the labels `tsplay lab up` puts on what it makes (works without a built tsplay too): the
# fixture labs by their network's name, the labs of temporary inventories (tsplay-labtest-*) by
# their inventory's path.
tmp=${TMPDIR:-/tmp}
labs="tsplay-lab-test tsplay-lab-modules tsplay-lab-db tsplay-lab-lbk tsplay-lab-lbn tsplay-lab-docker tsplay-lab-rimg tsplay-lab-rancher tsplay-lab-storage tsplay-lab-site"
labs="$labs $(docker ps -a --filter label=tsplay.lab --format '{{.Label "tsplay.inventory"}} {{.Label "tsplay.lab"}}' |
  awk -v t="$tmp/tsplay-labtest-" 'index($1, t) == 1 { print $2 }' | sort -u)"
for network in $labs; do
  containers=$(docker ps -aq --filter "label=tsplay.lab=$network")
  [ -n "$containers" ] && docker rm -f -v $containers >/dev/null
  docker network rm "$network" >/dev/null 2>&1
done
exit 0
