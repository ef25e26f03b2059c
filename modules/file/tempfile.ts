/**
 * tempfile: creates a uniquely named file or directory, readable by its creator only
 * (Ansible's `tempfile`, which runs Python's mkstemp/mkdtemp). Ansible's module does not
 * support check mode, so check mode skips it with Ansible's message.
 */
import { defineModule } from '../../engine/module.js'
import { ModuleError } from '../../engine/errors.js'
import { sh } from '../../engine/quote.js'
import { parseStatLine, pathResultFields } from '../../engine/files/stat.js'

const args = {
  state: { type: 'str', default: 'file', choices: ['file', 'directory'], description: 'Whether to create a file or a directory.' },
  path: { type: 'path', description: "The directory to create it in (default: the host's temporary directory: $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp)." },
  prefix: { type: 'str', default: 'ansible.', description: 'What the name starts with.' },
  suffix: { type: 'str', default: '', description: 'What the name ends with.' },
} as const

/**
 * Python's mkstemp/mkdtemp in sh: eight random characters of its alphabet between prefix and
 * suffix, created exclusively (noclobber's O_EXCL for a file, mkdir for a directory), mode
 * 0600/0700 less the umask; a name taken is tried again. Its failure reads as Python's
 * OSError. Not mktemp: its template cannot keep a prefix or suffix holding X's as they are.
 */
const createScript = (state: string, path: string | undefined, prefix: string, suffix: string) => sh`k=${state}; d=${path ?? ''}; p=${prefix}; s=${suffix}
if [ -z "$d" ]; then for c in "$TMPDIR" "$TEMP" "$TMP" /tmp /var/tmp /usr/tmp "$PWD"; do if [ -n "$c" ] && [ -d "$c" ] && [ -w "$c" ]; then d=$c; break; fi; done; fi
case $d in */) ;; *) d=$d/;; esac
umask "$(printf %o $(( 0$(umask) | 077 )))"
i=0; ok=
while [ $i -lt 100 ]; do
  i=$((i + 1))
  r=$(LC_ALL=C tr -dc abcdefghijklmnopqrstuvwxyz0123456789_ < /dev/urandom | head -c 8)
  f=$d$p$r$s
  if [ "$k" = directory ]; then mkdir -- "$f" 2>/dev/null && ok=1; else (set -C; : > "$f") 2>/dev/null && ok=1; fi
  if [ -n "$ok" ] || { ! [ -e "$f" ] && ! [ -L "$f" ]; }; then break; fi
done
if [ -z "$ok" ]; then
  q=\${f%/*}; q=\${q:-/}
  if [ -e "$f" ] || [ -L "$f" ]; then e='[Errno 17] File exists'
  elif ! [ -e "$q" ]; then e='[Errno 2] No such file or directory'
  elif ! [ -d "$q" ]; then e='[Errno 20] Not a directory'
  else e='[Errno 13] Permission denied'; fi
  printf "%s: '%s'\\n" "$e" "$f" >&2; exit 1
fi
LC_ALL=C stat -c 'stat %f %u %g %s %X %Y %Z %i %h %d %U %G' -- "$f" || exit 1
printf '%s' "$f"`

export default defineModule({
  name: 'tempfile',
  description: 'Creates a temporary file or directory (only its creator may read it) and returns its path.',
  args,
  plan: async () => ({ changed: true, unknowable: 'remote module (tempfile) does not support check mode' }),
  async apply(ctx, a) {
    const out = await ctx.exec(createScript(a.state, a.path, a.prefix, a.suffix))
    const newline = out.stdout.indexOf('\n')
    if (out.code !== 0 || newline < 0) throw new ModuleError(out.stderr.trim() || `exit code ${String(out.code)}`)
    const path = out.stdout.slice(newline + 1)
    const info = parseStatLine(out.stdout.slice(0, newline), path)
    return { path, ...pathResultFields({ ...info, umask: 0 }) }
  },
})
