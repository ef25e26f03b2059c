/** `!vault |` blocks, as `ansible-vault encrypt_string` prints them for pasting into YAML. */

const INDENT = ' '.repeat(10)

/** `NAME: !vault |` (or a bare `!vault |`) followed by the envelope, indented as ansible-vault indents it. */
export function formatInlineVault(envelope: string, name?: string): string {
  const body = envelope
    .trimEnd()
    .split('\n')
    .map((line) => INDENT + line)
    .join('\n')
  return `${name !== undefined ? `${name}: ` : ''}!vault |\n${body}\n`
}
