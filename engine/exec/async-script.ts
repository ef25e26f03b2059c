/**
 * The shell side of an async command (Ansible's async_wrapper, in POSIX sh and awk): a launcher
 * that writes the job's first record and starts a supervisor in a session of its own, then
 * returns; the supervisor runs the command with its output in files, a watchdog kills the whole
 * job at its time limit, and the command's result is written to ~/.ansible_async/<jid> as the
 * JSON Ansible's command module returns. Nothing but sh, awk, date and mkdir/mv/rm is needed.
 */
import { sh, type ShellCommand } from '../quote.js'

/**
 * Writes stdin-less text atomically to the job file (Ansible's jwrite: a .tmp beside it, renamed),
 * so a reader never sees half a record.
 */
const WRITE = `write_job() { cat > "$job.tmp" && mv -f -- "$job.tmp" "$job"; }`

/** The record the watchdog leaves when the time limit kills the job: Ansible's own words. */
const TIMEOUT = `printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' "$child" | write_job`

/**
 * JSON text of a file (stdout or stderr): every line escaped (quote, backslash and control
 * characters), joined with \\n. The caller appends an `x` so the last line's newline (or its
 * absence) survives awk's reading; with strip=1 trailing newlines go, as the command module's
 * strip_empty_ends does.
 */
const JSON_TEXT_AWK = String.raw`
function escape(s,   out) {
  out = ""
  while (match(s, /[\\"\001-\037]/)) {
    out = out substr(s, 1, RSTART - 1) esc[substr(s, RSTART, 1)]
    s = substr(s, RSTART + 1)
  }
  return out s
}
BEGIN {
  for (i = 1; i < 32; i++) esc[sprintf("%c", i)] = sprintf("\\u%04x", i)
  esc["\t"] = "\\t"; esc["\r"] = "\\r"; esc["\\"] = "\\\\"; esc["\""] = "\\\""
}
{ line[NR] = $0 }
END {
  n = NR
  sub(/x$/, "", line[n])
  if (strip == 1) {
    while (n > 0 && line[n] ~ /^\r*$/) n--
    if (n > 0) sub(/\r+$/, "", line[n])
  }
  printf "\""
  for (i = 1; i <= n; i++) { if (i > 1) printf "\\n"; printf "%s", escape(line[i]) }
  printf "\""
}`

/** Ansible's delta, `H:MM:SS.ffffff`, from two `seconds.micros` readings. */
const DELTA_AWK = String.raw`BEGIN {
  split(a, x, "."); split(b, y, ".")
  us = (y[1] - x[1]) * 1000000 + (y[2] - x[2]); s = int(us / 1000000)
  printf "%d:%02d:%02d.%06d", int(s / 3600), int(s / 60) % 60, s % 60, us % 1000000
}`

/**
 * Runs detached, in its own session: $1 job file, $2 work folder, $3 seconds until the watchdog
 * kills the job, $4 the result's cmd as JSON, $5 1 to strip trailing newlines, $6 the folder to
 * run in ('' for none), $7 the command line, $8 and $9 the awk programs.
 */
const SUPERVISOR = `job=$1 work=$2 limit=$3 cmd_json=$4 strip=$5 cwd=$6 command=$7 json_awk=$8 delta_awk=$9
${WRITE}
stamp() { s=$(date '+%Y-%m-%d %H:%M:%S.%6N'); case $s in *N) s="$(date '+%Y-%m-%d %H:%M:%S').000000" ;; esac; printf '%s' "$s"; }
epoch() { s=$(date '+%s.%6N'); case $s in *N) s="$(date '+%s').000000" ;; esac; printf '%s' "$s"; }
json_text() { { cat -- "$1"; printf x; } | awk -v strip="$strip" "$json_awk"; }
start=$(stamp) t0=$(epoch)
(
  if [ -n "$cwd" ]; then cd -P -- "$cwd" || exit; fi
  exec /bin/sh -c "$command"
) < "$work/in" > "$work/out" 2> "$work/err" &
child=$!
printf '%s' "$$" > "$work/pid"
(
  waited=0
  ended() { [ -e "$work/rc" ] || [ ! -d "$work" ]; }
  while [ "$waited" -lt "$limit" ] && [ ! -e "$work/expire" ]; do
    sleep 1; waited=$((waited + 1))
    ended && exit 0
  done
  ended && exit 0
  ${TIMEOUT}
  rm -rf -- "$work"
  # In a session of its own (setsid) the job is this process group: all of it goes, as
  # async_wrapper's killpg. Under nohup the group may hold others: only the command and us.
  if [ "$own_group" = 1 ]; then kill -KILL 0; else kill -KILL "$child" "$$"; fi
) &
wait "$child"; rc=$?
printf '%s' "$rc" > "$work/rc"
end=$(stamp) t1=$(epoch)
delta=$(awk -v a="$t0" -v b="$t1" "$delta_awk")
{
  printf '{"changed": true, "stdout": '; json_text "$work/out"
  printf ', "stderr": '; json_text "$work/err"
  printf ', "rc": %s, "cmd": %s, "start": "%s", "end": "%s", "delta": "%s"' "$rc" "$cmd_json" "$start" "$end" "$delta"
  if [ "$rc" -eq 0 ]; then printf ', "msg": ""}'; else printf ', "failed": true, "msg": "non-zero return code"}'; fi
} > "$job.tmp"
# The work folder goes first: once the result is in place, the job has left nothing else behind.
rm -rf -- "$work"
mv -f -- "$job.tmp" "$job"`

