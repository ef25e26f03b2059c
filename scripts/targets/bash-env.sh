# Sourced by bash before a target's runme.sh (BASH_ENV), for scripts/compat-targets.mjs: runme.sh
# runs unchanged, but a failed check no longer ends it, so that each check is scored on its own.
# While the script asks for errexit (set -e), bash's own is kept off (before each top-level command,
# the DEBUG trap notes it and turns it off again), and every top-level command is logged to
# TARGETS_CHECKS: "ran" before it runs, "failed" when it fails where errexit would have ended the
# script. Children (scripts runme.sh starts) get no hook and behave as they would.
unset BASH_ENV
__targets_errexit=0

__targets_before() {
  if [[ $- == *e* ]]; then
    __targets_errexit=1
    builtin set +e
  fi
  # `set +e` (or +eux ...) turns the script's errexit off; `set -e` is seen at the next command.
  if [[ $1 =~ ^set[[:space:]](.*[[:space:]])?\+[a-zA-Z]*e ]]; then __targets_errexit=0; fi
  __targets_log ran "$2" "$1"
}

__targets_log() {
  [[ $__targets_errexit == 1 && -n ${TARGETS_CHECKS:-} ]] || return 0
  printf '%s\t%s\t%s\n' "$1" "$2" "${3//$'\n'/ }" >> "$TARGETS_CHECKS"
}

trap '__targets_before "$BASH_COMMAND" "$LINENO"' DEBUG
trap '__targets_log failed "$LINENO" "$BASH_COMMAND"' ERR
