/**
 * Proof that check mode wrote nothing: a mark file before the check run, then a search for files
 * whose status changed after it. Both are ordinary tasks run by the engine on the tested hosts.
 *
 * Scanned: where configuration, software and package state live. Not scanned: /var/lib beyond
 * dpkg's state, /var/log, /tmp and /run, where running services write all the time (a database
 * writes its files whether or not tsplay runs), which would make the check fail for no reason.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sh } from '../../quote.js'
import type { RunOptions } from '../../exec/options.js'
import type { ModuleRegistry } from '../../registry.js'
import { runPlaybook } from './playbook-run.js'

const MARK = '/tmp/.tsplay-test-check-mark'
export const SCANNED = ['/etc', '/usr', '/opt', '/srv', '/home', '/root', '/boot', '/var/www', '/var/lib/dpkg', '/var/spool/cron']
const SHOWN = 20

export interface WriteScan {
  /** host -> files changed since the mark */
  written: Record<string, string[]>
  /** hosts where the mark or the scan could not run, with why */
  errors: Record<string, string>
}

function taskPlaybook(workDir: string, name: string, hosts: string, task: string, command: string): string {
  const file = join(workDir, `${name}.yml`)
  const text = `- name: tsplay test ${name}\n  hosts: ${JSON.stringify(hosts)}\n  gather_facts: false\n  tasks:\n    - name: ${JSON.stringify(task)}\n      shell: ${JSON.stringify(command)}\n      changed_when: false\n`
  writeFileSync(file, text)
  return file
}

/** Leaves the mark on every tested host; returns the hosts where it could not. */
export async function markHosts(modules: ModuleRegistry, workDir: string, sources: string[], hosts: string, options: RunOptions): Promise<Record<string, string>> {
  const file = taskPlaybook(workDir, 'mark', hosts, 'mark the time check mode starts', sh`touch ${MARK}`.toString())
  const run = await runPlaybook(modules, file, sources, { ...options, check: false, diff: false, tags: [], skipTags: [] })
  return Object.fromEntries(run.results.filter((r) => r.status === 'failed' || r.status === 'unreachable').map((r) => [r.host, r.msg ?? r.status]))
}

export async function scanWrites(modules: ModuleRegistry, workDir: string, sources: string[], hosts: string, options: RunOptions): Promise<WriteScan> {
  const find = sh`for d in ${SCANNED}; do if [ -e "$d" ]; then find "$d" -xdev -cnewer ${MARK} -print; fi; done 2>/dev/null | head -n ${SHOWN}; rm -f ${MARK}`
  const file = taskPlaybook(workDir, 'scan', hosts, 'files changed since check mode started', find.toString())
  const run = await runPlaybook(modules, file, sources, { ...options, check: false, diff: false, tags: [], skipTags: [] })
  const scan: WriteScan = { written: {}, errors: {} }
  for (const r of run.results) {
    if (r.status === 'failed' || r.status === 'unreachable') {
      scan.errors[r.host] = r.msg ?? r.status
      continue
    }
    const lines = String(r.result['stdout'] ?? '').split('\n').map((l) => l.trim()).filter(Boolean)
    if (lines.length) scan.written[r.host] = lines
  }
  return scan
}
