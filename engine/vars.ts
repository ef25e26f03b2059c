/**
 * Variable scopes: layers of variables from lowest to highest precedence, resolved lazily.
 * A value holding `{{ }}` is rendered when it is read, in the scope that reads it (as Ansible
 * does), so play vars can use facts and role defaults can use inventory vars.
 *
 * Only what the user wrote is a template. A layer of data (facts, registered results,
 * set_fact, loop items: values a host sent or a template already produced) is read as it is:
 * rendering it again would run whatever `{{ }}` a host printed on the controller, with its
 * lookups and secrets. A render's output is therefore never rendered again.
 */
import { TemplateError, UndefinedVariableError } from './errors.js'
import { MISSING, evaluate, render, Undefined, type Scope } from './expr/index.js'
import type { VarsView } from './module.js'

export interface VarLayer {
  /** Where the layer came from, for `tsplay` debugging output ('role defaults web', 'play vars', ...). */
  source: string
  vars: Readonly<Record<string, unknown>>
  /**
   * Set for values that are data, not templates: what hosts reported (facts, registered
   * results) and what templates already produced (set_fact, loop items). They are never rendered.
   */
  data?: boolean
}

/** A layer of data (see VarLayer.data). */
export function dataLayer(source: string, vars: Readonly<Record<string, unknown>>): VarLayer {
  return { source, vars, data: true }
}

export class VarScope implements Scope, VarsView {
  private readonly resolved = new Map<string, unknown>()
  private readonly resolving = new Set<string>()

  constructor(readonly layers: readonly VarLayer[]) {}

  /** A new scope with more layers on top (higher precedence). */
  with(...layers: VarLayer[]): VarScope {
    return new VarScope([...this.layers, ...layers])
  }

  /** The unrendered value and the layer it comes from (`data` when it is never rendered). */
  raw(name: string): { value: unknown; source: string; data: boolean } | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i] as VarLayer
      if (Object.prototype.hasOwnProperty.call(layer.vars, name)) return { value: layer.vars[name], source: layer.source, data: layer.data ?? false }
    }
    return undefined
  }

  unrendered(name: string): unknown {
    const found = this.raw(name)
    return found ? found.value : MISSING
  }

  lookup(name: string): unknown {
    if (this.resolved.has(name)) return this.resolved.get(name)
    const found = this.raw(name)
    if (!found) return MISSING
    if (found.data) return found.value
    if (this.resolving.has(name)) {
      throw new TemplateError(`recursive loop detected in template: '${name}' refers to itself (from ${found.source})`)
    }
    this.resolving.add(name)
    try {
      const value = renderLazily(found.value, this)
      this.resolved.set(name, value)
      return value
    } finally {
      this.resolving.delete(name)
    }
  }

  /** The variable's value; throws when it is defined by a template that uses an undefined one. */
  get(name: string): unknown {
    const value = this.lookup(name)
    if (value instanceof Undefined) throw new UndefinedVariableError(value.message)
    return value === MISSING ? undefined : value
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined
  }

  names(): string[] {
    const all = new Set<string>()
    for (const layer of this.layers) for (const key of Object.keys(layer.vars)) all.add(key)
    return [...all]
  }

  render(value: unknown): unknown {
    return render(value, this)
  }

  evaluate(expression: string): unknown {
    return evaluate(expression, this)
  }

  /**
   * A plain-looking object whose properties are this scope's variables, rendered on access:
   * what EJS templates and `hostvars[host]` see. For EJS a lazily undefined variable throws.
   * `hostvars` (`asHostvars`) renders as Ansible's HostVarsVars does (fail_on_undefined=False): a
   * variable whose template uses an undefined one reads as its text as written, and an absent one
   * is an Undefined, so that `| default()` and `is defined` work on it as on a plain variable.
   */
  asObject(asHostvars = false): Record<string, unknown> {
    const names = () => this.names()
    const read = (key: string): unknown => {
      if (!asHostvars) return this.get(key)
      const value = this.lookup(key)
      if (value instanceof Undefined && value.written !== undefined) return value.written
      return value === MISSING ? undefined : value
    }
    return new Proxy({} as Record<string, unknown>, {
      get: (_t, key) => (typeof key === 'string' ? read(key) : undefined),
      has: (_t, key) => typeof key === 'string' && this.has(key),
      ownKeys: () => names(),
      getOwnPropertyDescriptor: (_t, key) =>
        typeof key === 'string' && this.has(key) ? { enumerable: true, configurable: true, writable: false, value: read(key) } : undefined,
    })
  }
}

/**
 * A variable whose template uses an undefined variable is itself undefined, not an error,
 * until it is used: `x is undefined` and `x | default(...)` work on it (Ansible 2.14's lazy
 * AnsibleJ2Vars); using it fails with the inner variable's message.
 */
function renderLazily(value: unknown, scope: VarScope): unknown {
  try {
    return render(value, scope)
  } catch (err) {
    if (err instanceof UndefinedVariableError) return new Undefined('', err.message, value)
    throw err
  }
}

/**
 * A lazily built mapping (hostvars): name -> value, computed on first access. `alsoFound` are
 * names a lookup finds that are not listed (the implicit localhost: `hostvars['localhost']`
 * works, as Ansible's inventory makes it on demand, but iterating hostvars does not show it).
 */
export function lazyMapping(keys: () => string[], get: (key: string) => unknown, alsoFound: (key: string) => boolean = () => false): Record<string, unknown> {
  const cache = new Map<string, unknown>()
  const read = (key: string): unknown => {
    if (!cache.has(key)) cache.set(key, get(key))
    return cache.get(key)
  }
  const found = (key: string): boolean => keys().includes(key) || alsoFound(key)
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, key) => (typeof key === 'string' && found(key) ? read(key) : undefined),
    has: (_t, key) => typeof key === 'string' && found(key),
    ownKeys: () => keys(),
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && found(key) ? { enumerable: true, configurable: true, writable: false, value: read(key) } : undefined,
  })
}
