/**
 * A Pratt parser with Jinja2's precedence, extended with JavaScript's `&&`, `||`, `!`,
 * `===`, `!==` and `c ? a : b`. Binding powers, loosest first:
 *
 *   if-else, ?:  <  or ||  <  and &&  <  not !  <  comparisons, in, not in  <  + -  <  ~
 *   <  * / // %  <  **  <  | filter, is test  <  unary - +  <  . [] ()
 *
 * All binary operators group left to right, `**` too (Jinja's `2 ** 3 ** 2` is 64).
 * As in Jinja, filters bind tighter than arithmetic (`a | default(1) * 2` is
 * `(a | default(1)) * 2`) and unary minus binds tighter than filters (`-1 | abs` is 1).
 */
import type { Args, Node, NodeFields } from './ast.js'
import { tokenize } from './lexer.js'
import { TokenStream } from './tokens.js'
import { FILTERS } from './filters.js'
import { FUNCTIONS } from './functions.js'
import { float } from './pyfloat.js'
import { TESTS } from './tests.js'
import { resolveName, unknownMessage } from './suggest.js'
import { ExprFailure } from './values.js'

const BP = { cond: 10, or: 20, and: 30, not: 40, compare: 50, add: 60, concat: 65, mul: 70, pow: 80, filter: 90, postfix: 100 }

const OP_BP: Record<string, number> = {
  '?': BP.cond, '||': BP.or, '&&': BP.and,
  '==': BP.compare, '!=': BP.compare, '===': BP.compare, '!==': BP.compare,
  '<': BP.compare, '>': BP.compare, '<=': BP.compare, '>=': BP.compare,
  '+': BP.add, '-': BP.add, '~': BP.concat, '*': BP.mul, '/': BP.mul, '//': BP.mul, '%': BP.mul,
  '**': BP.pow, '|': BP.filter, '.': BP.postfix, '[': BP.postfix, '(': BP.postfix,
}
const COMPARE_OPS = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>='])
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else'])
const LITERALS: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null, null: null }

/** Parses `source.slice(start, end)`; offsets in errors are relative to the whole source. */
/** `literalBackslashes`: a `{{ }}` of a playbook string (see tokenize). */
export function parse(source: string, start = 0, end = source.length, literalBackslashes = false): Node {
  return new Parser(source, tokenize(source, start, end, literalBackslashes)).parseAll()
}

export class Parser extends TokenStream {
  /** Set in templates with statements: a call to a name that is no function calls a macro (or `caller`, `loop`). */
  protected dynamicCalls = false

  parseAll(): Node {
    const node = this.expr(0)
    if (this.peek().type !== 'eof') this.unexpected(this.peek())
    return node
  }

  protected expr(minBp: number): Node {
    const start = this.peek().start
    let left = this.prefix()
    for (;;) {
      const bp = this.infixBp()
      if (bp <= minBp) return left
      left = this.infix(left, start, bp)
    }
  }

  private infixBp(): number {
    const t = this.peek()
    if (t.type === 'op') return OP_BP[t.value] ?? 0
    if (t.type !== 'name') return 0
    switch (t.value) {
      case 'if': return BP.cond
      case 'or': return BP.or
      case 'and': return BP.and
      case 'in': return BP.compare
      case 'not': return this.isName('in', 1) ? BP.compare : 0
      case 'is': return BP.filter
      default: return 0
    }
  }

