/**
 * YAML loading that remembers where every mapping, sequence and key came from, so that
 * errors found after parsing (unknown keys, bad arguments) still name file:line:col.
 *
 * We use the `yaml` package rather than js-yaml because it gives every node its source
 * range; js-yaml only locates syntax errors. Documents are read as YAML 1.1, as Ansible
 * (PyYAML) reads them: `0644` is octal, `yes` is a boolean, `y` and `n` stay text (PyYAML's
 * booleans, not the YAML 1.1 spec's). The plain source text of each scalar is kept, so an
 * argument typed as a string gets back `on` as written. A key is always the text written
 * (`y:` is the key `y`, not `true`), and a key that is a mapping or a list is an error: it is
 * what an unquoted `msg: {{ foo }}` reads as.
 *
 * Vaulted data is decrypted here, at load time, with the process's vault passwords
 * (engine/vault/keyring.ts): a whole file that starts with `$ANSIBLE_VAULT;`, and `!vault`
 * scalars. Every value decrypted is registered as a secret, so no output shows it.
 *
 * `!unsafe` marks text that is never a template (Ansible's tag of the same name): the value
 * becomes an UnsafeText, which renders as the text it holds. On a sequence or mapping it
 * marks every string inside.
 */
import { LineCounter, parseAllDocuments, isAlias, isCollection, isMap, isScalar, isSeq, isPair, type Document, type Node, type Scalar, type Tags } from 'yaml'
import { withDefaultSignals } from './blocking.js'
import { MissingFileError, PlaybookError, type SourcePos } from './errors.js'
import { UnsafeText } from './expr/unsafe.js'
import { markVaulted } from './expr/vaulted.js'
import { registerSecret } from './secrets.js'
import { readTextFile, readTextFileSync } from './text-file.js'
import { isVaulted } from './vault/envelope.js'
import { decryptVault } from './vault/keyring.js'
import { registerVaultedDocument } from './vault/vaulted-values.js'

interface NodeInfo {
  pos: SourcePos
  keys: Map<string | number, SourcePos>
  raw: Map<string | number, string>
}

const info = new WeakMap<object, NodeInfo>()

/** Where a mapping or sequence (or one of its keys/items) was written. */
export function posOf(node: unknown, key?: string | number): SourcePos | undefined {
  if (!node || typeof node !== 'object') return undefined
  const entry = info.get(node)
  if (!entry) return undefined
  return (key !== undefined ? entry.keys.get(key) : undefined) ?? entry.pos
}

/** The source text of a plain scalar value under `key` (undefined for quoted or non-scalar values). */
export function rawScalarOf(node: unknown, key: string | number): string | undefined {
  if (!node || typeof node !== 'object') return undefined
  return info.get(node)?.raw.get(key)
}

/** Copies position information from one object to another (used when the loader rebuilds a mapping). */
export function copyPos(from: object, to: object): void {
  const entry = info.get(from)
  if (entry) info.set(to, entry)
}

export async function loadYamlFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readTextFile(file)
  } catch (err) {
    throw cannotRead(file, err)
  }
  return parseYaml(text, file)
}

/** The same, synchronously (the loader reads many small files in order). */
export function loadYamlFileSync(file: string, at?: SourcePos): unknown {
  let text: string
  try {
    text = readTextFileSync(file)
  } catch (err) {
    throw cannotRead(file, err, at)
  }
  return parseYaml(text, file)
}

function cannotRead(file: string, err: unknown, at?: SourcePos): MissingFileError {
  const code = (err as NodeJS.ErrnoException).code
  const why = code === 'ENOENT' ? 'it does not exist' : (code ?? String(err))
  return new MissingFileError(`cannot read ${file}: ${why}`, at, { cause: err })
}

/** Above this size a parse takes long enough (0.1 s and up) that Ctrl-C must not wait for it. */
const LARGE_TEXT = 256 * 1024

/** Parses one YAML document (an empty file is null). */
export function parseYaml(text: string, file: string): unknown {
  return text.length > LARGE_TEXT ? withDefaultSignals(() => parseText(text, file)) : parseText(text, file)
}

