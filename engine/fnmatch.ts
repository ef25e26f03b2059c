/**
 * Python's fnmatch (case-sensitive, as on POSIX): `*`, `?`, `[seq]`, `[!seq]` with ranges, the
 * rest literal, over the whole name. Ansible matches host patterns, `setup`'s `filter` and apt
 * version pins with it, so tsplay has this one copy for all of them.
 */

const cache = new Map<string, RegExp>()

/** True when the whole of `name` matches the shell-style `pattern`. */
export function fnmatch(name: string, pattern: string): boolean {
  return fnmatchRegExp(pattern).test(name)
}

/** fnmatch.translate: the pattern as an anchored regular expression. */
export function fnmatchRegExp(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (!re) {
    re = new RegExp(`^(?:${translate(pattern)})$`, 's')
    cache.set(pattern, re)
  }
  return re
}

function translate(pattern: string): string {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i)
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = setEnd(pattern, i + 1)
      if (end < 0) re += '\\['
      else {
        re += charClass(pattern.slice(i + 1, end))
        i = end
      }
    } else re += escape(c)
  }
  return re
}

/** Index of the `]` closing a set whose body starts at `start` (a `]` first in the body is literal), or -1. */
function setEnd(pattern: string, start: number): number {
  let j = start
  if (pattern.charAt(j) === '!') j++
  if (pattern.charAt(j) === ']') j++
  return pattern.indexOf(']', j)
}

/**
 * A set's body (`a-z_`, `!e`) as a JavaScript character class. As in Python, a `-` first or
 * last is literal, a range runs from the character before a `-` to the one after, and a
 * reversed range (`z-a`) is empty: an empty set matches nothing, a negated empty set anything.
 */
function charClass(body: string): string {
  const negated = body.startsWith('!')
  const chars = negated ? body.slice(1) : body
  let items = ''
  for (let k = 0; k < chars.length; k++) {
    const from = chars.charAt(k)
    if (chars.charAt(k + 1) === '-' && k + 2 < chars.length) {
      const to = chars.charAt(k + 2)
      if (from <= to) items += `${escapeInClass(from)}-${escapeInClass(to)}`
      k += 2
    } else items += escapeInClass(from)
  }
  if (items === '') return negated ? '[^]' : '(?!)'
  return `[${negated ? '^' : ''}${items}]`
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

function escapeInClass(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c
}
