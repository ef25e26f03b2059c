/**
 * Writes a file atomically in one round trip: the content travels on stdin to a script
 * that fills a temporary file beside the target, checks it against the length and sha256
 * sent ahead of the content, gives it its owner and mode, validates it, keeps a backup
 * of the old file if asked, and renames it into place. A trap removes the temporary file on
 * every way out, so a failure or a transfer cut short leaves the target untouched.
 */
import { createHash } from 'node:crypto'
import type { ExecResult } from '../connection/types.js'
import { ModuleError } from '../errors.js'
import type { WriteOptions } from '../module.js'
import { sh, ShellCommand } from '../quote.js'
import { checkMode } from './mode.js'

export type Exec = (command: ShellCommand, options?: { stdin?: string | Buffer }) => Promise<ExecResult>

/** Exit code the script uses for a failed `validate`, so its output is reported as such. */
const VALIDATE_FAILED = 86
/** Exit code for a destination directory that is missing or not writable: its message is Ansible's, as it stands. */
const DEST_UNUSABLE = 88
/** Exit code for content that did not arrive whole (only seen when the controller is still there to read it). */
const INCOMPLETE = 87

/** What the host must have received before it may rename. */
export interface Expected {
  size: number
  sha256: string
}

export function expectedOf(content: Buffer): Expected {
  return { size: content.length, sha256: createHash('sha256').update(content).digest('hex') }
}

/**
 * The first line of the script's stdin: `<size> <sha256>`. It travels with the content rather
 * than on the command line because a command line is public on the host (ps, /proc), and the
 * sha256 of a short secret (a templated password file) is as good as the secret.
 */
export function expectedHeader({ size, sha256 }: Expected): Buffer {
  return Buffer.from(`${size} ${sha256}\n`)
}

export async function writeFileAtomic(
  exec: Exec,
  path: string,
  content: string | Buffer,
  options: WriteOptions,
): Promise<{ backupFile?: string }> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  const result = await exec(writeScript(path, options), { stdin: Buffer.concat([expectedHeader(expectedOf(bytes)), bytes]) })
  if (result.code === VALIDATE_FAILED) {
    const output = result.stderr.trim()
    throw new ModuleError(`failed to validate: ${output}`, { rc: result.code, stderr: result.stderr, stdout: result.stdout })
  }
  if (result.code === DEST_UNUSABLE) throw new ModuleError(result.stderr.trim(), { rc: result.code, stderr: result.stderr })
  if (result.code !== 0) {
    throw new ModuleError(`cannot write ${path}: ${result.stderr.trim() || `exit code ${String(result.code ?? result.signal)}`}`, {
      rc: result.code,
      stderr: result.stderr,
      stdout: result.stdout,
    })
  }
  const stamp = /^backup=(.+)$/m.exec(result.stdout)?.[1]
  return stamp ? { backupFile: `${path}.${stamp}~` } : {}
}

/** The script itself; exported for tests that check it quotes what it must. */
export function writeScript(path: string, options: WriteOptions): ShellCommand {
  const { mode, owner, group, validate, backup } = options
  if (mode !== undefined && checkMode(mode) !== undefined) throw new ModuleError(`invalid mode '${mode}': ${checkMode(mode)}`)
  const none = sh`:`
  const chown = owner !== undefined ? sh`chown -- ${owner} "$t" || exit 1` : none
  const chgrp = group !== undefined ? sh`chgrp -- ${group} "$t" || exit 1` : none
  const chmod = mode !== undefined ? sh`chmod -- ${mode} "$t" || exit 1` : none
  const check = validate !== undefined ? validateStep(validate) : none
  // Ansible's backup name: path.PID.YYYY-MM-DD@HH:MM:SS~ (the PID keeps two backups in one second apart).
  const keep = backup
    ? sh`if [ -e "$p" ]; then s="$$.$(date +%Y-%m-%d@%H:%M:%S)"; cp -p -- "$p" "$p.$s~" || exit 1; echo "backup=$s"; fi`
    : none
  return sh`p=${path}; d=$(dirname -- "$p"; echo .); d=\${d%??}
if [ ! -d "$d" ]; then echo "Destination directory $d does not exist" >&2; exit ${DEST_UNUSABLE}; fi
if [ ! -w "$d" ]; then echo "Destination $d not writable" >&2; exit ${DEST_UNUSABLE}; fi
if [ -d "$p" ] && [ ! -L "$p" ]; then echo "$p is a directory" >&2; exit 1; fi
t=
trap '[ -z "$t" ] || rm -f -- "$t"' EXIT
trap 'exit 129' HUP INT TERM PIPE
t=$(mktemp "$d/.tsplay.XXXXXX") || exit 1
${receive}
if [ -e "$p" ]; then
  chmod -- "$(stat -L -c %a -- "$p")" "$t" || exit 1
  chown -- "$(stat -L -c %u:%g -- "$p")" "$t" 2>/dev/null || :
else
  chmod -- "$(printf %o $(( 0666 & ~0$(umask) )))" "$t" || exit 1
fi
${chown}
${chgrp}
${chmod}
${check}
${keep}
mv -f -- "$t" "$p" || exit 1
trap - EXIT`
}

/**
 * cat ends with status 0 when its input is cut short (tsplay killed, the connection lost: the
 * shell sees EOF, not an error), so only the length and sha256 that came first on stdin tell a
 * whole file from a part. Nothing after this step runs on a part: no validate, no backup, no
 * rename. `read` takes the header line alone: the shell reads a pipe byte by byte up to the
 * newline, and cat gets the rest. `$m` is unquoted on purpose: BSD wc pads the number with blanks.
 */
const receive = sh`read -r n h || { echo "content cut short: no header" >&2; exit ${INCOMPLETE}; }
cat > "$t" || exit 1
m=$(wc -c < "$t")
case $n in ''|*[!0-9]*) echo "malformed header" >&2; exit ${INCOMPLETE};; esac
if ! [ $m -eq "$n" ] 2>/dev/null; then echo "content cut short: received \${m:-no} of $n bytes" >&2; exit ${INCOMPLETE}; fi
c=$(sha256sum < "$t") || exit 1
if [ "\${c%% *}" != "$h" ]; then echo "content damaged in transit: sha256 \${c%% *}, sent $h" >&2; exit ${INCOMPLETE}; fi`

/**
 * `validate:` is shell text the user wrote, with `%s` standing for the file to check.
 * It runs in a subshell on the temporary file; `%s` becomes a reference to an exported
 * variable holding that file's name, so no file name is pasted into the text, and a `%s`
 * inside the user's own quotes (`sh -c 'test -s %s'`) still reaches the inner shell.
 */
function validateStep(validate: string): ShellCommand {
  if (!validate.includes('%s')) throw new ModuleError(`validate must contain %s: ${validate}`)
  const text = ShellCommand.raw(validate.replaceAll('%s', '"$TSPLAY_TMP"'))
  return sh`TSPLAY_TMP=$t; export TSPLAY_TMP
if ! o=$( ( ${text} ) 2>&1 ); then printf '%s\\n' "$o" >&2; exit ${VALIDATE_FAILED}; fi`
}
