/**
 * Where vault passwords come from, as ansible-vault and ansible-playbook take them:
 * `--vault-id [LABEL@]SOURCE` (SOURCE a file, an executable that prints the password, or
 * `prompt`), `--vault-password-file FILE`, `--ask-vault-pass`, and the environment
 * (TSPLAY_VAULT_PASSWORD_FILE, or ANSIBLE_VAULT_PASSWORD_FILE).
 */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, readFile, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { promisify } from 'node:util'
import { DEFAULT_LABEL } from './envelope.js'
import type { VaultSecret } from './keyring.js'
import { VaultError } from './errors.js'

const run = promisify(execFile)

/** The vault options every command that reads vaulted data takes. */
export interface VaultFlags {
  vaultPasswordFile?: string[]
  vaultId?: string[]
  askVaultPass?: boolean
  /** Tried after every source above: the password file of an inventory's lab that is up (engine/lab/attach.ts). No flag gives these. */
  fallbackVaultIds?: VaultIdSpec[]
}

export interface SourceOptions {
  /** Asks for a password without echo (the CLI's terminal prompt). */
  prompt(question: string): Promise<string>
  /** Encrypting with a typed password: ask twice, as ansible-vault does. */
  confirm?: boolean
  /** Ask for the default password when nothing else gives one (ansible-vault does; a run does not). */
  autoPrompt?: boolean
  env?: NodeJS.ProcessEnv
}

export interface VaultIdSpec {
  label: string
  source: string
}

/** `dev@~/.vault_pass`, `prod@prompt`, or just `SOURCE` (label `default`). */
export function parseVaultId(spec: string): VaultIdSpec {
  const at = spec.indexOf('@')
  if (at < 0) return { label: DEFAULT_LABEL, source: spec }
  const label = spec.slice(0, at) || DEFAULT_LABEL
  const source = spec.slice(at + 1)
  if (source === '') throw new VaultError(`--vault-id '${spec}': nothing after '@' (expected a file, a script, or 'prompt')`)
  if (label.includes(';')) throw new VaultError(`--vault-id '${spec}': a vault id may not contain ';'`)
  return { label, source }
}

/** The list of sources the flags and environment name, in Ansible's order, without repeats. */
export function vaultIdSpecs(flags: VaultFlags, env: NodeJS.ProcessEnv = process.env): VaultIdSpec[] {
  const specs = (flags.vaultId ?? []).map(parseVaultId)
  for (const file of flags.vaultPasswordFile ?? []) specs.push({ label: DEFAULT_LABEL, source: file })
  if (flags.askVaultPass) specs.push({ label: DEFAULT_LABEL, source: 'prompt' })
  const envFile = env['TSPLAY_VAULT_PASSWORD_FILE'] || env['ANSIBLE_VAULT_PASSWORD_FILE']
  if (envFile) specs.push({ label: DEFAULT_LABEL, source: envFile })
  specs.push(...(flags.fallbackVaultIds ?? []))
  const seen = new Set<string>()
  return specs.filter((s) => {
    const key = `${s.label}@${s.source === 'prompt' ? s.source : resolve(s.source)}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Reads every password the flags and environment name (each once: prompts happen here). */
export async function readVaultSecrets(flags: VaultFlags, options: SourceOptions): Promise<VaultSecret[]> {
  const specs = vaultIdSpecs(flags, options.env)
  if (specs.length === 0 && options.autoPrompt) specs.push({ label: DEFAULT_LABEL, source: 'prompt' })
  const secrets: VaultSecret[] = []
  for (const spec of specs) secrets.push(await readSecret(spec, options))
  return secrets
}

export async function readSecret(spec: VaultIdSpec, options: SourceOptions): Promise<VaultSecret> {
  if (spec.source === 'prompt') return { label: spec.label, password: await promptPassword(spec.label, options), source: 'prompt' }
  const path = resolve(spec.source)
  let isFile: boolean
  try {
    isFile = (await stat(path)).isFile()
  } catch {
    throw new VaultError(`the vault password file ${spec.source} was not found`)
  }
  if (!isFile) throw new VaultError(`the vault password file ${spec.source} is not a file`)
  const password = (await isExecutable(path)) ? await fromScript(path, spec.label) : await fromFile(path)
  if (password.length === 0) throw new VaultError(`the vault password file ${spec.source} gave an empty password`)
  return { label: spec.label, password, source: spec.source }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return ((await stat(path)).mode & 0o111) !== 0
  } catch {
    return false
  }
}

async function fromFile(path: string): Promise<Buffer> {
  try {
    // Ansible strips surrounding whitespace from a password file (the trailing newline, mostly).
    return Buffer.from((await readFile(path, 'utf8')).trim(), 'utf8')
  } catch (err) {
    throw new VaultError(`cannot read the vault password file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, { cause: err })
  }
}

/** A script prints the password; a `*-client` script is told which vault id is wanted (Ansible's convention). */
async function fromScript(path: string, label: string): Promise<Buffer> {
  const args = /-client(\.[^.]+)?$/.test(basename(path)) ? ['--vault-id', label] : []
  try {
    const { stdout } = await run(path, args, { encoding: 'buffer', maxBuffer: 1 << 20 })
    return Buffer.from(stdout.toString('utf8').replace(/^[\r\n]+|[\r\n]+$/g, ''), 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { code?: number | string; stderr?: Buffer }
    const detail = e.stderr?.toString('utf8').trim() || String(e.code ?? e.message)
    throw new VaultError(`the vault password script ${path} failed: ${detail}`, undefined, { cause: err })
  }
}

async function promptPassword(label: string, options: SourceOptions): Promise<Buffer> {
  const name = label === DEFAULT_LABEL ? 'Vault password' : `Vault password (${label})`
  const first = await options.prompt(options.confirm ? `New ${name.toLowerCase()}: ` : `${name}: `)
  if (options.confirm) {
    const again = await options.prompt(`Confirm new ${name.toLowerCase()}: `)
    if (again !== first) throw new VaultError('the passwords do not match')
  }
  if (first === '') throw new VaultError('an empty vault password was given')
  return Buffer.from(first, 'utf8')
}
