/**
 * Ansible's `k=v` argument form: `copy: src=a dest="/b c" mode=0644`. Words that are not
 * `key=value` are the free-form text (`command: echo "a b" creates=/x`), kept as written.
 */
export interface KvResult {
  args: Record<string, string>
  freeForm: string
}

/** Splits on spaces outside quotes and outside `{{ }}`, keeping each word's original text. */
export function splitWords(text: string): string[] {
  const words: string[] = []
  let current = ''
  let quote: string | null = null
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    const pair = text.slice(i, i + 2)
    if (quote) {
      current += c
      if (c === '\\' && i + 1 < text.length) current += text[++i]
      else if (c === quote) quote = null
      continue
    }
    if (pair === '{{' || pair === '{%') {
      depth++
      current += pair
      i++
      continue
    }
    if (depth > 0 && (pair === '}}' || pair === '%}')) {
      depth--
      current += pair
      i++
      continue
    }
    if (depth === 0 && (c === '"' || c === "'")) {
      quote = c
      current += c
      continue
    }
    if (depth === 0 && /\s/.test(c)) {
      if (current) words.push(current)
      current = ''
      continue
    }
    current += c
  }
  if (current) words.push(current)
  return words
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
    return value.slice(1, -1).replace(/\\(["'\\])/g, '$1')
  }
  return value
}

export function parseKv(text: string): KvResult {
  const args: Record<string, string> = {}
  const free: string[] = []
  for (const word of splitWords(text)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word)
    if (m && m[1] !== undefined && m[2] !== undefined) args[m[1]] = unquote(m[2])
    else free.push(word)
  }
  return { args, freeForm: free.join(' ') }
}
