/**
 * Package names as the package modules take them: `nginx`, `nginx=1.22*` (a version pin,
 * matched as a glob the way Ansible's apt does with fnmatch), `nginx>=1.22`.
 */

export interface PackageSpec {
  /** As the user wrote it. */
  raw: string
  name: string
  op?: '=' | '>='
  version?: string
}

/** Ansible's package_split: `re.split(r'(>?=)', spec, 1)`. */
export function parseSpec(raw: string): PackageSpec {
  const spec = raw.trim()
  const m = /^(.*?)(>?=)(.*)$/s.exec(spec)
  if (!m || m[1] === undefined || m[3] === undefined) return { raw: spec, name: spec }
  return { raw: spec, name: m[1], op: m[2] === '>=' ? '>=' : '=', version: m[3] }
}

/** Why a spec cannot be used, or undefined when it can. */
export function specProblem(raw: string): string | undefined {
  if ((raw.match(/=/g) ?? []).length > 1) return `invalid package spec: ${raw}`
  if (raw.trim() === '' || raw.trim().startsWith('-')) return `invalid package name: '${raw}'`
  return undefined
}

/** True when a spec names its package with a glob (not supported: say so rather than guess). */
export function hasNameGlob(spec: PackageSpec): boolean {
  return /[*?[\]!]/.test(spec.name)
}
