/** Lookups that read variables and the environment: env, vars. */
import { toStr } from '../python.js'
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
