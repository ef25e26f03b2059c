/** Lookups that read variables and the environment: env, vars, varnames. */
import { repr, toStr, typeName } from '../python.js'
import { pyRegex } from '../regex.js'
import { needString } from '../types.js'
import { fail, MISSING, UndefinedFailure } from '../values.js'
import { eachTerm, type LookupFn } from './types.js'

export const env: LookupFn = eachTerm((term, options) => {
  const value = process.env[needString(term, 'the environment variable name')]
  return value ?? (options['default'] !== undefined ? options['default'] : '')
})

/** Ansible's words for a term that is no name (vars says "its a", varnames "it is a"). */
function needName(term: unknown, verb = 'its a'): string {
  if (typeof term !== 'string') fail(`Invalid setting identifier, "${toStr(term)}" is not a string, ${verb} <class ${repr(typeName(term))}>`)
  return term
}

/** Ansible raises AnsibleUndefinedVariable here: an undefined name, for `when:` on a loop as for the rest. */
function undefinedName(term: unknown): never {
  throw new UndefinedFailure(`No variable found with this name: ${toStr(term)}`)
}

export const vars: LookupFn = eachTerm((term, options, ctx) => {
  const value = ctx.scope.lookup(needName(term))
  if (value !== MISSING) return value
  return options['default'] !== undefined && options['default'] !== null ? options['default'] : undefinedName(term)
})

/** varnames: the names matching each Python regex (re.search), in the order Ansible's vars have them. */
export const varnames: LookupFn = (terms, _options, ctx) => {
  const names = ctx.scope.names?.() ?? fail('No variables available to search')
  return terms.flatMap((term) => {
    const name = needName(term, 'it is a')
    let pattern: RegExp
    try {
      pattern = pyRegex(name)
    } catch (err) {
      return fail(`Unable to use "${name}" as a search parameter: ${(err as Error).message}`)
    }
    return names.filter((name) => pattern.test(name))
  })
}
