/** Typed errors. A host's failure is a task result, never one of these crossing to other hosts. */

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
}

/** YAML syntax, unknown keys, unknown modules, missing roles: found while loading, before any host is contacted. */
export class PlaybookError extends TsplayError {
  override name = 'PlaybookError'
  constructor(
    message: string,
    readonly pos?: SourcePos,
    options?: { cause?: unknown },
  ) {
    super(pos ? `${formatPos(pos)}: ${message}` : message, options)
  }
}

/** A module argument that does not fit the module's schema. */
export class ArgsError extends PlaybookError {
  override name = 'ArgsError'
}

/** Bad command-line options (exit code 5). */
export class OptionsError extends TsplayError {
  override name = 'OptionsError'
}

/** An inventory that cannot be read. */
export class InventoryError extends PlaybookError {
  override name = 'InventoryError'
}

/** An expression or template that cannot be evaluated (undefined variable, bad syntax, bad filter). */
export class TemplateError extends TsplayError {
  override name = 'TemplateError'
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

/** The run was interrupted (Ctrl-C): exit 99. */
export class InterruptedError extends TsplayError {
  override name = 'InterruptedError'
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
