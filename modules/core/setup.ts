/** setup: gathers facts about the target in one command (Ansible's `setup`, run as "Gathering Facts"). */
import { defineModule } from '../../engine/module.js'
import { ModuleError, errorMessage } from '../../engine/errors.js'
import { parseFacts } from '../../engine/facts/parse.js'
import { FACTS_SCRIPT } from '../../engine/facts/script.js'
import { fnmatch } from '../../engine/fnmatch.js'

const args = {
  gather_subset: {
    type: 'list',
    elements: 'str',
    default: ['all'],
    description: 'Accepted for Ansible compatibility; tsplay always gathers its one (small) set of facts.',
  },
  filter: { type: 'list', elements: 'str', default: [], description: "Keep only facts whose names match these shell-style patterns ('ansible_eth*')." },
  gather_timeout: { type: 'int', default: 10, description: 'Seconds the fact gathering may take.' },
} as const

export default defineModule({
  name: 'setup',
  description: 'Gathers facts about the target (OS, addresses, CPU, memory, ...) into ansible_* variables.',
  args,
  async plan(ctx, a) {
    // Reading facts changes nothing: it happens in plan, so check mode gathers too.
    const result = await ctx.probe(FACTS_SCRIPT, { timeoutMs: a.gather_timeout * 1000 })
    if (result.signal === 'TIMEOUT') throw new ModuleError(`gathering facts timed out after ${a.gather_timeout}s`)
    let facts: Record<string, unknown>
    try {
      facts = parseFacts(result.stdout)
    } catch (err) {
      throw new ModuleError(`gathering facts failed: ${errorMessage(err)}`, { rc: result.code, stderr: result.stderr.slice(0, 2000) })
    }
    if (a.filter.length) facts = Object.fromEntries(Object.entries(facts).filter(([name]) => a.filter.some((pattern) => fnmatch(name, pattern))))
    return { changed: false, result: { ansible_facts: facts } }
  },
})
