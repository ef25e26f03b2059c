#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) for tsplay's tests: system packages, the services the
# lab needs (docker), then npm packages.
# Idempotent: re-running only installs or starts what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: a real OpenSSH server for the SSH tests, sudo for become;
# for the lab (docs/lab.md): docker.io runs the hosts, debootstrap builds their image (the lab's
# own apt cache, started by `tsplay lab up`, shares package downloads between them); ansible-core's
# ansible-vault proves the vault format both ways (docs/vault.md) and ansible-playbook is the oracle;
# tmux gives the live-view tests a real terminal to read (test/helpers/tmux.ts).
packages=(openssh-server openssh-client sudo docker.io debootstrap ansible-core tmux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps packages from starting their services (the tests start their own sshd; docker
  # is started below). A policy the machine already has is left as it was.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

with_systemd() { [ -d /run/systemd/system ]; }

# The docker engine. Without systemd (as in CI containers), dockerd runs in the background.
if ! docker info >/dev/null 2>&1; then
  if with_systemd; then
    systemctl start docker
  else
    setsid dockerd >/var/log/tsplay-dockerd.log 2>&1 < /dev/null &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "setup: dockerd did not start; see /var/log/tsplay-dockerd.log" >&2; exit 1; }
fi

# Each lab host's systemd takes inotify instances; Linux's default (128) runs out at about 24 hosts.
if [ "$(cat /proc/sys/fs/inotify/max_user_instances)" -lt 8192 ]; then
  sysctl -q -w fs.inotify.max_user_instances=8192 || echo "setup: could not raise fs.inotify.max_user_instances (more than ~24 lab hosts may fail to boot)" >&2
fi

# npm packages exactly as locked; `prepare` compiles TypeScript to dist/.
npm ci --no-audit --no-fund
