/** Facts in one round trip: run the script, parse its output. The executor caches the result per host. */
import type { Connection, ExecOptions } from '../connection/types.js'
import { ModuleError } from '../errors.js'
import { parseFacts, type HostFacts } from './parse.js'
import { FACTS_SCRIPT } from './script.js'

export type { HostFacts } from './parse.js'

/**
 * `options` is for become (a play with `become: true` gathers as root, as Ansible does);
 * the script itself needs no privileges.
 */
export async function gatherFacts(conn: Connection, options: ExecOptions = {}): Promise<HostFacts> {
  // The script's exit status is that of its last probe and means nothing; the end marker does.
  const result = await conn.exec(FACTS_SCRIPT, options)
  try {
    return parseFacts(result.stdout)
  } catch (err) {
    throw new ModuleError(
      `gathering facts on ${conn.host} failed: ${err instanceof Error ? err.message : String(err)}`,
      { rc: result.code, stdout: result.stdout.slice(0, 2000), stderr: result.stderr.slice(0, 2000) },
      { cause: err },
    )
  }
}