function parseText(text: string, file: string): unknown {
  if (isVaulted(text)) {
    const data = parseText(decryptVault(text, { file }).plaintext.toString('utf8'), file)
    registerVaultedDocument(data)
    return data
  }
  const lineCounter = new LineCounter()
  // The yaml package's own duplicate-key check compares each key with every earlier one
  // (quadratic: a 40k-key vars file took 20 s); the converter finds duplicates with a Map.
  const docs = parseAllDocuments(text, { version: '1.1', lineCounter, uniqueKeys: false, merge: true, prettyErrors: false, customTags: ansibleTags })
  const list = Array.isArray(docs) ? docs : [docs]
  const at = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, col }
  }
  for (const doc of list) {
    const error = doc.errors[0]
    if (error) {
      throw new PlaybookError(`YAML syntax error: ${firstLine(error.message)}`, at(error.pos[0]))
    }
  }
  if (list.length > 1) {
    throw new PlaybookError('expected one YAML document, found several', at(list[1]?.range[0] ?? 0))
  }
  const doc = list[0]
  if (!doc || doc.contents === null) return null
  return new Converter(doc, text, at).convert(doc.contents as Node)
}

/** `!vault |` values stay the envelope text while parsing; the converter decrypts them where it knows their position. */
const VAULT_TAG = { tag: '!vault', resolve: (text: string): string => text }
const UNSAFE_TAG = { tag: '!unsafe', resolve: (text: string): string => text }

const BOOL_TAG = 'tag:yaml.org,2002:bool'

/**
 * PyYAML's booleans: yes/no, true/false, on/off in lower, Capitalised or UPPER case. The YAML 1.1
 * spec (and the yaml package) also reads `y`, `Y`, `n`, `N` as booleans; Ansible keeps them as text.
 */
export const PYYAML_BOOL_TAGS = [true, false].map((value) => ({
  identify: (v: unknown): boolean => v === value,
  default: true,
  tag: BOOL_TAG,
  test: value ? /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/ : /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  resolve: (): boolean => value,
}))

/** The YAML 1.1 schema with PyYAML's booleans in place of the spec's, plus Ansible's own tags. */
export function pyyamlTags(tags: Tags): Tags {
  return [...tags.filter((tag) => typeof tag === 'string' || tag.tag !== BOOL_TAG), ...PYYAML_BOOL_TAGS]
}

function ansibleTags(tags: Tags): Tags {
  return [...pyyamlTags(tags), VAULT_TAG, UNSAFE_TAG]
}

/**
 * A copy of a converted `!unsafe` sequence or mapping with every string inside marked (a
 * copy, so that an aliased anchor stays as it is where it is used without the tag).
 */
export function markUnsafe(value: unknown): unknown {
  if (typeof value === 'string') return new UnsafeText(value)
  if (Array.isArray(value)) {
    const list = value.map(markUnsafe)
    copyPos(value, list)
    return list
  }
  if (value && typeof value === 'object' && !(value instanceof UnsafeText)) {
    const map: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) map[key] = markUnsafe(item)
    copyPos(value, map)
    return map
  }
  return value
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}