  private prefix(): Node {
    const start = this.peek().start
    const t = this.next()
    const node = (fields: NodeFields): Node => ({ ...fields, text: this.textFrom(start) }) as Node
    if (t.type === 'num') return node({ kind: 'literal', value: /[.eE]/.test(t.value) ? float(t.num as number) : t.num })
    if (t.type === 'str') {
      let value = t.value
      while (this.peek().type === 'str') value += this.next().value // 'a' 'b' is 'ab', as in Python
      return node({ kind: 'literal', value })
    }
    if (t.type === 'name') {
      if (Object.hasOwn(LITERALS, t.value)) return node({ kind: 'literal', value: LITERALS[t.value] })
      if (t.value === 'not') return node({ kind: 'unary', op: 'not', operand: this.expr(BP.not) })
      if (RESERVED.has(t.value)) this.unexpected(t)
      return node({ kind: 'name', name: t.value })
    }
    if (t.type === 'op') {
      switch (t.value) {
        case '!':
          return node({ kind: 'unary', op: 'not', operand: this.expr(BP.not) })
        case '-':
        case '+':
          return node({ kind: 'unary', op: t.value, operand: this.expr(BP.filter) })
        case '(':
          return this.parenthesized(start)
        case '[': {
          const items = this.list(']', () => this.expr(0))
          return node({ kind: 'list', items })
        }
        case '{': {
          const entries = this.list('}', () => this.dictEntry())
          return node({ kind: 'dict', entries })
        }
      }
    }
    return this.unexpected(t)
  }

  /** `(a)` groups; `(a, b)` and `()` are Python tuples, which are lists here. */
  private parenthesized(start: number): Node {
    if (this.isOp(')')) {
      this.next()
      return { kind: 'list', items: [], text: this.textFrom(start) }
    }
    const first = this.expr(0)
    if (!this.isOp(',')) {
      this.expect(')')
      return first
    }
    this.next()
    const items = [first, ...this.list(')', () => this.expr(0))]
    return { kind: 'list', items, text: this.textFrom(start) }
  }

  private dictEntry(): [Node, Node] {
    const t = this.peek()
    // `{name: 1}` has the key 'name' as in JavaScript (in Jinja it would be the variable's value).
    const key: Node =
      t.type === 'name' && this.isOp(':', 1) && !Object.hasOwn(LITERALS, t.value)
        ? (this.next(), { kind: 'literal', value: t.value, text: t.value })
        : this.expr(0)
    this.expect(':')
    return [key, this.expr(0)]
  }

  private infix(left: Node, start: number, bp: number): Node {
    const t = this.next()
    const node = (fields: NodeFields): Node => ({ ...fields, text: this.textFrom(start) }) as Node
    const op = t.value
    if (t.type === 'name') {
      switch (op) {
        case 'if': {
          const test = this.expr(BP.cond)
          const otherwise = this.isName('else') ? (this.next(), this.expr(BP.cond - 1)) : undefined
          return node({ kind: 'cond', test, then: left, else: otherwise })
        }
        case 'or':
        case 'and':
          return node({ kind: 'logical', op, left, right: this.expr(bp) })
        case 'is':
          return this.test(left, start)
        default: // 'in', 'not in'
          this.i-- // re-read the operator in the comparison loop
          return this.compare(left, start)
      }
    }
    switch (op) {
      case '?': {
        const then = this.expr(0)
        this.expect(':')
        return node({ kind: 'cond', test: left, then, else: this.expr(BP.cond - 1) })
      }
      case '||':
        return node({ kind: 'logical', op: 'or', left, right: this.expr(bp) })
      case '&&':
        return node({ kind: 'logical', op: 'and', left, right: this.expr(bp) })
      case '|':
        return this.filter(left, start)
      case '.':
        return this.attribute(left, start)
      case '[':
        return this.subscript(left, start)
      case '(':
        return this.call(left, start)
    }
    if (COMPARE_OPS.has(op)) {
      this.i--
      return this.compare(left, start)
    }
    return node({ kind: 'binary', op, left, right: this.expr(bp) })
  }

  /** `a < b <= c` chains as in Python: (a < b) and (b <= c). */
  private compare(first: Node, start: number): Node {
    const rest: { op: string; right: Node }[] = []
    for (;;) {
      const t = this.peek()
      let op: string
      if (t.type === 'op' && COMPARE_OPS.has(t.value)) op = t.value
      else if (this.isName('in')) op = 'in'
      else if (this.isName('not') && this.isName('in', 1)) op = 'not in'
      else break
      this.next()
      if (op === 'not in') this.next()
      rest.push({ op, right: this.expr(BP.compare) })
    }
    return { kind: 'compare', first, rest, text: this.textFrom(start) }
  }

