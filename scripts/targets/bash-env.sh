# Sourced by bash before a target's runme.sh (BASH_ENV), for scripts/compat-targets.mjs: runme.sh
# runs unchanged, but a failed check no longer ends it, so that each check is scored on its own.
# While the script asks for errexit (set -e), bash's own is kept off (before each top-level command,
# the DEBUG trap notes it and turns it off again), and every top-level command is logged to
# TARGETS_CHECKS: "ran" before it runs, "failed" when it fails where errexit would have ended the
# script. Commands in the script's functions count too (functrace, errtrace); those in command
# substitutions and subshells do not (errexit would not end the script for them). Children
# (scripts runme.sh starts) get no hook and behave as they would.
unset BASH_ENV
__targets_errexit=0
builtin set -E -T

__targets_before() {
  # Not in subshells, and not for the commands of these hooks (functrace reaches them too).
  [[ $BASH_SUBSHELL == 0 && ${FUNCNAME[1]:-} != __targets_* ]] || return 0
  if [[ $- == *e* ]]; then
    __targets_errexit=1
    builtin set +e
  fi
  # `set +e` (or +eux ...) turns the script's errexit off; `set -e` is seen at the next command.
  if [[ $1 =~ ^set[[:space:]](.*[[:space:]])?\+[a-zA-Z]*e ]]; then __targets_errexit=0; fi
  __targets_log ran "$2" "$3" "$1"
  # The script ends here: what the EXIT trap then runs is no check.
  if [[ $1 == exit || $1 == exit[[:space:]]* ]]; then __targets_errexit=0; fi
}

# The depth of function calls, from the names FUNCNAME held (set -u refuses ${#FUNCNAME[@]} at the top).
__targets_depth() {
  local names
  read -r -a names <<< "$1"
  echo "${#names[@]}"
}

__targets_log() {
  [[ $__targets_errexit == 1 && -n ${TARGETS_CHECKS:-} && $BASH_SUBSHELL == 0 ]] || return 0
  # kind, line, depth of function calls (an exit in a function fails the line that called it), command
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$(__targets_depth "$3")" "${4//$'\n'/ }" >> "$TARGETS_CHECKS"
}

# The script's own EXIT trap runs after its last command: nothing it does is a check.
trap() {
  if (($# >= 2)) && [[ " ${*:2} " == *" EXIT "* || " ${*:2} " == *" 0 "* ]]; then
    builtin trap "__targets_errexit=0; $1" "${@:2}"
  else
    builtin trap "$@"
  fi
}

builtin trap '{ __targets_before "$BASH_COMMAND" "$LINENO" "${FUNCNAME[*]:-}"; } 2>/dev/null' DEBUG
builtin trap '{ __targets_log failed "$LINENO" "${FUNCNAME[*]:-}" "$BASH_COMMAND"; } 2>/dev/null' ERR
