/**
 * pipe and lines: a shell command run on the controller with /bin/sh -c, in the playbook's
 * directory. The command is written by the playbook's author, as Ansible's pipe lookup.
 */
import { spawnSync } from 'node:child_process'
import { needString } from '../types.js'
import { fail } from '../values.js'
import type { LookupCtx, LookupFn } from './types.js'

function run(name: string, term: unknown, ctx: LookupCtx): string {
  const command = needString(term, `the ${name} command`)
  const dir = ctx.scope.lookup('playbook_dir')
  const done = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', ...(typeof dir === 'string' ? { cwd: dir } : {}) })
  if (done.status !== 0) fail(`lookup_plugin.${name}(${command}) returned ${done.status ?? done.signal ?? 'nothing'}`)
  return done.stdout
}

export const pipe: LookupFn = (terms, _options, ctx) => terms.map((t) => run('pipe', t, ctx).trimEnd())

export const lines: LookupFn = (terms, _options, ctx) => terms.flatMap((t) => run('lines', t, ctx).split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== ''))
