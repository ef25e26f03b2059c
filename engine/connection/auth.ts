/** Which credentials to offer a server, in OpenSSH's spirit, and how to name them in errors. */
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ConnectError } from '../errors.js'
import type { ConnectionSpec } from './types.js'

export type AuthAttempt =
  | { kind: 'key'; path: string; data: Buffer }
  | { kind: 'agent'; socket: string }
  | { kind: 'password'; password: string }

/** The keys `ssh` tries by default, in its order (DSA is gone from OpenSSH). */
export const DEFAULT_KEY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa'] as const

/**
 * An explicit key file is the only key offered (as `ansible_ssh_private_key_file` means
 * "this key"); otherwise the agent, then the default keys that exist. A password comes last,
 * so a configured key is never skipped for a weaker credential.
 */
export async function authAttempts(spec: ConnectionSpec, env: NodeJS.ProcessEnv = process.env, home = homedir()): Promise<AuthAttempt[]> {
  const attempts: AuthAttempt[] = []
  if (spec.privateKeyFile !== undefined) {
    try {
      attempts.push({ kind: 'key', path: spec.privateKeyFile, data: await readFile(spec.privateKeyFile) })
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'
      throw new ConnectError(`host ${spec.host}: private key file ${spec.privateKeyFile} ${why}`, spec.host, { cause: err })
    }
  } else {
    if (env.SSH_AUTH_SOCK) attempts.push({ kind: 'agent', socket: env.SSH_AUTH_SOCK })
    for (const name of DEFAULT_KEY_NAMES) {
      const path = join(home, '.ssh', name)
      try {
        attempts.push({ kind: 'key', path, data: await readFile(path) })
      } catch {
        // Absent default keys are normal; only the ones that exist are worth offering.
      }
    }
  }
  if (spec.password !== undefined) attempts.push({ kind: 'password', password: spec.password })
  return attempts
}

/** How an attempt is named in "tried: ..." (never the secret itself). */
export function describeAttempt(attempt: AuthAttempt): string {
  switch (attempt.kind) {
    case 'key':
      return `key ${attempt.path}`
    case 'agent':
      return 'agent'
    case 'password':
      return 'password'
  }
}
