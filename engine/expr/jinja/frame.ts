/**
 * Jinja2's scopes: a frame holds the names a template block binds (loop variables, `set`,
 * macro arguments) on top of its parent. A for loop's or macro's frame is thrown away after it,
 * so `set` inside a loop does not leak; namespace() objects are how a loop changes outer state.
 */
import { Callable } from '../callable.js'
import type { Scope } from '../types.js'
import { fail, isDict, MISSING, setKey, type Dict } from '../values.js'

export class Frame implements Scope {
  readonly vars = new Map<string, unknown>()

  constructor(readonly parent: Scope) {}

  lookup(name: string): unknown {
    return this.vars.has(name) ? this.vars.get(name) : this.parent.lookup(name)
  }

  set(name: string, value: unknown): void {
    this.vars.set(name, value)
  }
}

const namespaces = new WeakSet<object>()

/** `namespace(a=1)`: the one kind of object a template may assign attributes to. */
export const NAMESPACE = new Callable('namespace', ({ positional, named }) => {
  const ns: Dict = {}
  for (const init of positional) {
    if (!isDict(init)) fail('namespace() takes a dict or keyword arguments')
    for (const [k, v] of Object.entries(init)) setKey(ns, k, v)
  }
  for (const [k, v] of Object.entries(named)) setKey(ns, k, v)
  namespaces.add(ns)
  return ns
})

export function setAttribute(target: unknown, name: string, attr: string, value: unknown): void {
  if (!isDict(target) || !namespaces.has(target)) fail(`cannot assign attribute '${attr}' on '${name}': it is not a namespace()`)
  setKey(target, attr, value)
}

/** The globals every template sees under the task's variables. */
export function globalsFrame(parent: Scope): Frame {
  const frame = new Frame(parent)
  frame.set('namespace', NAMESPACE)
  return frame
}

export const EMPTY_SCOPE: Scope = { lookup: () => MISSING }
