/**
 * What `command` and `shell` share: the creates/removes check (a read, so it runs in
 * plan and decides check mode too), running the command, and Ansible's result shape.
 */
import { isAbsolute, join } from 'node:path'
import type { ArgSpec, ArgValues, ApplyContext, BackgroundCommand, Plan, PlanContext } from '../../engine/module.js'
import { ModuleError } from '../../engine/errors.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { readPath } from '../../engine/files/read.js'
import { shlexWords } from '../../engine/shlex.js'
import { delta, timestamp } from '../_shared/python-time.js'

/** Arguments both modules take, as Ansible names them. */
export const COMMON_ARGS = {
  chdir: { type: 'path', description: 'Change into this directory before running the command.' },
  creates: { type: 'path', description: 'A path or glob; when it exists, the command is not run.' },
  removes: { type: 'path', description: 'A path or glob; when it does not exist, the command is not run.' },
  stdin: { type: 'str', description: 'Text written to the command’s standard input.' },
  stdin_add_newline: { type: 'bool', default: true, description: 'Append a newline to stdin.' },
  strip_empty_ends: { type: 'bool', default: true, description: 'Strip trailing newlines from stdout and stderr in the result.' },
} as const satisfies Record<string, ArgSpec>

export interface CommandSpec {
  command: ShellCommand
  /** What the result's `cmd` shows: the argv for `command`, the text for `shell`. */
  display: string | string[]
  chdir?: string | undefined
  creates?: string | undefined
  removes?: string | undefined
  stdin?: string | undefined
  stdin_add_newline: boolean
  strip_empty_ends: boolean
  /** What the result's `warnings` says (command's ignored executable). */
  warnings?: string[]
}

/**
 * The spec of a command from the common arguments: a value given as an argument wins over the
 * same key written inline in the free-form text (`creates=/x`).
 */
export function commandSpec(command: ShellCommand, display: string | string[], a: ArgValues<typeof COMMON_ARGS>, inline: Record<string, string>): CommandSpec {
  return {
    command,
    display,
    chdir: a.chdir ?? inline['chdir'],
    creates: a.creates ?? inline['creates'],
    removes: a.removes ?? inline['removes'],
    stdin: a.stdin ?? inline['stdin'],
    stdin_add_newline: a.stdin_add_newline,
    strip_empty_ends: a.strip_empty_ends,
  }
}

/** A refused command as Ansible's module reports it: rc 256 and its result's empty fields. */
export function commandFailure(msg: string): ModuleError {
  return new ModuleError(msg, { rc: 256, cmd: null, stdout: '', stderr: '', start: null, end: null, delta: null })
}

