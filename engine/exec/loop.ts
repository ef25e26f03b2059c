/** Turns a task's loop keyword into the list of items, as Ansible's loop / with_* do. */
import { errorMessage, TemplateError } from '../errors.js'
import { MISSING, type Scope } from '../expr/index.js'
import { lookupPlugin } from '../expr/lookups/index.js'
import { loopSubdir } from '../expr/lookups/types.js'

const NO_VARS: Scope = { lookup: () => MISSING }

/**
 * The items of `loop` (a list as it is) or of `with_<lookup>` (the lookup's list, its terms
 * listified as Ansible's: a single value is a list of one). `action` (the task's module) tells
 * with_first_found where to look first, as Ansible's TaskExecutor does.
 */
export function loopItems(kind: string, value: unknown, scope: Scope = NO_VARS, action = ''): unknown[] {
  switch (kind) {
    case 'loop':
    case 'with_list':
      if (!Array.isArray(value)) throw new TemplateError(`${kind} needs a list, got ${describe(value)}; use a filter such as dict2items for a mapping`)
      return value
    case 'with_items':
      if (value === null || value === undefined) return []
      // with_items flattens one level, as in Ansible.
      return (Array.isArray(value) ? value : [value]).flatMap((v) => (Array.isArray(v) ? v : [v]))
    case 'with_sequence':
      return sequence(String(value))
    default: {
      const plugin = lookupPlugin(kind.replace(/^with_/, ''))
      if (!plugin) throw new TemplateError(`${kind} is not supported by tsplay yet`)
      try {
        return plugin(Array.isArray(value) ? value : [value], {}, { scope, subdir: loopSubdir(action) })
      } catch (err) {
        throw new TemplateError(errorMessage(err), { cause: err })
      }
    }
  }
}

/** with_sequence: "start=1 end=5 stride=1 format=host%02d", "count=3", or "1-5". */
function sequence(spec: string): string[] {
  const opts: Record<string, string> = {}
  const short = /^\s*(-?\d+)\s*-\s*(-?\d+)(?:\/(\d+))?(?::(.*))?$/.exec(spec)
  if (short) {
    opts['start'] = short[1] ?? '1'
    opts['end'] = short[2] ?? '1'
    if (short[3]) opts['stride'] = short[3]
    if (short[4]) opts['format'] = short[4]
  } else {
    for (const part of spec.trim().split(/\s+/)) {
      const [k, v] = part.split('=')
      if (k && v !== undefined) opts[k] = v
    }
  }
  const start = Number(opts['start'] ?? 1)
  const stride = Number(opts['stride'] ?? 1)
  const end = opts['count'] !== undefined ? start + (Number(opts['count']) - 1) * stride : Number(opts['end'] ?? start)
  if (![start, end, stride].every(Number.isFinite) || stride === 0) throw new TemplateError(`bad with_sequence '${spec}'`)
  const out: string[] = []
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) {
    out.push(opts['format'] ? opts['format'].replace(/%0?(\d*)[dix]/, (m, w: string) => String(i).padStart(Number(w || 0), m.startsWith('%0') ? '0' : ' ')) : String(i))
  }
  return out
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'a mapping' : `${typeof value} '${String(value)}'`
}

/** ansible_loop, when loop_control.extended is on. */
export function extendedLoopVars(items: readonly unknown[], index: number): Record<string, unknown> {
  return {
    allitems: items,
    index: index + 1,
    index0: index,
    revindex: items.length - index,
    revindex0: items.length - index - 1,
    first: index === 0,
    last: index === items.length - 1,
    length: items.length,
    previtem: index > 0 ? items[index - 1] : undefined,
    nextitem: index < items.length - 1 ? items[index + 1] : undefined,
  }
}
