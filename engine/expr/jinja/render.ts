/**
 * Renders a statement tree with the one expression evaluator: the same filters, tests,
 * undefined errors and values as every `{{ }}` of a playbook.
 */
import type { Args, Node } from '../ast.js'
import { Callable } from '../callable.js'
import { evalNode } from '../evaluator.js'
import { toList, toStr, truthy } from '../python.js'
import type { CallArgs, Scope } from '../types.js'
import { defined, ExprFailure, fail, setKey, type Dict } from '../values.js'
import { BODY_NAME, CALLER_NAME, type Param, type Stmt, type Target } from './ast.js'
import { EMPTY_SCOPE, Frame, globalsFrame, setAttribute } from './frame.js'
import { loopVariable } from './loop.js'

/** Finds and parses the templates that include, import and from-import name. */
export interface TemplateLoader {
  load(name: string, from: string | undefined): { path: string; body: Stmt[] } | undefined
}

/** A failure while rendering, with the offset of the statement that failed in its template. */
export class RenderFailure extends ExprFailure {
  constructor(
    message: string,
    readonly at: number,
    readonly path: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options)
  }
}

/** A value in the output: None prints as nothing, as Ansible's templar finalizes it. */
function output(value: unknown): string {
  const v = defined(value)
  return v === null ? '' : toStr(v)
}

export class Renderer {
  constructor(
    private readonly loader: TemplateLoader | undefined,
    private readonly path: string | undefined,
  ) {}

  /** The whole template with the task's variables; the frame keeps its top-level names (for import). */
  renderTemplate(body: Stmt[], frame: Frame): string {
    return this.body(body, frame)
  }

  private body(body: Stmt[], frame: Frame): string {
    let out = ''
    for (const stmt of body) {
      try {
        out += this.stmt(stmt, frame)
      } catch (err) {
        if (err instanceof RenderFailure || !(err instanceof ExprFailure) || err.offset !== undefined) throw err
        throw new RenderFailure(err.message, stmt.at, this.path, { cause: err.cause })
      }
    }
    return out
  }

  private eval(node: Node, frame: Scope): unknown {
    return defined(evalNode(node, frame))
  }

  private stmt(stmt: Stmt, frame: Frame): string {
    switch (stmt.kind) {
      case 'text':
        return stmt.text
      case 'output':
        return output(evalNode(stmt.node, frame))
      case 'if': {
        for (const branch of stmt.branches) if (truthy(this.eval(branch.test, frame))) return this.body(branch.body, frame)
        return this.body(stmt.otherwise, frame)
      }
      case 'for':
        return this.forLoop(stmt, this.eval(stmt.iter, frame), frame, 0)
      case 'set':
        this.assign(stmt.target, this.eval(stmt.value, frame), frame)
        return ''
      case 'setblock': {
        const text = this.body(stmt.body, new Frame(frame))
        this.assign(stmt.target, stmt.filter ? this.withBody(stmt.filter, text, frame) : text, frame)
        return ''
      }
      case 'filterblock':
        return output(this.withBody(stmt.filter, this.body(stmt.body, new Frame(frame)), frame))
      case 'macro':
        frame.set(stmt.name, this.macro(stmt.name, stmt.params, stmt.body, frame))
        return ''
      case 'callblock': {
        const inner = new Frame(frame)
        inner.set(CALLER_NAME, this.macro('caller', stmt.params, stmt.body, frame))
        return output(evalNode(withCaller(stmt.call), inner))
      }
      case 'with': {
        const inner = new Frame(frame)
        for (const [name, node] of stmt.assigns) inner.set(name, this.eval(node, frame))
        return this.body(stmt.body, inner)
      }
      case 'block':
        return this.body(stmt.body, frame)
      case 'include':
        return this.include(stmt.template, stmt.ignoreMissing, stmt.withContext, frame)
      case 'import':
        frame.set(stmt.alias, this.module(stmt.template, stmt.withContext, frame))
        return ''
      case 'fromimport': {
        const module = this.module(stmt.template, stmt.withContext, frame)
        for (const [name, alias] of stmt.names) {
          if (!Object.hasOwn(module, name)) fail(`the template does not export '${name}'`)
          frame.set(alias, module[name])
        }
        return ''
      }
    }
  }

