/** "did you mean ...?" for unknown filters, tests, functions and methods. */

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost))
    }
    prev = row
  }
  return prev[b.length] ?? 0
}

/** The closest candidate, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestScore = Math.max(2, Math.floor(name.length / 3)) + 1
  for (const candidate of candidates) {
    const score = distance(name.toLowerCase(), candidate.toLowerCase())
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best
}

/** `unknown filter 'uper' (did you mean 'upper'?)` */
export function unknownMessage(what: string, name: string, candidates: Iterable<string>): string {
  const hint = closest(name, candidates)
  return `unknown ${what} '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`
}

/**
 * Resolves a collection-qualified name (`ansible.builtin.to_json`) to the short name we
 * implement, so playbooks written with FQCNs work unchanged.
 */
export function resolveName(name: string, known: Readonly<Record<string, unknown>>): string | undefined {
  if (Object.hasOwn(known, name)) return name
  // Only `namespace.collection.name`: `x | first.name` is not the filter `name`.
  const parts = name.split('.')
  const short = parts.at(-1) ?? name
  return parts.length === 3 && Object.hasOwn(known, short) ? short : undefined
}