  /** A filter or test name, possibly collection-qualified: `ansible.builtin.to_json`. */
  private dottedName(): string {
    const t = this.next()
    if (t.type !== 'name') this.unexpected(t)
    let name = t.value
    while (this.isOp('.') && this.peek(1).type === 'name') {
      this.next()
      name += '.' + this.next().value
    }
    return name
  }

  private args(): Args {
    const args: Args = { positional: [], named: [] }
    this.list(')', () => {
      const t = this.peek()
      // Jinja's `f(a, *rest, **options)`: Python's unpacking in a call.
      if (this.isOp('**')) {
        this.next()
        args.spreadNamed = this.expr(0)
      } else if (this.isOp('*')) {
        this.next()
        args.spread = this.expr(0)
      } else if (t.type === 'name' && this.isOp('=', 1)) {
        this.next()
        this.next()
        args.named.push([t.value, this.expr(0)])
      } else {
        args.positional.push(this.expr(0))
      }
    })
    return args
  }

  protected filter(input: Node, start: number): Node {
    const name = this.dottedName()
    const resolved = resolveName(name, FILTERS)
    if (!resolved) throw new ExprFailure(unknownMessage('filter', name, Object.keys(FILTERS)))
    const args = this.isOp('(') ? (this.next(), this.args()) : { positional: [], named: [] }
    return { kind: 'filter', input, name: resolved, args, text: this.textFrom(start) }
  }

  private test(subject: Node, start: number): Node {
    const negated = this.isName('not') && this.peek(1).type === 'name' ? (this.next(), true) : false
    const name = this.dottedName()
    const resolved = resolveName(name, TESTS)
    if (!resolved) throw new ExprFailure(unknownMessage('test', name, Object.keys(TESTS)))
    let args: Args = { positional: [], named: [] }
    if (this.isOp('(')) {
      this.next()
      args = this.args()
    } else if (this.startsArgument()) {
      // `x is divisibleby 3`: Jinja's one-argument form without parentheses.
      args.positional.push(this.expr(BP.filter))
    }
    return { kind: 'test', subject, name: resolved, negated, args, text: this.textFrom(start) }
  }

  private startsArgument(): boolean {
    const t = this.peek()
    if (t.type === 'num' || t.type === 'str') return true
    if (t.type === 'name') return !RESERVED.has(t.value)
    return t.type === 'op' && (t.value === '[' || t.value === '{')
  }

  private attribute(object: Node, start: number): Node {
    const t = this.next()
    if (t.type !== 'name' && t.type !== 'num') this.unexpected(t)
    return { kind: 'attr', object, name: t.value, text: this.textFrom(start) }
  }

  private subscript(object: Node, start: number): Node {
    const part = (): Node | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.expr(0))
    const first = part()
    if (first && this.isOp(']')) {
      this.next()
      return { kind: 'index', object, index: first, text: this.textFrom(start) }
    }
    this.expect(':')
    const stop = part()
    const step = this.isOp(':') ? (this.next(), part()) : undefined
    this.expect(']')
    return { kind: 'slice', object, start: first, stop, step, text: this.textFrom(start) }
  }

  private call(callee: Node, start: number): Node {
    if (callee.kind === 'attr') {
      const args = this.args()
      return { kind: 'method', object: callee.object, name: callee.name, args, text: this.textFrom(start) }
    }
    if (callee.kind !== 'name') throw new ExprFailure('only functions and methods can be called', this.lastEnd - 1)
    const resolved = resolveName(callee.name, FUNCTIONS)
    if (!resolved && this.dynamicCalls) return { kind: 'invoke', callee, args: this.args(), text: this.textFrom(start) }
    if (!resolved) throw new ExprFailure(unknownMessage('function', callee.name, Object.keys(FUNCTIONS)))
    return { kind: 'call', name: resolved, args: this.args(), text: this.textFrom(start) }
  }
}
