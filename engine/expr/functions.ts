/** Functions callable by name: range(), lookup()/query(), dict(). */
import { now } from './filters-time.js'
import { runLookup } from './lookups/index.js'
import { describe, isInt, keyOf, toStr } from './python.js'
import { params, type FunctionFn } from './types.js'
import { fail, isDict, setKey, Undefined, type Dict } from './values.js'

const MAX_RANGE = 1_000_000

const range: FunctionFn = (call, ctx) => {
  const args = params(call, ['start', 'stop', 'step'], ctx).filter((a) => a !== undefined)
  if (args.length === 0) fail('range() needs at least one argument')
  for (const a of args) if (!isInt(a)) fail(`range() takes integers, not ${describe(a)}`)
  const [start, stop, step = 1] = (args.length === 1 ? [0, args[0]] : args) as number[]
  if (step === 0) fail('range() step cannot be zero')
  const count = Math.max(0, Math.ceil(((stop as number) - (start as number)) / step))
  if (count > MAX_RANGE) fail(`range() of ${count} items is too large`)
  return Array.from({ length: count }, (_, i) => (start as number) + i * step)
}

const dict: FunctionFn = (call) => {
  const out: Dict = {}
  if (call.positional.length > 1) fail('dict() takes at most one positional argument')
  const [source] = call.positional
  if (isDict(source)) Object.entries(source).forEach(([k, v]) => setKey(out, k, v))
  else if (Array.isArray(source)) {
    for (const pair of source) {
      if (!Array.isArray(pair) || pair.length !== 2) fail('dict() needs a list of [key, value] pairs')
      setKey(out, keyOf(pair[0]), pair[1])
    }
  } else if (source !== undefined) fail(`dict() cannot take ${describe(source)}`)
  Object.entries(call.named).forEach(([k, v]) => setKey(out, k, v))
  return out
}

/** Ansible's undef(hint): an undefined value whose message, when it is used, is the hint (a role's "set me" default). */
const undef: FunctionFn = (call) => {
  const [hint] = call.positional
  return new Undefined('', hint === undefined || hint === null || hint === '' ? 'Mandatory variable has not been overridden' : toStr(hint))
}

export const FUNCTIONS: Record<string, FunctionFn> = {
  range,
  lookup: (call, ctx) => runLookup(call, ctx, false),
  query: (call, ctx) => runLookup(call, ctx, true),
  q: (call, ctx) => runLookup(call, ctx, true),
  dict,
  now,
  undef,
}