/** The free-form keys Ansible takes out of `command: ls creates=/x` (its parse_kv with check_raw). */
const INLINE_KEYS = new Set(['chdir', 'creates', 'removes', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends'])

/** Cuts `key=value` words for known keys out of free-form text, keeping the rest as written. */
export function extractInlineArgs(text: string): { text: string; args: Record<string, string> } {
  const args: Record<string, string> = {}
  let words
  try {
    words = shlexWords(text)
  } catch {
    return { text, args }
  }
  let out = ''
  let last = 0
  for (const word of words) {
    const eq = word.text.indexOf('=')
    const key = word.text.slice(0, eq)
    if (eq > 0 && INLINE_KEYS.has(key) && /^[a-z_]+=/.test(text.slice(word.start))) {
      args[key] = word.text.slice(eq + 1)
      out += text.slice(last, word.start)
      last = word.end
    }
  }
  out += text.slice(last)
  return { text: Object.keys(args).length ? out.trim() : text, args }
}

const WOULD_RUN = 'Command would have run if not in check mode'

export async function planCommand(ctx: PlanContext, spec: CommandSpec): Promise<Plan> {
  const plan = await decideCommand(ctx, spec)
  return spec.warnings ? { ...plan, result: { ...plan.result, warnings: spec.warnings } } : plan
}

async function decideCommand(ctx: PlanContext, spec: CommandSpec): Promise<Plan> {
  const would = ctx.check ? 'Would' : 'Did'
  for (const [path, wantPresent] of [
    [spec.creates, true],
    [spec.removes, false],
  ] as const) {
    if (path === undefined) continue
    const present = await pathMatches(ctx, path, spec.chdir)
    if (present !== wantPresent) continue
    const why = wantPresent ? `exists` : `does not exist`
    return {
      changed: false,
      result: {
        cmd: spec.display,
        rc: 0,
        stdout: `skipped, since ${path} ${why}`,
        stderr: '',
        msg: `${would} not run command since '${path}' ${why}`,
      },
    }
  }
  // Check mode's result, as Ansible's module gives it (a real run's result replaces it).
  const result = ctx.check ? { cmd: spec.display, rc: 0, stdout: '', stderr: '', start: null, end: null, delta: null, msg: WOULD_RUN } : {}
  const planned = { changed: true, actions: [`run ${String(spec.command)}`], commands: [spec.command], result }
  // creates/removes decided it: the command will run, and check mode can say so.
  if (spec.creates !== undefined || spec.removes !== undefined) return planned
  return { ...planned, unknowable: WOULD_RUN }
}

/**
 * Ansible globs creates/removes. Here the pattern is held in a variable and expanded
 * unquoted with IFS empty: pathname expansion happens, word splitting does not, and
 * the text itself never becomes shell syntax.
 */
async function pathMatches(ctx: PlanContext, pattern: string, chdir: string | undefined): Promise<boolean> {
  if (!/[*?[]/.test(pattern)) {
    // A plain path goes through the shared path fact, so check mode sees what earlier tasks would create.
    const info = await readPath(ctx, chdir !== undefined && !isAbsolute(pattern) ? join(chdir, pattern) : pattern, false)
    return info.stat.exists
  }
  const probe = sh`p=${pattern}; IFS=; for f in $p; do if [ -e "$f" ] || [ -L "$f" ]; then exit 0; fi; done; exit 1`
  const result = await ctx.probe(probe, chdir !== undefined ? { cwd: chdir } : {})
  return result.code === 0
}

/** The command as `async:` runs it, detached on the host. */
export function backgroundCommand(spec: CommandSpec): BackgroundCommand {
  return { command: spec.command, cwd: spec.chdir, stdin: stdinText(spec), display: spec.display, stripEmptyEnds: spec.strip_empty_ends }
}

function stdinText(spec: CommandSpec): string | undefined {
  return spec.stdin === undefined ? undefined : spec.stdin + (spec.stdin_add_newline ? '\n' : '')
}

export async function applyCommand(ctx: ApplyContext, spec: CommandSpec): Promise<Record<string, unknown>> {
  const start = new Date()
  const stdin = stdinText(spec)
  const res = await ctx.exec(spec.command, {
    ...(spec.chdir !== undefined ? { cwd: spec.chdir } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
  })
  const end = new Date()
  const strip = (s: string): string => (spec.strip_empty_ends ? s.replace(/[\r\n]+$/, '') : s)
  const stdout = strip(res.stdout)
  const stderr = strip(res.stderr)
  const rc = res.code ?? -1
  if (rc !== 0 && spec.chdir !== undefined) await checkChdir(ctx, spec)
  const result = {
    cmd: spec.display,
    rc,
    stdout,
    stderr,
    stdout_lines: splitLines(stdout),
    stderr_lines: splitLines(stderr),
    start: timestamp(start),
    end: timestamp(end),
    delta: delta(end.getTime() - start.getTime()),
    msg: '',
    // A failed command's result keeps them too: the plan's result is not merged into a failure.
    ...(spec.warnings ? { warnings: spec.warnings } : {}),
  }
  // Ansible reports a command that ran as changed even when it failed (it counts in the recap).
  if (rc !== 0) throw new ModuleError(res.signal ? `killed by signal ${res.signal}` : 'non-zero return code', { ...result, changed: true })
  return { ...result, changed: true }
}

/**
 * A chdir that cannot be entered fails as Ansible's os.chdir does, before the command runs (here
 * the shell's cd failed; this asks why, only once the command failed).
 */
async function checkChdir(ctx: ApplyContext, spec: CommandSpec): Promise<void> {
  const dir = spec.chdir ?? ''
  const why = await ctx.exec(sh`d=${dir}; if ! [ -e "$d" ]; then echo '[Errno 2] No such file or directory'; elif ! [ -d "$d" ]; then echo '[Errno 20] Not a directory'; elif ! cd -- "$d" 2>/dev/null; then echo '[Errno 13] Permission denied'; fi`)
  const error = why.stdout.trim()
  if (error === '') return
  throw new ModuleError(`Unable to change directory before execution: ${error}: b'${dir}'`, { cmd: spec.display, rc: null, stdout: '', stderr: '', start: null, end: null, delta: null })
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/)
}