/** A leading ~ in $dir is the home of the user the command runs as (sudo -H, su -l set it). */
const HOME_DIR = `case $dir in "~") dir=$HOME ;; "~/"*) dir="$HOME/\${dir#"~/"}" ;; esac`

/**
 * The start of every job, run through the connection as the task's become user: $1 the async
 * folder (a leading ~ is that user's home), $2 the job id's random part (this shell's pid is
 * added, as Ansible adds async_wrapper's). Writes the job's first record.
 */
const PREPARE = `dir=$1 jid="$2.$$"; shift 2
${HOME_DIR}
mkdir -p -- "$dir" || exit 1
job="$dir/$jid"
${WRITE}
printf '{"started": 1, "finished": 0, "ansible_job_id": "%s"}' "$jid" | write_job || exit 1`

const PRINT_JOB = `printf '%s\\n%s\\n' "$jid" "$job"`

/**
 * Then, for a command: $1 the supervisor, the rest its arguments. Reads the command's stdin from
 * its own, starts the supervisor detached (setsid, else nohup) and returns at once.
 */
const LAUNCHER = `${PREPARE}
supervisor=$1; shift
work="$dir/.$jid.tsplay"
mkdir -- "$work" || exit 1
cat > "$work/in" || exit 1
if command -v setsid > /dev/null 2>&1; then detach=setsid own=1; else detach=nohup own=0; fi
own_group=$own $detach /bin/sh -c "$supervisor" sh "$job" "$work" "$@" < /dev/null > /dev/null 2>&1 &
${PRINT_JOB}`

/** A job the controller runs itself (a module that is not one command): only the record on the host. */
const HELD = `${PREPARE}
${PRINT_JOB}`

/** What the launcher needs to start one command in the background. */
export interface DetachedJob {
  /** ~/.ansible_async unless ansible_async_dir says otherwise. */
  asyncDir: string
  /** The random part of the job id (`j` and twelve digits at most). */
  jidPrefix: string
  /** Seconds until the host kills the job. */
  limit: number
  /** The result's `cmd`, as the command module shows it. */
  display: string | string[]
  stripEmptyEnds: boolean
  cwd?: string | undefined
  command: ShellCommand
}

/** The one command that starts the job; its stdout is the job id and the job file's path. */
export function launchCommand(job: DetachedJob): ShellCommand {
  const args = [job.asyncDir, job.jidPrefix, SUPERVISOR, String(job.limit), JSON.stringify(job.display), job.stripEmptyEnds ? '1' : '0', job.cwd ?? '', job.command.text, JSON_TEXT_AWK, DELTA_AWK]
  return sh`/bin/sh -c ${LAUNCHER} sh ${args}`
}

/** Starts the record of a job the controller runs; its stdout is the job id and the job file's path. */
export function heldJobCommand(asyncDir: string, jidPrefix: string): ShellCommand {
  return sh`/bin/sh -c ${HELD} sh ${asyncDir} ${jidPrefix}`
}

/** Writes a finished job's record (given on stdin) in place of the job file, atomically. */
export function writeJobCommand(path: string): ShellCommand {
  return sh`cat > ${`${path}.tmp`} && mv -f -- ${`${path}.tmp`} ${path}`
}

/** Reads a job file; exit 3 when there is none (async_status's "could not find job"). */
export function readJobCommand(path: string): ShellCommand {
  return sh`if [ -e ${path} ]; then cat -- ${path}; else exit 3; fi`
}

/** Tells a job's watchdog to kill it now (the controller gave up polling); nothing when it has ended. */
export function expireJobCommand(path: string): ShellCommand {
  const work = path.replace(/\/([^/]*)$/, '/.$1.tsplay')
  return sh`if [ -d ${work} ]; then : > ${`${work}/expire`}; fi`
}

/** Removes a job file; exit 3 when there is none. */
export function removeJobCommand(path: string): ShellCommand {
  return sh`if [ -e ${path} ]; then rm -f -- ${path}; else exit 3; fi`
}

/** Prints where job `jid` of the async folder `dir` is (async_status's results_file). */
export function jobPathCommand(dir: string, jid: string): ShellCommand {
  return sh`/bin/sh -c ${`dir=$1; ${HOME_DIR}; printf '%s' "$dir/$2"`} sh ${dir} ${jid}`
}

/** Exported for the unit tests, which run them on this machine. */
export const SCRIPTS = { JSON_TEXT_AWK, DELTA_AWK, SUPERVISOR, LAUNCHER, HELD }
