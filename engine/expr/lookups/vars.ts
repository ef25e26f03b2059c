/** Lookups that read variables and the environment: env, vars, varnames. */
import { describe, toStr } from '../python.js'
import { pyRegex } from '../regex.js'
import { needString } from '../types.js'
import { fail, MISSING } from '../values.js'
import { eachTerm, type LookupFn } from './types.js'

export const env: LookupFn = eachTerm((term, options) => {
  const value = process.env[needString(term, 'the environment variable name')]
  return value ?? (options['default'] !== undefined ? options['default'] : '')
})

export const vars: LookupFn = eachTerm((term, options, ctx) => {
  const value = ctx.scope.lookup(needString(term, 'the variable name'))
  if (value !== MISSING) return value
  return options['default'] !== undefined ? options['default'] : fail(`lookup('vars'): '${toStr(term)}' is not defined`)
})

/** varnames: the names matching each Python regex (re.search), in the order Ansible's vars have them. */
export const varnames: LookupFn = (terms, _options, ctx) => {
  const names = ctx.scope.names?.() ?? fail('No variables available to search')
  return terms.flatMap((term) => {
    if (typeof term !== 'string') fail(`Invalid setting identifier, "${toStr(term)}" is not a string, it is ${describe(term)}`)
    let pattern: RegExp
    try {
      pattern = pyRegex(term)
    } catch (err) {
      return fail(`Unable to use "${term}" as a search parameter: ${(err as Error).message}`)
    }
    return names.filter((name) => pattern.test(name))
  })
}
