/** to_yaml, to_nice_yaml, from_yaml, from_yaml_all: YAML as Ansible (PyYAML) reads and writes it. */
import { Document, isCollection, isPair, parse as parseYaml, parseAllDocuments, visit, type Scalar, type Tags } from 'yaml'
import { pyyamlTags } from '../yaml.js'
import { PyDatetime } from './datetime.js'
import { floatRepr, isFloat } from './pyfloat.js'
import { needString, params, type CallArgs, type Ctx, type FilterFn } from './types.js'
import { ExprFailure } from './values.js'

/** PyYAML's represent_float: repr, lower case, `1e+20` as `1.0e+20`, `.inf` and `.nan`. */
const FLOAT_OUT = {
  identify: isFloat,
  default: true,
  tag: 'tag:yaml.org,2002:float',
  resolve: (text: string): number => Number(text),
  stringify: (item: Scalar): string => {
    const n = Number(item.value)
    if (Number.isNaN(n)) return '.nan'
    if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf'
    const text = floatRepr(n)
    return text.includes('.') || !text.includes('e') ? text : text.replace('e', '.0e')
  },
}

/** PyYAML's represent_datetime: the isoformat with a space. */
const DATETIME_OUT = {
  identify: (v: unknown): boolean => v instanceof PyDatetime,
  default: true,
  tag: 'tag:yaml.org,2002:timestamp',
  resolve: (text: string): string => text,
  stringify: (item: Scalar): string => (item.value as PyDatetime).isoformat(' '),
}

const writeTags = (tags: Tags): Tags => [FLOAT_OUT, DATETIME_OUT, ...pyyamlTags(tags)]

/**
 * YAML as Ansible's to_yaml / to_nice_yaml write it (PyYAML): keys sorted, single quotes,
 * YAML 1.1 quoting with PyYAML's booleans (so 'yes' stays a string when read back, `y` needs no
 * quotes); to_yaml writes collections of plain values in flow style (`{a: 1}`, `[1, 2]`),
 * to_nice_yaml only in block style.
 */
function yamlOut(input: unknown, call: CallArgs, ctx: Ctx, nice: boolean): string {
  const [indent = nice ? 4 : 2, width] = params(call, ['indent', 'width', 'default_flow_style', 'allow_unicode', 'sort_keys'], ctx)
  const doc = new Document(input, { version: '1.1', customTags: writeTags, sortMapEntries: true })
  if (!nice) {
    visit(doc, {
      Collection(_, node) {
        if (node.items.every((item) => !isCollection(isPair(item) ? item.value : item))) node.flow = true
      },
    })
  }
  return doc.toString({ indent: Number(indent), indentSeq: false, singleQuote: true, lineWidth: width === undefined ? 80 : Number(width), flowCollectionPadding: false })
}

function yamlIn(text: string, all: boolean): unknown {
  try {
    if (!all) return parseYaml(text, { version: '1.1', customTags: pyyamlTags }) ?? null
    return parseAllDocuments(text, { version: '1.1', customTags: pyyamlTags }).map((doc) => {
      if (doc.errors[0]) throw doc.errors[0]
      return doc.toJS() ?? null
    })
  } catch (err) {
    throw new ExprFailure(`'from_yaml' could not read the YAML: ${(err as Error).message.split('\n')[0]}`, undefined, { cause: err })
  }
}

export const YAML_FILTERS: Record<string, FilterFn> = {
  to_yaml: (input, call, ctx) => yamlOut(input, call, ctx, false),
  to_nice_yaml: (input, call, ctx) => yamlOut(input, call, ctx, true),
  from_yaml: (input, call, ctx) => (params(call, [], ctx), yamlIn(needString(input, "the input of 'from_yaml'"), false)),
  from_yaml_all: (input, call, ctx) => (params(call, [], ctx), yamlIn(needString(input, "the input of 'from_yaml_all'"), true)),
}
