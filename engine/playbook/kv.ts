/**
 * Ansible's `k=v` argument form: `copy: src=a dest="/b c" mode=0644`. Words that are not
 * `key=value` are the free-form text (`command: echo "a b" creates=/x`), kept as written:
 * its own spaces and newlines stay (a `shell: |` block runs as its lines).
 */
import { joinArgs, splitArgs, SplitArgsError } from './split-args.js'

export interface KvResult {
  args: Record<string, string>
  freeForm: string
}

interface Word {
  text: string
  start: number
  end: number
}

/** Splits on spaces outside quotes and outside `{{ }}`, keeping each word's text and place. */
function words(text: string): Word[] {
  const out: Word[] = []
  let start = -1
  let quote: string | null = null
  let depth = 0
  const close = (end: number): void => {
    if (start >= 0) out.push({ text: text.slice(start, end), start, end })
    start = -1
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    const pair = text.slice(i, i + 2)
    if (start < 0 && !/\s/.test(c)) start = i
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = null
    } else if (pair === '{{' || pair === '{%') {
      depth++
      i++
    } else if (depth > 0 && (pair === '}}' || pair === '%}')) {
      depth--
      i++
    } else if (depth === 0 && (c === '"' || c === "'")) {
      quote = c
    } else if (depth === 0 && /\s/.test(c)) {
      close(i)
    }
  }
  close(text.length)
  return out
}

export function splitWords(text: string): string[] {
  return words(text).map((w) => w.text)
}

/** Ansible's quoting.unquote: the outer quotes only (escapes inside were decoded already). */
function unquote(value: string): string {
  const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) && value.at(-2) !== '\\'
  return quoted ? value.slice(1, -1) : value
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }

/**
 * Ansible's splitter._decode_escapes, applied to each `key=value` word before it is split:
 * `msg="a\nb"` holds a newline, `'a\\nb'` a backslash and an n. (`\N{NAME}` stays as written.)
 */
function decodeEscapes(word: string): string {
  return word.replace(/\\(?:U([0-9a-fA-F]{8})|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(["'\\abfnrtv]))/g, (all, u8?: string, u4?: string, x2?: string, c?: string) => {
    const hex = u8 ?? u4 ?? x2
    if (hex) {
      const code = parseInt(hex, 16)
      return code <= 0x10ffff ? String.fromCodePoint(code) : all
    }
    return SIMPLE_ESCAPES[c as string] as string
  })
}

/**
 * Takes `key=value` words out of `text`. With `isKey`, only the keys it accepts are taken (a
 * free-form module keeps `FOO=1` in its command, as Ansible keeps words that are not its own).
 */
export function parseKv(text: string, isKey?: (key: string) => boolean): KvResult {
  if (isKey) return parseFreeForm(text, isKey)
  const args: Record<string, string> = {}
  let free = ''
  let from = 0
  for (const word of words(text)) {
    // A key may be a template (`"{{ item }}=moo"`): set_fact renders its names, as Ansible's does.
    const m = /^((?:[A-Za-z_][A-Za-z0-9_]*|\{\{(?:(?!\}\}).)*\}\})+)=(.*)$/s.exec(decodeEscapes(word.text))
    if (!m || m[1] === undefined || m[2] === undefined) continue
    args[m[1]] = unquote(m[2])
    free += text.slice(from, word.start)
    from = word.end
  }
  free += text.slice(from)
  return { args, freeForm: free.trim() }
}

/**
 * A free-form module's text as Ansible's parse_kv(check_raw=True) takes it: the words
 * split_args makes, the module's own `key=value` words taken out, the rest joined again
 * (its newlines kept, the trailing one too). Unbalanced quotes leave the text as written:
 * the module says what is wrong when it splits the command.
 */
function parseFreeForm(text: string, isKey: (key: string) => boolean): KvResult {
  let params: string[]
  try {
    params = splitArgs(text)
  } catch (err) {
    if (err instanceof SplitArgsError) return { args: {}, freeForm: text }
    throw err
  }
  const args: Record<string, string> = {}
  const raw: string[] = []
  for (const param of params) {
    const decoded = decodeEscapes(param)
    const eq = /(?<!\\)=/.exec(decoded.slice(1))
    const key = eq ? decoded.slice(0, eq.index + 1) : undefined
    if (key === undefined || eq === null || !isKey(key)) {
      raw.push(param)
      continue
    }
    args[key.trim()] = unquote(decoded.slice(eq.index + 2).trim())
  }
  return { args, freeForm: joinArgs(raw) }
}
