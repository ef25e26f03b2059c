/** Token-level reading for the parser: lookahead, expectations and syntax errors with offsets. */
import type { Token } from './lexer.js'
import { ExprFailure } from './values.js'

export class TokenStream {
  protected i = 0
  protected lastEnd = 0

  constructor(
    protected readonly source: string,
    protected readonly tokens: Token[],
  ) {}

  protected peek(k = 0): Token {
    return (this.tokens[this.i + k] ?? this.tokens.at(-1)) as Token
  }

  protected next(): Token {
    const token = this.peek()
    if (token.type !== 'eof') this.i++
    this.lastEnd = token.end
    return token
  }

  protected isOp(value: string, k = 0): boolean {
    const t = this.peek(k)
    return t.type === 'op' && t.value === value
  }

  protected isName(value: string, k = 0): boolean {
    const t = this.peek(k)
    return t.type === 'name' && t.value === value
  }

  protected expect(op: string): void {
    if (!this.isOp(op)) throw new ExprFailure(`expected '${op}', found ${describe(this.peek())}`, this.peek().start)
    this.next()
  }

  protected unexpected(token: Token): never {
    throw new ExprFailure(`unexpected ${describe(token)}`, token.start)
  }

  /** The source text from `start` to the end of the last token read: a node's own text. */
  protected textFrom(start: number): string {
    return this.source.slice(start, this.lastEnd)
  }

  /** Items separated by commas up to `close` (a trailing comma is allowed); consumes `close`. */
  protected list<T>(close: string, item: () => T): T[] {
    const items: T[] = []
    while (!this.isOp(close)) {
      items.push(item())
      if (!this.isOp(',')) break
      this.next()
    }
    this.expect(close)
    return items
  }
}

function describe(token: Token): string {
  if (token.type === 'eof') return 'end of expression'
  if (token.type === 'str') return `string '${token.value}'`
  return `'${token.value}'`
}
