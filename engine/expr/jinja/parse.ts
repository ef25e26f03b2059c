/** Builds the statement tree of a template from its chunks. Syntax errors carry source offsets. */
import { Parser } from '../parser.js'
import { tokenize } from '../lexer.js'
import { ExprFailure } from '../values.js'
import type { Stmt } from './ast.js'
import { scan, type Chunk } from './scan.js'
import type { JinjaSettings } from './settings.js'
import { TagParser } from './tag-parser.js'

/** Like the expression parser, but a call to a name that is no function may call a macro. */
class OutputParser extends Parser {
  constructor(source: string, start: number, end: number, literalBackslashes: boolean) {
    super(source, tokenize(source, start, end, literalBackslashes))
    this.dynamicCalls = true
  }
}

interface Body {
  body: Stmt[]
  /** The tag that ended the body (`endfor`, `else`, `elif`) and its parser, positioned after the keyword. */
  end?: { keyword: string; tag: TagParser; at: number }
}

const BLOCK_ENDS: Record<string, string> = {
  for: 'endfor', if: 'endif', macro: 'endmacro', call: 'endcall', filter: 'endfilter', with: 'endwith', block: 'endblock', set: 'endset',
}

class StatementParser {
  private i = 0

  constructor(
    private readonly source: string,
    private readonly chunks: Chunk[],
    private readonly literalBackslashes: boolean,
  ) {}

  template(): Stmt[] {
    const { body, end } = this.body([])
    if (end) throw new ExprFailure(`unexpected '${end.keyword}'`, end.at)
    return body
  }

  /** Statements up to one of `stops` (or the end of the template when stops is empty). */
  private body(stops: string[]): Body {
    const body: Stmt[] = []
    while (this.i < this.chunks.length) {
      const chunk = this.chunks[this.i++] as Chunk
      if (chunk.kind === 'text') {
        body.push({ kind: 'text', text: chunk.text, at: chunk.at })
        continue
      }
      if (chunk.kind === 'var') {
        body.push({ kind: 'output', node: new OutputParser(this.source, chunk.start, chunk.end, this.literalBackslashes).parseAll(), at: chunk.at })
        continue
      }
      const tag = new TagParser(this.source, chunk.start, chunk.end)
      const keyword = tag.keyword()
      if (stops.includes(keyword)) return { body, end: { keyword, tag, at: chunk.at } }
      if (/^(end|else$|elif$)/.test(keyword)) {
        const expected = stops.length ? ` (expected ${stops.map((s) => `'${s}'`).join(' or ')})` : ''
        throw new ExprFailure(`unexpected '${keyword}'${expected}`, chunk.at)
      }
      body.push(this.statement(keyword, tag, chunk.at))
    }
    if (stops.length) throw new ExprFailure(`unexpected end of template: a block is not closed by '${stops.at(-1)}'`, this.chunks.at(-1)?.at)
    return { body }
  }

  /** The body of a block statement up to its end tag, which must be bare. */
  private closed(keyword: string): Stmt[] {
    const end = BLOCK_ENDS[keyword] as string
    // What follows an end tag's keyword is ignored: `{% endblock name %}` and `{% endmacro name %}` repeat a name.
    return this.body([end]).body
  }

  private statement(keyword: string, tag: TagParser, at: number): Stmt {
    switch (keyword) {
      case 'if':
        return this.ifStatement(tag, at)
      case 'for':
        return this.forStatement(tag, at)
      case 'set': {
        const target = tag.target()
        if (tag.atOp('=')) {
          tag.expectOp('=')
          const value = tag.tupleExpression()
          tag.end()
          return { kind: 'set', target, value, at }
        }
        const filter = tag.atOp('|') ? (tag.expectOp('|'), tag.filterChain()) : undefined
        tag.end()
        return { kind: 'setblock', target, filter, body: this.closed('set'), at }
      }
      case 'macro': {
        const name = tag.name()
        const params = tag.params()
        tag.end()
        return { kind: 'macro', name, params, body: this.closed('macro'), at }
      }
      case 'call': {
        const params = tag.atOp('(') ? tag.params() : []
        const call = tag.expression()
        tag.end()
        if (call.kind !== 'invoke' && call.kind !== 'method' && call.kind !== 'call') throw new ExprFailure('a call block needs a macro call', at)
        return { kind: 'callblock', params, call, body: this.closed('call'), at }
      }
      case 'filter': {
        const filter = tag.filterChain()
        tag.end()
        return { kind: 'filterblock', filter, body: this.closed('filter'), at }
      }
      case 'with': {
        const assigns: [string, ReturnType<TagParser['expression']>][] = []
        while (!tag.atEnd()) {
          const name = tag.name()
          tag.expectOp('=')
          assigns.push([name, tag.expression()])
          if (!tag.atOp(',')) break
          tag.expectOp(',')
        }
        tag.end()
        return { kind: 'with', assigns, body: this.closed('with'), at }
      }
      case 'block': {
        tag.name()
        tag.end()
        return { kind: 'block', body: this.closed('block'), at }
      }
      case 'include': {
        const template = tag.expression()
        const ignoreMissing = tag.skipKeyword('ignore') ? (tag.expectKeyword('missing'), true) : false
        const withContext = tag.context(true)
        tag.end()
        return { kind: 'include', template, ignoreMissing, withContext, at }
      }
      case 'import': {
        const template = tag.expression()
        tag.expectKeyword('as')
        const alias = tag.name()
        const withContext = tag.context(false)
        tag.end()
        return { kind: 'import', template, alias, withContext, at }
      }
      case 'from': {
        const template = tag.expression()
        tag.expectKeyword('import')
        const names: [string, string][] = []
        while (!tag.atEnd() && !tag.isKeyword('with') && !tag.isKeyword('without')) {
          const name = tag.name()
          names.push([name, tag.skipKeyword('as') ? tag.name() : name])
          if (!tag.atOp(',')) break
          tag.expectOp(',')
        }
        const withContext = tag.context(false)
        tag.end()
        return { kind: 'fromimport', template, names, withContext, at }
      }
      default:
        throw new ExprFailure(`unknown tag '${keyword}'`, at)
    }
  }

  private ifStatement(tag: TagParser, at: number): Stmt {
    const branches: { test: ReturnType<TagParser['expression']>; body: Stmt[] }[] = []
    let test = tag.expression()
    tag.end()
    for (;;) {
      const { body, end } = this.body(['elif', 'else', 'endif'])
      branches.push({ test, body })
      if (!end || end.keyword === 'endif') return { kind: 'if', branches, otherwise: [], at }
      if (end.keyword === 'else') {
        end.tag.end()
        return { kind: 'if', branches, otherwise: this.closed('if'), at }
      }
      test = end.tag.expression()
      end.tag.end()
    }
  }

  private forStatement(tag: TagParser, at: number): Stmt {
    const names = tag.names()
    tag.expectKeyword('in')
    const iter = tag.expression(true)
    const filter = tag.skipKeyword('if') ? tag.expression(true) : undefined
    const recursive = tag.skipKeyword('recursive')
    tag.end()
    const { body, end } = this.body(['else', 'endfor'])
    const otherwise = end?.keyword === 'else' ? (end.tag.end(), this.closed('for')) : []
    return { kind: 'for', names, iter, filter, body, otherwise, recursive, at }
  }
}

export function parseStatements(source: string, settings: JinjaSettings): Stmt[] {
  return new StatementParser(source, scan(source, settings), settings.literalBackslashes ?? false).template()
}