class Converter {
  private readonly anchors = new Map<Node, unknown>()

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly at: (offset: number) => SourcePos,
  ) {}

  convert(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) return null
    if (isAlias(node)) {
      const target = node.resolve(this.doc)
      if (!target) throw new PlaybookError(`unknown alias *${node.source}`, this.at(node.range?.[0] ?? 0))
      return this.anchors.has(target) ? this.anchors.get(target) : this.convert(target)
    }
    if (isScalar(node)) {
      if (node.tag === VAULT_TAG.tag) return this.decrypt(node)
      // A scalar's text, whatever it looks like (`!unsafe 12` is the text '12', as in Ansible).
      if (node.tag === UNSAFE_TAG.tag) return new UnsafeText(String(node.value))
      return node.value
    }
    const pos = this.at(node.range?.[0] ?? 0)
    const entry: NodeInfo = { pos, keys: new Map(), raw: new Map() }
    if (isSeq(node)) {
      const list: unknown[] = []
      info.set(list, entry)
      this.anchors.set(node, list)
      node.items.forEach((item, i) => {
        const itemNode = item as Node
        entry.keys.set(i, this.at(itemNode?.range?.[0] ?? node.range?.[0] ?? 0))
        if (isScalar(itemNode) && itemNode.type === 'PLAIN' && itemNode.tag !== UNSAFE_TAG.tag && itemNode.source !== undefined) entry.raw.set(i, itemNode.source)
        list.push(this.convert(itemNode))
      })
      return this.tagged(node, list)
    }
    if (isMap(node)) {
      const map: Record<string, unknown> = {}
      info.set(map, entry)
      this.anchors.set(node, map)
      const merges: unknown[] = []
      for (const pair of node.items) {
        if (!isPair(pair)) continue
        const keyNode = pair.key as Node | null
        const keyPos = this.at(keyNode?.range?.[0] ?? 0)
        if (isScalar(keyNode) && (keyNode.source === '<<' || typeof keyNode.value === 'symbol')) {
          merges.push(this.convert(pair.value as Node))
          continue
        }
        const key = this.keyText(node, keyNode, keyPos)
        const first = entry.keys.get(key)
        // `1:` and `"1":` collide too: both would become the same property.
        if (first) throw new PlaybookError(`duplicate key '${key}' in a mapping (first at line ${first.line})`, keyPos)
        entry.keys.set(key, keyPos)
        const valueNode = pair.value as Node | null
        if (isScalar(valueNode) && valueNode.type === 'PLAIN' && valueNode.tag !== UNSAFE_TAG.tag && valueNode.source !== undefined) {
          entry.raw.set(key, valueNode.source)
        }
        map[key] = this.convert(valueNode)
      }
      // YAML 1.1 merge keys: explicit keys win over merged ones, earlier merges over later.
      for (const source of merges.flat()) {
        if (source && typeof source === 'object') {
          for (const [k, v] of Object.entries(source)) if (!(k in map)) map[k] = v
        }
      }
      return this.tagged(node, map)
    }
    return (node as { toJSON(): unknown }).toJSON()
  }

  /**
   * A key as the text written: YAML 1.1 would make `y:` or `on:` the key `true` and `0644:` the
   * key `420`. A mapping or list cannot be a key (PyYAML: "unhashable"); it is almost always an
   * unquoted `{{ expr }}`, which YAML reads as a mapping inside a mapping.
   */
  private keyText(map: Node, keyNode: Node | null, keyPos: SourcePos): string {
    if (keyNode === null) return String(null)
    if (isScalar(keyNode)) {
      if (typeof keyNode.value === 'string') return keyNode.value
      return (keyNode.type === 'PLAIN' && keyNode.source) || String(keyNode.value)
    }
    const target = isAlias(keyNode) ? keyNode.resolve(this.doc) : keyNode
    if (!isCollection(target)) return String(this.convert(keyNode))
    const written = this.text.slice(map.range?.[0] ?? 0, map.range?.[1] ?? 0).trim()
    const hint = written.startsWith('{{')
      ? `. It looks like missing quotes: always quote template expression brackets when they start a value, for instance ${firstLine(written)} should be written as "${firstLine(written)}"`
      : ''
    throw new PlaybookError(`found unacceptable key: a ${isSeq(target) ? 'list' : 'mapping'} cannot be a key${hint}`, keyPos)
  }

  /** A `!unsafe` collection's marked copy, which an alias to it must see too. */
  private tagged(node: Node, value: unknown): unknown {
    if (node.tag !== UNSAFE_TAG.tag) return value
    const marked = markUnsafe(value)
    this.anchors.set(node, marked)
    return marked
  }

  private decrypt(node: Scalar): string {
    const pos = this.at(node.range?.[0] ?? 0)
    const value = decryptVault(String(node.value), { file: pos.file, pos }).plaintext.toString('utf8')
    registerSecret(value)
    markVaulted(value)
    return value
  }
}
