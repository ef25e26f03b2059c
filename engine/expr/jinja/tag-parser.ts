/** Reads the inside of one `{% %}` tag with the expression parser: `for k, v in d.items() if x`. */
import type { Node } from '../ast.js'
import { tokenize } from '../lexer.js'
import { Parser } from '../parser.js'
import { ExprFailure } from '../values.js'
import { BODY_NAME, type Param, type Target } from './ast.js'

export class TagParser extends Parser {
  constructor(source: string, start: number, end: number) {
    super(source, tokenize(source, start, end))
    this.dynamicCalls = true
  }

  keyword(): string {
    const t = this.peek()
    if (t.type !== 'name') throw new ExprFailure(t.type === 'eof' ? 'empty tag' : `expected a tag name, found '${t.value}'`, t.start)
    this.next()
    return t.value
  }

  isKeyword(value: string): boolean {
    return this.isName(value)
  }

  skipKeyword(value: string): boolean {
    if (!this.isName(value)) return false
    this.next()
    return true
  }

  expectKeyword(value: string): void {
    if (!this.skipKeyword(value)) throw new ExprFailure(`expected '${value}', found '${this.peek().value || 'end of tag'}'`, this.peek().start)
  }

  name(): string {
    const t = this.next()
    if (t.type !== 'name') this.unexpected(t)
    return t.value
  }

  atOp(op: string): boolean {
    return this.isOp(op)
  }

  expectOp(op: string): void {
    this.expect(op)
  }

  end(): void {
    if (this.peek().type !== 'eof') this.unexpected(this.peek())
  }

  atEnd(): boolean {
    return this.peek().type === 'eof'
  }

  /** An expression that stops before `if`, as a for loop's iterable must. */
  expression(stopAtIf = false): Node {
    return this.expr(stopAtIf ? 10 : 0)
  }

  /** `a, b` without parentheses is a tuple, as on the right of `set a, b = 1, 2`. */
  tupleExpression(): Node {
    const start = this.peek().start
    const first = this.expr(0)
    if (!this.isOp(',')) return first
    const items = [first]
    while (this.isOp(',')) {
      this.next()
      if (this.atEnd()) break
      items.push(this.expr(0))
    }
    return { kind: 'list', items, text: this.textFrom(start) }
  }

  /** `x`, `k, v`, `(k, v)`. */
  names(): string[] {
    const paren = this.isOp('(') ? (this.next(), true) : false
    const names = [this.name()]
    while (this.isOp(',')) {
      this.next()
      names.push(this.name())
    }
    if (paren) this.expect(')')
    return names
  }

  target(): Target {
    if (this.peek().type === 'name' && this.isOp('.', 1)) {
      const namespace = this.name()
      this.next()
      return { namespace, attr: this.name() }
    }
    return { names: this.names() }
  }

  /** `(a, b=1, c='x')` of a macro or call block. */
  params(): Param[] {
    const params: Param[] = []
    this.expect('(')
    this.list(')', () => {
      const name = this.name()
      params.push(this.isOp('=') ? (this.next(), { name, default: this.expr(0) }) : { name })
    })
    return params
  }

  /** `upper | replace('a', 'b')`: filters applied to the body, which the renderer binds. */
  filterChain(): Node {
    const start = this.peek().start
    let node: Node = { kind: 'name', name: BODY_NAME, text: 'the block' }
    node = this.filter(node, start)
    while (this.isOp('|')) {
      this.next()
      node = this.filter(node, start)
    }
    return node
  }

  /** `with context` / `without context` after include and import; the default is given. */
  context(byDefault: boolean): boolean {
    if ((this.isName('with') || this.isName('without')) && this.isName('context', 1)) {
      const value = this.next().value === 'with'
      this.next()
      return value
    }
    return byDefault
  }
}
