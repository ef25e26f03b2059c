/**
 * Jinja and Ansible tests (`x is defined`, `x is version('1.2', '>=')`, `result is changed`).
 * One entry per test; the evaluator hands Undefined only to `defined` and `undefined`.
 */
import { existsSync, lstatSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { isFloat, numberOf } from './pyfloat.js'
import { ansibleBoolean, compare, contains, describe, equals, isInt, toList, toStr, truthy } from './python.js'
import { FILTERS } from './filters.js'
import { pyRegex } from './regex.js'
import { resolveName } from './suggest.js'
import { needNumber, needString, params, type CallArgs, type Ctx, type TestFn } from './types.js'
import { isVaultedText } from './vaulted.js'
import { versionTest } from './version.js'
import { splitUrl } from './filters-url.js'
import { fail, isDict, Undefined, type Dict } from './values.js'

/** Tests that may be given an Undefined; every other test rejects it. */
export const UNDEFINED_TESTS: ReadonlySet<string> = new Set(['defined', 'undefined'])

const one = (call: CallArgs, ctx: Ctx, name = 'value'): unknown => params(call, [name], ctx)[0]

function compareTest(op: string, check: (c: number) => boolean): TestFn {
  return (value, call, ctx) => check(compare(value, one(call, ctx), op))
}

function regexTest(mode: 'match' | 'search' | 'fullmatch'): TestFn {
  return (value, call, ctx) => {
    const [pattern, ignorecase, multiline, matchType] = params(call, ['pattern', 'ignorecase', 'multiline', 'match_type'], ctx)
    const how = (matchType as string | undefined) ?? mode
    const re = pyRegex(needString(pattern, `'${ctx.name}' pattern`), { ignorecase: truthy(ignorecase ?? false), multiline: truthy(multiline ?? false) })
    const text = needString(value, `the value tested with '${ctx.name}'`)
    if (how === 'search') return re.test(text)
    return matchAt(re, text, how === 'fullmatch')
  }
}

/** Python's re.match / re.fullmatch: anchored, which JavaScript expresses with a sticky regex. */
function matchAt(re: RegExp, text: string, full: boolean): boolean {
  const anchored = new RegExp(full ? `(?:${re.source})$` : re.source, re.flags.replace('g', '') + 'y')
  return anchored.test(text)
}

/** Result tests read a registered task result, as Ansible's do. */
function resultTest(read: (result: Dict) => boolean): TestFn {
  return (value, _call, ctx) => {
    if (!isDict(value)) fail(`the '${ctx.name}' test expects a registered task result (a dict), not ${describe(value)}`)
    return read(value)
  }
}

const flag = (result: Dict, key: string): boolean => truthy(result[key] ?? false)

function changed(result: Dict): boolean {
  if ('changed' in result) return flag(result, 'changed')
  const results = result['results']
  return Array.isArray(results) && results.some((r) => isDict(r) && flag(r, 'changed'))
}

function fsTest(check: (path: string) => boolean): TestFn {
  return (value, _call, ctx) => check(needString(value, `the path tested with '${ctx.name}'`))
}

const safeStat = (path: string, link = false): ReturnType<typeof statSync> | undefined => {
  try {
    return link ? lstatSync(path) : statSync(path)
  } catch {
    return undefined
  }
}

/** Ansible's uri test: anything urlparse reads (every string), with a scheme among `schemes` when given. */
function uriScheme(value: unknown, schemes: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  let parts: ReturnType<typeof splitUrl>
  try {
    parts = splitUrl(value)
  } catch {
    return undefined
  }
  const allowed = schemes === undefined || schemes === null || !truthy(schemes) || contains(schemes, parts.scheme)
  return allowed ? parts.scheme : undefined
}
const uri: TestFn = (value, call, ctx) => uriScheme(value, params(call, ['schemes'], ctx)[0]) !== undefined
const url: TestFn = (value, call, ctx) => {
  const scheme = uriScheme(value, params(call, ['schemes'], ctx)[0])
  return scheme !== undefined && (scheme === 'file' || splitUrl(value as string).netloc !== '')
}

/** os.path.ismount: a directory whose parent is on another device, or is itself (`/`). */
function isMount(path: string): boolean {
  const here = safeStat(path, true)
  const parent = safeStat(join(path, '..'), true)
  if (!here || !parent || here.isSymbolicLink()) return false
  return here.dev !== parent.dev || here.ino === parent.ino
}

/** os.path.samefile: the same device and inode; a missing path is an error, as in Python. */
const sameFile: TestFn = (value, call, ctx) => {
  const [other] = params(call, ['f2'], ctx)
  const [a, b] = [value, other].map((p) => needString(p, "the paths tested with 'same_file'")).map((p) => safeStat(p) ?? fail(`No such file or directory: '${p}'`))
  return a?.dev === b?.dev && a?.ino === b?.ino
}

/** The async tests: a result with `started`/`finished` says so (0 or 1); any other result counts as done. */
function asyncTest(key: 'started' | 'finished'): TestFn {
  return resultTest((r) => (key in r ? r[key] === 1 || r[key] === true : true))
}

/** Jinja's `is filter` / `is test`; an unknown name fails, as it does in ansible-core 2.14 (its plugin loader raises). */
function known(value: unknown, registry: Readonly<Record<string, unknown>>, what: string): boolean {
  const name = needString(value, `the value tested with '${what}'`)
  return resolveName(name, registry) !== undefined || fail(`there is no ${what} named '${name}' (ansible-core 2.14 fails this test for an unknown name)`)
}

const isNan: TestFn = (value) => Number.isNaN(numberOf(value) ?? 0)

const subset: TestFn = (value, call, ctx) => toList(value).every((x) => contains(toList(one(call, ctx, 'b')), x))
const superset: TestFn = (value, call, ctx) => toList(one(call, ctx, 'b')).every((x) => contains(toList(value), x))
const isFile = fsTest((p) => safeStat(p)?.isFile() ?? false)
const isDirectory = fsTest((p) => safeStat(p)?.isDirectory() ?? false)
const isLink = fsTest((p) => safeStat(p, true)?.isSymbolicLink() ?? false)
const isAbs = fsTest((p) => isAbsolute(p))
const isMountTest = fsTest(isMount)

const eq: TestFn = (value, call, ctx) => equals(value, one(call, ctx))
const ne: TestFn = (value, call, ctx) => !equals(value, one(call, ctx))
const lt = compareTest('<', (c) => c < 0)
const le = compareTest('<=', (c) => c <= 0)
const gt = compareTest('>', (c) => c > 0)
const ge = compareTest('>=', (c) => c >= 0)
const version: TestFn = (value, call, ctx) => {
  const [other, operator] = params(call, ['version', 'operator', 'strict', 'version_type'], ctx)
  const text = (v: unknown, what: string): string => (numberOf(v) !== undefined ? toStr(v) : needString(v, what))
  return versionTest(text(value, 'the version tested'), text(other, 'the version to compare with'), (operator as string | undefined) ?? 'eq')
}
const isNumber = (v: unknown): boolean => numberOf(v) !== undefined
const isSequence = (v: unknown): boolean => typeof v === 'string' || Array.isArray(v) || isDict(v)
const succeeded = resultTest((r) => !flag(r, 'failed'))
const failed = resultTest((r) => flag(r, 'failed'))
const skipped = resultTest((r) => flag(r, 'skipped'))
const changedTest = resultTest(changed)
/** Ansible's truthy: Python's bool(); with convert_bool the boolean words count first ('no' is false). */
const truthyTest: TestFn = (value, call, ctx) => {
  const [convert] = params(call, ['convert_bool'], ctx)
  return (truthy(convert ?? false) ? ansibleBoolean(value) : undefined) ?? truthy(value)
}

export const TESTS: Record<string, TestFn> = {
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  true: (v) => v === true,
  false: (v) => v === false,
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  number: isNumber,
  integer: (v) => isInt(v),
  float: isFloat,
  mapping: (v) => isDict(v),
  sequence: isSequence,
  iterable: isSequence,
  callable: () => false,
  sameas: (value, call, ctx) => value === one(call, ctx),
  equalto: eq, eq, '==': eq,
  ne, '!=': ne,
  lt, '<': lt, lessthan: lt,
  le, '<=': le,
  gt, '>': gt, greaterthan: gt,
  ge, '>=': ge,
  in: (value, call, ctx) => contains(one(call, ctx, 'seq'), value),
  contains: (value, call, ctx) => contains(value, one(call, ctx)),
  subset,
  superset,
  all: (value) => toList(value).every((x) => truthy(x)),
  any: (value) => toList(value).some((x) => truthy(x)),
  match: regexTest('match'),
  search: regexTest('search'),
  regex: regexTest('search'),
  version,
  version_compare: version,
  divisibleby: (value, call, ctx) => needNumber(value, 'the value') % needNumber(one(call, ctx, 'num'), "'divisibleby' argument") === 0,
  even: (value) => needNumber(value, "the value tested with 'even'") % 2 === 0,
  odd: (value) => Math.abs(needNumber(value, "the value tested with 'odd'") % 2) === 1,
  lower: (value) => { const s = needString(value, 'the value'); return s === s.toLowerCase() },
  upper: (value) => { const s = needString(value, 'the value'); return s === s.toUpperCase() },
  file: isFile, is_file: isFile,
  directory: isDirectory, is_dir: isDirectory,
  link: isLink, is_link: isLink,
  exists: fsTest((p) => existsSync(p)),
  link_exists: fsTest((p) => safeStat(p, true) !== undefined),
  abs: isAbs, is_abs: isAbs,
  mount: isMountTest, is_mount: isMountTest,
  same_file: sameFile, is_same_file: sameFile,
  uri, url, urn: (value) => uriScheme(value, ['urn']) !== undefined,
  vault_encrypted: (value) => isVaultedText(value),
  nan: isNan, isnan: isNan,
  issubset: subset, issuperset: superset,
  started: asyncTest('started'), finished: asyncTest('finished'),
  // Nothing is HTML markup here (Ansible renders with autoescape off).
  escaped: () => false,
  filter: (value) => known(value, FILTERS, 'filter'),
  test: (value) => known(value, TESTS, 'test'),
  changed: changedTest, change: changedTest,
  failed, failure: failed,
  succeeded, success: succeeded, successful: succeeded,
  skipped, skip: skipped,
  reachable: resultTest((r) => !flag(r, 'unreachable')),
  unreachable: resultTest((r) => flag(r, 'unreachable')),
  truthy: truthyTest,
  falsy: (value, call, ctx) => !truthyTest(value, call, ctx),
}
