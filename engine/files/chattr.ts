/**
 * A path's file attributes (lsattr/chattr flags such as `A`, `i`), as Ansible's
 * set_attributes_if_different compares and sets them: `+A`/`-A` add or remove, a bare
 * `A` sets exactly those flags. Ansible's comparison is textual: `-X` always runs chattr,
 * and `+A` on a file whose flags are `Ae` does too, as it differs from the text `A`.
 */
import type { PlanContext } from '../module.js'
import { sh, type ShellCommand } from '../quote.js'

export interface ChattrPlan {
  command: ShellCommand
  before: string | undefined
  after: string
}

/** The flags lsattr -d prints, without its dashes; undefined when lsattr is missing or fails (Ansible's empty dict). */
export async function readAttributes(ctx: PlanContext, path: string): Promise<string | undefined> {
  const out = await ctx.probe(sh`lsattr -d -- ${path}`)
  if (out.code !== 0) return undefined
  return (out.stdout.split(/\s+/)[0] ?? '').replaceAll('-', '')
}

/**
 * The chattr to run, or undefined when the path already has them. `exists` false (check mode
 * on a path not yet there) is changed without reading, as Ansible's check_file_absent_if_check_mode.
 */
export async function planChattr(ctx: PlanContext, path: string, wanted: string | undefined, exists: boolean): Promise<ChattrPlan | undefined> {
  if (wanted === undefined) return undefined
  const op = wanted.startsWith('+') || wanted.startsWith('-') ? wanted[0] : '='
  const flags = op === '=' ? wanted : wanted.slice(1)
  const existing = exists ? await readAttributes(ctx, path) : undefined
  if ((existing ?? '') === flags && op !== '-') return undefined
  return { command: sh`chattr ${`${op}${flags}`} -- ${path}`, before: existing, after: `${op}${flags}` }
}

/** Runs a planned chattr: any stderr fails it too, with Ansible's message and details. */
export function chattrFailure(out: { stdout: string; stderr: string; code: number | null }): string | undefined {
  return out.code !== 0 || out.stderr !== '' ? `Error while setting attributes: ${out.stdout}${out.stderr}` : undefined
}
