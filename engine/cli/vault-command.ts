/**
 * `tsplay vault create|edit|encrypt|decrypt|view|rekey FILE` and `tsplay vault encrypt_string`,
 * as ansible-vault: same file format (1.1, or 1.2 with a vault id), same flags. Plaintext goes
 * to disk only when asked for (`decrypt`), and through a private temporary copy for the editor.
 */
import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { isVaulted } from '../vault/envelope.js'
import { VaultError } from '../vault/errors.js'
import { editText, page, readVaultFile, writeFileAtomic } from '../vault/files.js'
import { formatInlineVault } from '../vault/inline.js'
import { decryptVault, encryptVault, HOW_TO_GIVE, setVaultSecrets, type VaultSecret } from '../vault/keyring.js'
import { readAnsibleConfig } from '../config/ansible-cfg.js'
import { withConfiguredVault } from './config.js'
import { parseVaultId, readSecret, readVaultSecrets, type VaultFlags } from '../vault/sources.js'
import { collect } from './options.js'
import { promptHidden } from './prompt.js'

/** The password options of every command that reads or writes vaulted data. */
export function addVaultOptions(command: Command): Command {
  return command
    .option('--vault-password-file <file>', 'vault password file, or an executable that prints the password (repeatable; $TSPLAY_VAULT_PASSWORD_FILE or $ANSIBLE_VAULT_PASSWORD_FILE adds one)', collect, [])
    .option('--vault-id <id>', 'a vault id and its password source: [LABEL@]FILE, [LABEL@]SCRIPT or [LABEL@]prompt (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password')
}

/**
 * Reads the passwords the flags and environment name (prompting at most once per source) and
 * installs them for the YAML loader. Returns them for the vault commands.
 */
export async function installVaultSecrets(flags: VaultFlags, options: { autoPrompt?: boolean; confirm?: boolean } = {}): Promise<VaultSecret[]> {
  const secrets = await readVaultSecrets(flags, { prompt: promptHidden, ...options })
  setVaultSecrets(secrets)
  return secrets
}

interface VaultCommandFlags extends VaultFlags {
  output?: string
  encryptVaultId?: string
  newVaultPasswordFile?: string
  newVaultId?: string
  name: string[]
  stdinName?: string
}

type Action = (files: string[], flags: VaultCommandFlags) => Promise<void>

/** Adds `vault` and its subcommands (made with .command(), so they inherit the program's error handling). */
export function addVaultCommand(program: Command): void {
  const vault = program.command('vault').description('encrypt and decrypt files and values with ansible-vault’s format (as ansible-vault)')
  const sub = (name: string, args: string, description: string, action: Action, extra: (c: Command) => Command = (c) => c): void => {
    const command = extra(addVaultOptions(vault.command(name).description(description).argument(args)))
    command.action(async (files: string[] | string | undefined, flags: VaultCommandFlags) => {
      await action(files === undefined ? [] : Array.isArray(files) ? files : [files], flags)
    })
  }
  const output = (c: Command, description = "write the result here ('-' for stdout) instead of in place") => c.option('--output <file>', description)
  const encryptId = (c: Command) => c.option('--encrypt-vault-id <label>', 'the vault id to encrypt with, when several are given')
  sub('create', '<file>', 'create a new encrypted file with $EDITOR', create, encryptId)
  sub('edit', '<file>', 'edit an encrypted file with $EDITOR (written back atomically)', edit, encryptId)
  sub('view', '<file...>', 'show encrypted files ($PAGER on a terminal)', view)
  sub('encrypt', '[file...]', 'encrypt files in place (stdin to stdout when none is given)', encrypt, (c) => encryptId(output(c)))
  sub('decrypt', '[file...]', 'decrypt files in place, or to --output (stdin to stdout when none is given)', decrypt, output)
  sub('rekey', '<file...>', 'encrypt files again with a new password', rekey, (c) =>
    encryptId(c)
      .option('--new-vault-password-file <file>', 'the new password file (or script)')
      .option('--new-vault-id <id>', 'the new vault id and password source: [LABEL@]SOURCE'),
  )
  sub('encrypt_string', '[string...]', 'print a !vault block for a value, to paste into YAML', encryptString, (c) =>
    encryptId(output(c, 'write the !vault blocks to this file instead of stdout'))
      .option('-n, --name <var>', 'the variable name for each string, in order (repeatable)', collect, [])
      .option('--stdin-name <var>', 'read the value from stdin and name it VAR'),
  )
}

/** Encrypting with a typed password asks twice; decrypting once. */
async function secretsFor(flags: VaultCommandFlags, encrypting: boolean): Promise<VaultSecret[]> {
  // As ansible-vault: ansible.cfg's vault_password_file and vault_identity_list count too.
  const secrets = await installVaultSecrets(withConfiguredVault(flags, readAnsibleConfig().settings), { autoPrompt: true, confirm: encrypting })
  if (secrets.length === 0) throw new VaultError(`no vault password was given; ${HOW_TO_GIVE}`)
  return secrets
}

