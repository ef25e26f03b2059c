/** The parsed form of an expression. `text` is the node's own source, used to name undefined values. */

export interface Args {
  positional: Node[]
  named: [string, Node][]
  /** `*items` in a call: its elements follow the positional arguments. */
  spread?: Node
  /** `**options` in a call: its keys join the named arguments. */
  spreadNamed?: Node
}

interface Base {
  text: string
}

export type Node = Base &
  (
    | { kind: 'literal'; value: unknown }
    | { kind: 'name'; name: string }
    | { kind: 'list'; items: Node[] }
    | { kind: 'dict'; entries: [Node, Node][] }
    | { kind: 'attr'; object: Node; name: string }
    | { kind: 'index'; object: Node; index: Node }
    | { kind: 'slice'; object: Node; start?: Node; stop?: Node; step?: Node }
    | { kind: 'unary'; op: '-' | '+' | 'not'; operand: Node }
    | { kind: 'binary'; op: string; left: Node; right: Node }
    | { kind: 'logical'; op: 'and' | 'or'; left: Node; right: Node }
    | { kind: 'compare'; first: Node; rest: { op: string; right: Node }[] }
    | { kind: 'test'; subject: Node; name: string; negated: boolean; args: Args }
    | { kind: 'filter'; input: Node; name: string; args: Args }
    | { kind: 'call'; name: string; args: Args }
    | { kind: 'method'; object: Node; name: string; args: Args }
    /** A call of a value: a macro, `caller()`, a recursive `loop(items)`; only in templates with statements. */
    | { kind: 'invoke'; callee: Node; args: Args }
    | { kind: 'cond'; test: Node; then: Node; else?: Node }
  )

/** A node without its text, as the parser builds it before it knows where the node ends. */
export type NodeFields = Node extends infer N ? (N extends Node ? Omit<N, 'text'> : never) : never