  private withBody(filter: Node, text: string, frame: Frame): unknown {
    const inner = new Frame(frame)
    inner.set(BODY_NAME, text)
    return this.eval(filter, inner)
  }

  private assign(target: Target, value: unknown, frame: Frame): void {
    if ('namespace' in target) {
      setAttribute(defined(frame.lookup(target.namespace)), target.namespace, target.attr, value)
      return
    }
    bindNames(target.names, value, frame)
  }

  private forLoop(stmt: Extract<Stmt, { kind: 'for' }>, iterable: unknown, outer: Frame, depth: number): string {
    let items = toList(iterable, `'${stmt.iter.text}'`)
    if (stmt.filter) {
      const cond = stmt.filter
      items = items.filter((item) => {
        const probe = new Frame(outer)
        bindNames(stmt.names, item, probe)
        return truthy(this.eval(cond, probe))
      })
    }
    if (items.length === 0) return this.body(stmt.otherwise, outer)
    const changed: { last?: unknown[] } = {}
    const recurse = stmt.recursive
      ? new Callable('loop', ({ positional }) => this.forLoop(stmt, positional[0], outer, depth + 1))
      : undefined
    let out = ''
    items.forEach((item, i) => {
      const frame = new Frame(outer)
      bindNames(stmt.names, item, frame)
      frame.set('loop', loopVariable(items, i, depth, changed, recurse))
      out += this.body(stmt.body, frame)
    })
    return out
  }

  /** A macro: its arguments, `varargs`, `kwargs` and `caller` in a frame over where it was defined. */
  private macro(name: string, params: Param[], body: Stmt[], defined_in: Frame): Callable {
    return new Callable(name, (call: CallArgs) => {
      const frame = new Frame(defined_in)
      const named: Dict = { ...call.named }
      params.forEach((param, i) => {
        if (i < call.positional.length) frame.set(param.name, call.positional[i])
        else if (Object.hasOwn(named, param.name)) frame.set(param.name, named[param.name])
        else if (param.default) frame.set(param.name, this.eval(param.default, frame))
        delete named[param.name]
      })
      if (Object.hasOwn(named, 'caller')) {
        frame.set('caller', named['caller'])
        delete named['caller']
      }
      frame.set('varargs', call.positional.slice(params.length))
      frame.set('kwargs', named)
      return this.body(body, frame)
    })
  }

  private include(template: Node, ignoreMissing: boolean, withContext: boolean, frame: Frame): string {
    const names = this.eval(template, frame)
    for (const name of Array.isArray(names) ? names : [names]) {
      const found = this.loader?.load(toStr(name), this.path)
      if (!found) continue
      const base = withContext ? new Frame(frame) : globalsFrame(EMPTY_SCOPE)
      return new Renderer(this.loader, found.path).renderTemplate(found.body, base)
    }
    if (ignoreMissing) return ''
    return fail(`template not found: ${toStr(names)}`)
  }

  /** An imported template: its top-level macros and variables, as a dict. */
  private module(template: Node, withContext: boolean, frame: Frame): Dict {
    const name = toStr(this.eval(template, frame))
    const found = this.loader?.load(name, this.path) ?? fail(`template not found: ${name}`)
    const base = new Frame(withContext ? frame : globalsFrame(EMPTY_SCOPE))
    new Renderer(this.loader, found.path).renderTemplate(found.body, base)
    const module: Dict = {}
    for (const [k, v] of base.vars) if (!k.startsWith('_')) setKey(module, k, v)
    return module
  }
}

function bindNames(names: string[], value: unknown, frame: Frame): void {
  if (names.length === 1) {
    frame.set(names[0] as string, value)
    return
  }
  if (names.length === 0) return
  const items = toList(value)
  if (items.length !== names.length) fail(`cannot unpack ${items.length} values into ${names.length} names (${names.join(', ')})`)
  names.forEach((n, i) => frame.set(n, items[i]))
}

/** The call of a call block, with `caller=` the block's body as a macro. */
function withCaller(call: Node): Node {
  const caller: Node = { kind: 'name', name: CALLER_NAME, text: 'caller' }
  const args = (call as { args: Args }).args
  return { ...call, args: { ...args, named: [...args.named, ['caller', caller]] } } as Node
}
