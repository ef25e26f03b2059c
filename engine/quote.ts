/**
 * The one quoting helper. Every value that goes into a shell command passes through
 * `quote()`, usually by way of the `sh` tagged template:
 *
 *   sh`grep -e ${pattern} -- ${path}`
 *
 * A `ShellCommand` is the only thing a connection will run, so a module cannot hand a
 * connection a string it glued together itself.
 */

/** A finished shell command line. Build it with `sh`, or `ShellCommand.raw` for text the user wrote as shell. */
export class ShellCommand {
  private constructor(readonly text: string) {}

  /** Shell text taken as-is: only for shell code the user wrote deliberately (the `shell` module, `validate:`). */
  static raw(text: string): ShellCommand {
    return new ShellCommand(text)
  }

  /** @internal used by `sh` */
  static fromQuoted(text: string): ShellCommand {
    return new ShellCommand(text)
  }

  toString(): string {
    return this.text
  }
}

export type ShellValue = string | number | bigint | ShellCommand | readonly (string | number)[]

/**
 * POSIX single quoting: the value reaches the program as exactly one argument, byte for byte.
 * Inside single quotes nothing is special but the single quote itself, which is closed,
 * escaped and reopened: `it's` -> `'it'\''s'`.
 */
export function quote(value: string | number | bigint): string {
  const text = String(value)
  if (text === '') return "''"
  // Words made only of safe characters need no quotes; this keeps commands readable in -vvvv.
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text) && !text.startsWith('-')) return text
  return `'${text.replaceAll("'", `'\\''`)}'`
}

/**
 * Tagged template: interpolated values are quoted; arrays become several quoted words;
 * a nested ShellCommand is inserted as the command text it already is.
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): ShellCommand {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += renderValue(value) + (strings[i + 1] ?? '')
  })
  return ShellCommand.fromQuoted(out)
}

function renderValue(value: ShellValue): string {
  if (value instanceof ShellCommand) return value.text
  if (Array.isArray(value)) return value.map((v) => quote(v)).join(' ')
  return quote(value as string | number | bigint)
}

/** Joins commands with a separator such as `&&` or `;` (the separator is shell syntax, not data). */
export function joinCommands(commands: readonly ShellCommand[], separator: '&&' | ';' | '||' | '|' = '&&'): ShellCommand {
  return ShellCommand.fromQuoted(commands.map((c) => c.text).join(` ${separator} `))
}
