# Sourced by bash before a target's runme.sh (BASH_ENV), for scripts/compat-targets.mjs: runme.sh
# runs unchanged, but a failed check no longer ends it, so that each check is scored on its own.
# `set -e` is noted, not applied; while the script asked for it, every top-level command is logged
# to TARGETS_CHECKS ("ran" before it runs, "failed" when it fails as errexit would have ended the
# script there). Children (scripts runme.sh starts) get no hook and behave as they would.
unset BASH_ENV
__targets_errexit=0

set() {
  local args=() arg
  for arg in "$@"; do
    case "$arg" in
      --) args+=("$@"); break ;;
      [-+]*e*)
        if [[ $arg == -* ]]; then __targets_errexit=1; else __targets_errexit=0; fi
        arg=${arg//e/}
        [[ $arg == - || $arg == + ]] && continue ;;
    esac
    args+=("$arg")
  done
  builtin set "${args[@]}"
}

__targets_log() {
  [[ $__targets_errexit == 1 && -n ${TARGETS_CHECKS:-} ]] || return 0
  printf '%s\t%s\t%s\n' "$1" "$2" "${3//$'\n'/ }" >> "$TARGETS_CHECKS"
}

trap '__targets_log ran "$LINENO" "$BASH_COMMAND"' DEBUG
trap '__targets_log failed "$LINENO" "$BASH_COMMAND"' ERR
