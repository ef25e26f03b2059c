/** Hides values that must not be shown (no_log results). */
export const HIDDEN = '********'

export function redact(result: Record<string, unknown>): Record<string, unknown> {
  const keep = ['changed', 'failed', 'skipped', 'unreachable', 'attempts']
  const out: Record<string, unknown> = { censored: 'the output has been hidden due to the fact that no_log: true was specified for this result' }
  for (const key of keep) if (key in result) out[key] = result[key]
  return out
}
