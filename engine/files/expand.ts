/**
 * A host path as Ansible's module argument type `path` reads it on the host:
 * os.path.expanduser(os.path.expandvars(path)), with the environment of the host's shell
 * (the become user's, the task's `environment:` included). Unknown names stay as written.
 */
import type { PlanContext } from '../module.js'
import { sh } from '../quote.js'

export async function expandHostPath(ctx: PlanContext, path: string): Promise<string> {
  if (!path.includes('$') && !path.startsWith('~')) return path
  const out = await ctx.read(sh`env -0`)
  const env = new Map<string, string>()
  for (const entry of out.stdout.split('\0')) {
    const eq = entry.indexOf('=')
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1))
  }
  const vars = path.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, bare: string | undefined, braced: string | undefined) => env.get(bare ?? braced ?? '') ?? whole)
  const home = env.get('HOME')
  // ~user is left alone: only the shell's own home is known without a lookup.
  return home !== undefined && (vars === '~' || vars.startsWith('~/')) ? home + vars.slice(1) : vars
}
