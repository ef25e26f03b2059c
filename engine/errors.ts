/** Typed errors. A host's failure is a task result, never one of these crossing to other hosts. */

/**
 * Exit codes, as the real ansible-playbook 2.14 returns them (measured, not its docs' table;
 * test/integration/exit-codes.test.ts runs both programs on the same cases). Ansible gives two
 * pairs one number each, and so does tsplay: a failed host and a bad option are both 2, an
 * unreachable host and a playbook error both 4.
 */
export const EXIT = {
  ok: 0,
  /** Stopped before the run: a missing playbook, role, vars file or inventory, a vault error. */
  error: 1,
  /** A task failed on a host (and no host was unreachable). */
  failed: 2,
  /** The command line does not parse: an unknown option, a value of the wrong type (argparse's 2). */
  usage: 2,
  /** A host was unreachable (this wins over failed hosts, as in Ansible). */
  unreachable: 4,
  /** The playbook is wrong: YAML syntax, keywords, modules, arguments, play keyword templates. */
  parse: 4,
  /** An option's value is wrong after parsing (Ansible's AnsibleOptionsError): extra vars that are not a mapping. */
  options: 5,
  /** Ctrl-C. */
  interrupted: 99,
} as const

export interface SourcePos {
  file: string
  line: number
  col: number
}

export function formatPos(pos: SourcePos | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : ''
}

export class TsplayError extends Error {
  override name = 'TsplayError'
  /** What tsplay exits with when this error ends the command. */
  readonly exitCode: number = EXIT.error
}

/** YAML syntax, unknown keys, unknown modules, bad arguments: found while loading, before any host is contacted. */
export class PlaybookError extends TsplayError {
  override name = 'PlaybookError'
  override readonly exitCode: number = EXIT.parse
  /**
   * `placeAfter`: the message is Ansible's own, which scripts grep as "ERROR! <message>", so the
   * place follows it as Ansible writes it instead of leading.
   */
  constructor(
    message: string,
    readonly pos?: SourcePos,
    options?: { cause?: unknown; placeAfter?: boolean },
  ) {
    super(!pos ? message : options?.placeAfter ? `${message}\n\nThe error appears to be in '${pos.file}': line ${pos.line}, column ${pos.col}` : `${formatPos(pos)}: ${message}`, options)
  }
}

/**
 * A file that the playbook or the command line names is missing or cannot be read: a playbook,
 * an imported or included file, a role, a vars file, `-e @file`. Ansible exits 1 for these
 * ("could not be found"), not 4 as for a playbook it cannot parse.
 */
export class MissingFileError extends PlaybookError {
  override name = 'MissingFileError'
  override readonly exitCode: number = EXIT.error
}

/** A module argument that does not fit the module's schema. */
export class ArgsError extends PlaybookError {
  override name = 'ArgsError'
}

/** A bad value of a command-line option, found after parsing (exit 5, Ansible's AnsibleOptionsError). */
export class OptionsError extends TsplayError {
  override name = 'OptionsError'
  override readonly exitCode: number = EXIT.options
}

/** A command line that does not parse, such as `--forks zero` (exit 2, as argparse's errors in Ansible). */
export class UsageError extends TsplayError {
  override name = 'UsageError'
  override readonly exitCode: number = EXIT.usage
}

/**
 * An inventory that cannot be read or parsed. Ansible warns and goes on with no hosts; told to
 * fail (`ANSIBLE_INVENTORY_UNPARSED_FAILED`) it exits 1, and so does tsplay, which always fails.
 */
export class InventoryError extends PlaybookError {
  override name = 'InventoryError'
  override readonly exitCode: number = EXIT.error
}

/**
 * An expression or template that cannot be evaluated (undefined variable, bad syntax, bad filter).
 * In a task it fails the host; one that stops the run (a meta task's `when:`) exits 1, as in
 * Ansible. In a play keyword it is a playbook error: see `keywordError`.
 */
export class TemplateError extends TsplayError {
  override name = 'TemplateError'
}

/** A template used a variable (or attribute) that is not defined. */
export class UndefinedVariableError extends TemplateError {}

/**
 * A play keyword (`hosts`, `vars_files`) whose template cannot be rendered: Ansible calls the field
 * invalid and exits 4 ("The field 'hosts' has an invalid value, which includes an undefined variable").
 */
export function keywordError(keyword: string, err: unknown, pos: SourcePos): unknown {
  return err instanceof TemplateError ? new PlaybookError(`the play's ${keyword}: ${err.message}`, pos, { cause: err }) : err
}

/** Could not reach or authenticate to a host: the host is reported unreachable. */
export class ConnectError extends TsplayError {
  override name = 'ConnectError'
  constructor(
    message: string,
    readonly host: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A module's own failure; `result` carries what the module learned (rc, stdout, ...) for `register`. */
export class ModuleError extends TsplayError {
  override name = 'ModuleError'
  constructor(
    message: string,
    readonly result: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** What a finished command gave back, as a CommandError carries it. */
export interface CommandOutput {
  /** Exit code; null when the command died from a signal. */
  code: number | null
  stdout: string
  stderr: string
  signal?: string
}

/**
 * A command on a host that failed (zx's ProcessOutput): the command line as the -vvvv log shows
 * it, its exit code, output and signal. A ModuleError, so the task fails as for any module
 * failure, with the module's message and `rc`, `stdout`, `stderr` in its result (plus any values
 * the module adds, such as apt's `cache_updated`).
 */
export class CommandError extends ModuleError {
  override name = 'CommandError'
  readonly rc: number | null
  readonly stdout: string
  readonly stderr: string
  readonly signal: string | undefined

  constructor(
    message: string,
    readonly command: string,
    output: CommandOutput,
    result: Record<string, unknown> = {},
  ) {
    super(message, { ...result, rc: output.code, stdout: output.stdout, stderr: output.stderr })
    this.rc = output.code
    this.stdout = output.stdout
    this.stderr = output.stderr
    this.signal = output.signal
  }
}

/** The run was interrupted (Ctrl-C): exit 99. */
export class InterruptedError extends TsplayError {
  override name = 'InterruptedError'
  override readonly exitCode: number = EXIT.interrupted
}

/**
 * A host's failure as its task reports it. A template error names the task's file:line: the
 * expression it quotes may be in many tasks, and only the loader knows where this one is.
 */
export function taskFailureMessage(err: unknown, pos: SourcePos): string {
  return err instanceof TemplateError ? `${err.message} (in the task at ${formatPos(pos)})` : errorMessage(err)
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
