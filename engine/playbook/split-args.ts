/**
 * Ansible's split_args and join_args (ansible/parsing/splitter.py), which make the text of a
 * free-form module (`shell: |` ...) from what the task wrote: words split on single spaces, put
 * back together inside quotes and `{{ }}`/`{% %}`/`{# #}`, newlines kept, and a lone `\` outside
 * quotes dropped with the line break after it (a shell line continuation joins into one line).
 * Ported as written, so the command text (and the result's `cmd`) is Ansible's to the byte.
 */

/** The quote still open after `token`, given the one open before it. */
function quoteState(token: string, open: string | null): string | null {
  let quote = open
  for (let i = 0; i < token.length; i++) {
    const c = token[i] as string
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (quote === null) quote = c
      else if (c === quote) quote = null
    }
  }
  return quote
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1
}

function depthAfter(token: string, depth: number, open: string, close: string): number {
  const opened = count(token, open)
  const closed = count(token, close)
  return opened === closed ? depth : Math.max(0, depth + opened - closed)
}

export class SplitArgsError extends Error {}

export function splitArgs(args: string): string[] {
  const params: string[] = []
  const items = args.split('\n')
  let quote: string | null = null
  let inside = false
  const depth = { print: 0, block: 0, comment: 0 }
  const inJinja = (): boolean => depth.print > 0 || depth.block > 0 || depth.comment > 0
  const appendLast = (text: string): void => {
    params[params.length - 1] = (params.at(-1) ?? '') + text
  }
  items.forEach((item, itemIndex) => {
    const tokens = item.split(' ')
    let continuation = false
    tokens.forEach((token, index) => {
      if (token.length === 0 && index !== 0) {
        appendLast(' ')
        return
      }
      if (token === '\\' && !inside) {
        continuation = true
        return
      }
      const wasInside = inside
      quote = quoteState(token, quote)
      inside = quote !== null
      let appended = false
      if (inside && !wasInside && !inJinja()) {
        params.push(token)
        appended = true
      } else if (inJinja() || inside || wasInside) {
        if (index === 0 && wasInside) appendLast(token)
        else if (tokens.length > 1) appendLast(`${index > 0 ? ' ' : ''}${token}`)
        else appendLast(`\n${token}`)
        appended = true
      }
      for (const [key, open, close] of [['print', '{{', '}}'], ['block', '{%', '%}'], ['comment', '{#', '#}']] as const) {
        const before = depth[key]
        depth[key] = depthAfter(token, before, open, close)
        if (depth[key] !== before && !appended) {
          params.push(token)
          appended = true
        }
      }
      if (!inJinja() && !inside && !appended && token !== '') params.push(token)
    })
    if (items.length > 1 && itemIndex !== items.length - 1 && !continuation) appendLast('\n')
  })
  if (inJinja() || inside) throw new SplitArgsError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`)
  return params
}

export function joinArgs(params: readonly string[]): string {
  let result = ''
  for (const p of params) result += result.length === 0 || result.endsWith('\n') ? p : ` ${p}`
  return result
}