/** As ansible-vault: --encrypt-vault-id picks one; otherwise the first secret given. */
function encryptSecret(secrets: VaultSecret[], label: string | undefined): VaultSecret {
  const found = label === undefined ? secrets[0] : secrets.find((s) => s.label === label)
  if (!found) throw new VaultError(`--encrypt-vault-id ${label ?? ''} matches none of the vault ids given (${secrets.map((s) => s.label).join(', ')})`)
  return found
}

function done(message: string): void {
  process.stderr.write(`${message}\n`)
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function writeOut(target: string, data: Buffer | string): Promise<void> {
  if (target === '-') process.stdout.write(data)
  else await writeFileAtomic(target, data)
}

function outputFor(files: string[], flags: VaultCommandFlags): string | undefined {
  if (flags.output !== undefined && files.length > 1) throw new VaultError('--output takes one input file')
  return flags.output
}

async function openFile(file: string): Promise<{ plaintext: Buffer; secret: VaultSecret }> {
  const text = (await readVaultFile(file)).toString('utf8')
  if (!isVaulted(text)) throw new VaultError(`${file} is not encrypted with ansible-vault`)
  return decryptVault(text, { file })
}

const create: Action = async ([file], flags) => {
  if (file === undefined) return
  if (existsSync(file)) throw new VaultError(`${file} exists; use 'tsplay vault edit' to change it`)
  const secret = encryptSecret(await secretsFor(flags, true), flags.encryptVaultId)
  const plaintext = await editText(Buffer.alloc(0), file)
  await writeFileAtomic(file, encryptVault(plaintext, secret))
}

const edit: Action = async ([file], flags) => {
  if (file === undefined) return
  const secrets = await secretsFor(flags, false)
  const { plaintext, secret } = await openFile(file)
  const edited = await editText(plaintext, file)
  if (edited.equals(plaintext)) return
  // The file keeps the vault id that opened it, unless another is asked for.
  const target = flags.encryptVaultId !== undefined ? encryptSecret(secrets, flags.encryptVaultId) : secret
  await writeFileAtomic(file, encryptVault(edited, target))
}

const view: Action = async (files, flags) => {
  await secretsFor(flags, false)
  const parts: Buffer[] = []
  for (const file of files) parts.push((await openFile(file)).plaintext)
  await page(Buffer.concat(parts))
}

const encrypt: Action = async (files, flags) => {
  const secret = encryptSecret(await secretsFor(flags, true), flags.encryptVaultId)
  const output = outputFor(files, flags)
  if (files.length === 0) {
    await writeOut(output ?? '-', encryptVault(await readStdin(), secret))
    return done('Encryption successful')
  }
  for (const file of files) {
    const data = await readVaultFile(file)
    if (isVaulted(data.toString('utf8'))) throw new VaultError(`${file} is already encrypted`)
    await writeOut(output ?? file, encryptVault(data, secret))
  }
  done('Encryption successful')
}

const decrypt: Action = async (files, flags) => {
  await secretsFor(flags, false)
  const output = outputFor(files, flags)
  if (files.length === 0) {
    await writeOut(output ?? '-', decryptVault((await readStdin()).toString('utf8'), { file: '<stdin>' }).plaintext)
    return done('Decryption successful')
  }
  for (const file of files) await writeOut(output ?? file, (await openFile(file)).plaintext)
  done('Decryption successful')
}

const rekey: Action = async (files, flags) => {
  await secretsFor(flags, false)
  const spec = flags.newVaultId !== undefined ? parseVaultId(flags.newVaultId) : { label: 'default', source: flags.newVaultPasswordFile ?? 'prompt' }
  const newSecret = await readSecret(spec, { prompt: promptHidden, confirm: true })
  // Read and decrypt everything first: one bad file leaves all of them as they were.
  const opened = []
  for (const file of files) opened.push({ file, ...(await openFile(file)) })
  for (const { file, plaintext } of opened) await writeFileAtomic(file, encryptVault(plaintext, newSecret))
  done('Rekey successful')
}

const encryptString: Action = async (strings, flags) => {
  const secret = encryptSecret(await secretsFor(flags, true), flags.encryptVaultId)
  const values: { name?: string; value: Buffer }[] = []
  if (flags.stdinName !== undefined) values.push({ name: flags.stdinName, value: await readStdin() })
  strings.forEach((value, i) => {
    const name = flags.name[i]
    values.push({ ...(name !== undefined ? { name } : {}), value: Buffer.from(value, 'utf8') })
  })
  if (values.length === 0) {
    const name = flags.name[0]
    values.push({ ...(name !== undefined ? { name } : {}), value: await readStdin() })
  }
  if (values.some((v) => v.value.length === 0)) throw new VaultError('the value to encrypt is empty')
  const blocks = values.map((v) => formatInlineVault(encryptVault(v.value, secret), v.name))
  await writeOut(flags.output ?? '-', blocks.join('\n'))
  done('Encryption successful')
}
