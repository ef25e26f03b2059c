/** Walks the AST. Undefined flows only where the language allows it (see values.ts). */
import type { Args, Node } from './ast.js'
import { asCallable } from './callable.js'
import { FILTERS, UNDEFINED_ARGS, UNDEFINED_INPUT } from './filters.js'
import { FUNCTIONS } from './functions.js'
import { callMethod } from './methods.js'
import { binary, compareOp, getAttr, getItem, slice, unary } from './operators.js'
import { keyOf, truthy } from './python.js'
import { resolveName, unknownMessage } from './suggest.js'
import { TESTS, UNDEFINED_TESTS } from './tests.js'
import type { CallArgs, Ctx, Scope } from './types.js'
import { defined, fail, FORBIDDEN_NAMES, isDict, MISSING, OMIT, setKey, Undefined, type Dict } from './values.js'

export function evalNode(node: Node, scope: Scope): unknown {
  return new Evaluator(scope).eval(node)
}

/** The functions whose positional arguments after the plugin's name are a lookup's terms. */
const LOOKUP_FUNCTIONS = new Set(['lookup', 'query', 'q'])

/** Renders a playbook string; set by index.ts (the renderer sits above this evaluator). */
let renderTemplate: (text: string, scope: Scope) => unknown = (text) => text
export function setTermRenderer(render: (text: string, scope: Scope) => unknown): void {
  renderTemplate = render
}

/**
 * A lookup's term written in the playbook as a string literal that holds `{{ }}` is itself a
 * template, rendered before the plugin runs, as Ansible's listify_lookup_plugin_terms does
 * (`lookup('pipe', '{{ python }} -V')`). Only literals: a term computed from a variable's value
 * is that value, and text that came from a host is never read as a template.
 */
function literalTerm(node: Node): node is Node & { kind: 'literal'; value: string } {
  return node.kind === 'literal' && typeof node.value === 'string' && (node.value.includes('{{') || node.value.includes('{%'))
}

class Evaluator {
  constructor(private readonly scope: Scope) {}

  /** A value that must be defined: every use but the few that accept Undefined. */
  private value(node: Node): unknown {
    return defined(this.eval(node))
  }

  eval(node: Node): unknown {
    switch (node.kind) {
      case 'literal':
        return node.value
      case 'name':
        return this.lookup(node.name)
      case 'list':
        return node.items.map((item) => this.value(item))
      case 'dict': {
        const out: Dict = {}
        for (const [k, v] of node.entries) setKey(out, keyOf(this.value(k)), this.value(v))
        return out
      }
      case 'attr':
        return getAttr(this.eval(node.object), node.name, node.text, node.object.text)
      case 'index':
        return getItem(this.eval(node.object), this.value(node.index), node.text, node.object.text)
      case 'slice': {
        const part = (n: Node | undefined): unknown => (n ? this.value(n) : undefined)
        return slice(this.value(node.object), part(node.start), part(node.stop), part(node.step))
      }
      case 'unary':
        return node.op === 'not' ? !truthy(this.value(node.operand)) : unary(node.op, this.value(node.operand))
      case 'binary':
        return binary(node.op, this.value(node.left), this.value(node.right))
      case 'logical': {
        const left = this.value(node.left)
        if (node.op === 'and') return truthy(left) ? this.value(node.right) : left
        return truthy(left) ? left : this.value(node.right)
      }
      case 'compare': {
        let left = this.value(node.first)
        for (const { op, right } of node.rest) {
          const r = this.value(right)
          if (!compareOp(op, left, r)) return false
          left = r
        }
        return true
      }
      case 'test': {
        const subject = this.eval(node.subject)
        const result = this.test(node.name, subject, this.args(node.args, false))
        return node.negated ? !result : result
      }
      case 'filter': {
        const input = this.eval(node.input)
        const result = this.filter(node.name, input, this.args(node.args, UNDEFINED_ARGS.has(node.name)))
        // An Undefined made by a filter (`[] | first`) is named after the expression that made it.
        return result instanceof Undefined && !result.path ? new Undefined(node.text, result.hint) : result
      }
      case 'call': {
        const fn = FUNCTIONS[node.name] ?? fail(`unknown function '${node.name}'`)
        const call = this.args(node.args, false)
        if (LOOKUP_FUNCTIONS.has(node.name)) {
          node.args.positional.forEach((arg, i) => {
            if (i > 0 && literalTerm(arg)) call.positional[i] = renderTemplate(arg.value, this.scope)
          })
        }
        return fn(call, this.ctx(node.name))
      }
      case 'method': {
        const object = this.value(node.object)
        // `m.macro(x)` of an imported template, `loop.cycle('a', 'b')`: a callable attribute.
        const own = isDict(object) && Object.hasOwn(object, node.name) ? asCallable(object[node.name]) : undefined
        if (own) return own.call(this.args(node.args, false))
        return callMethod(object, node.name, this.args(node.args, false), this.ctx(node.name))
      }
      case 'invoke': {
        const callee = asCallable(this.value(node.callee)) ?? fail(`'${node.callee.text}' is not callable`)
        return callee.call(this.args(node.args, false))
      }
      case 'cond':
        if (truthy(this.value(node.test))) return this.eval(node.then)
        // Jinja renders a missing else as empty; strict undefined would make `a if c` useless.
        return node.else ? this.eval(node.else) : ''
    }
  }

  private lookup(name: string): unknown {
    const value = FORBIDDEN_NAMES.has(name) ? MISSING : this.scope.lookup(name)
    if (value === MISSING || typeof value === 'function') return name === 'omit' ? OMIT : new Undefined(name)
    return value
  }

  private args(args: Args, allowUndefined: boolean): CallArgs {
    const get = (n: Node): unknown => (allowUndefined ? this.eval(n) : this.value(n))
    const named: Dict = {}
    for (const [k, v] of args.named) setKey(named, k, get(v))
    const positional = args.positional.map(get)
    if (args.spread) {
      const items = this.value(args.spread)
      if (!Array.isArray(items)) fail(`'*${args.spread.text}' must be a list to unpack into the call`)
      positional.push(...(items as unknown[]))
    }
    if (args.spreadNamed) {
      const options = this.value(args.spreadNamed)
      if (!isDict(options)) fail(`'**${args.spreadNamed.text}' must be a mapping to unpack into the call`)
      for (const [k, v] of Object.entries(options as Dict)) setKey(named, k, v)
    }
    return { positional, named }
  }

  private ctx(name: string): Ctx {
    return {
      name,
      scope: this.scope,
      filter: (n, input, call) => this.filter(this.resolve(n, FILTERS, 'filter'), input, call),
      test: (n, value, call) => this.test(this.resolve(n, TESTS, 'test'), value, call),
    }
  }

  private resolve(name: string, registry: Readonly<Record<string, unknown>>, what: string): string {
    return resolveName(name, registry) ?? fail(unknownMessage(what, name, Object.keys(registry)))
  }

  private filter(name: string, input: unknown, call: CallArgs): unknown {
    const fn = FILTERS[name] ?? fail(`unknown filter '${name}'`)
    return fn(UNDEFINED_INPUT.has(name) ? input : defined(input), call, this.ctx(name))
  }

  private test(name: string, value: unknown, call: CallArgs): boolean {
    const fn = TESTS[name] ?? fail(`unknown test '${name}'`)
    return fn(UNDEFINED_TESTS.has(name) ? value : defined(value), call, this.ctx(name))
  }
}
