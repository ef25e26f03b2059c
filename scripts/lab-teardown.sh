#!/usr/bin/env bash
# Removes the lab the tests start (test/fixtures/lab/inventory: network tsplay-lab-test), keeping the
# base image; a person's own lab (inventory/lab) is left alone. .ci/run runs it on exit, so a failed
# or crashed test run leaves no host behind. Never fails: it is cleanup, and its exit code must not
# hide the tests' own.
cd "$(dirname "$0")/.."
rm -rf test/fixtures/lab/inventory/.lab-leases test/fixtures/lab/inventory/.lab-leases.lock
if ! docker info >/dev/null 2>&1; then
  exit 0
fi
# Every lab the test files start has its own network (see each test's inventory).
for network in tsplay-lab-test tsplay-lab-modules tsplay-lab-db; do
  # By the label `tsplay lab up` puts on what it makes (works without a built tsplay too).
  containers=$(docker ps -aq --filter "label=tsplay.lab=$network")
  [ -n "$containers" ] && docker rm -f -v $containers >/dev/null
  docker network rm "$network" >/dev/null 2>&1
done
exit 0
