/** The statement tree of a Jinja2 template. `at` is the source offset of the tag, for messages. */
import type { Node } from '../ast.js'

export interface Param {
  name: string
  default?: Node
}

/** What `set` and `for` assign to: names (several unpack a tuple), or a namespace attribute. */
export type Target = { names: string[] } | { namespace: string; attr: string }

export type Stmt = { at: number } & (
  | { kind: 'text'; text: string }
  | { kind: 'output'; node: Node }
  | { kind: 'if'; branches: { test: Node; body: Stmt[] }[]; otherwise: Stmt[] }
  | { kind: 'for'; names: string[]; iter: Node; filter?: Node; body: Stmt[]; otherwise: Stmt[]; recursive: boolean }
  | { kind: 'set'; target: Target; value: Node }
  | { kind: 'setblock'; target: Target; filter?: Node; body: Stmt[] }
  | { kind: 'macro'; name: string; params: Param[]; body: Stmt[] }
  | { kind: 'callblock'; params: Param[]; call: Node; body: Stmt[] }
  | { kind: 'filterblock'; filter: Node; body: Stmt[] }
  | { kind: 'with'; assigns: [string, Node][]; body: Stmt[] }
  | { kind: 'block'; body: Stmt[] }
  | { kind: 'include'; template: Node; ignoreMissing: boolean; withContext: boolean }
  | { kind: 'import'; template: Node; alias: string; withContext: boolean }
  | { kind: 'fromimport'; template: Node; names: [string, string][]; withContext: boolean }
)

/** The name a filter block or `set x | f` binds its rendered body to (no template can write it). */
export const BODY_NAME = ' body'
/** The name a call block binds its `caller` to, passed on as the `caller` argument. */
export const CALLER_NAME = ' caller'
