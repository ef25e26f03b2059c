/**
 * Big vars files (tens of thousands of keys, generated from CMDBs) must load in time that
 * grows with their size, not its square, and a real duplicate key must still be an error
 * that names where it was written.
 */
import { describe, expect, it } from 'vitest'
import { parseYaml } from '../../engine/yaml.js'

const varsText = (keys: number): string => {
  const lines: string[] = []
  for (let i = 0; i < keys; i++) lines.push(`key_${i}: value ${i}`)
  return lines.join('\n') + '\n'
}

function secondsToParse(keys: number): number {
  const text = varsText(keys)
  const start = performance.now()
  const data = parseYaml(text, 'big.yml') as Record<string, unknown>
  const seconds = (performance.now() - start) / 1000
  expect(data[`key_${keys - 1}`]).toBe(`value ${keys - 1}`)
  return seconds
}

describe('a large vars file', () => {
  it('of 200k keys parses in linear time (5x the keys of 40k, well under 8x the time)', () => {
    // Before: 40k keys took 20 s and 200k did not finish (each key was compared with all earlier ones).
    // Generous bounds for a loaded 2-core machine (quiet: about 1.9 s and 7.5 s).
    const t40k = secondsToParse(40_000)
    expect(t40k).toBeLessThan(10)
    const t200k = secondsToParse(200_000)
    console.log(`parse: 40k keys ${t40k.toFixed(2)} s, 200k keys ${t200k.toFixed(2)} s, ratio ${(t200k / t40k).toFixed(1)}`)
    expect(t200k).toBeLessThan(40)
    expect(t200k / t40k).toBeLessThan(8)
  }, 120_000)

  it('with a key written twice is an error naming both lines', () => {
    const text = varsText(1000) + 'key_500: again\n'
    expect(() => parseYaml(text, 'big.yml')).toThrow(/^big\.yml:1001:1: duplicate key 'key_500' in a mapping \(first at line 501\)$/)
  })

  it('with the same key in two different mappings is fine', () => {
    expect(parseYaml('a: {name: one}\nb: {name: two}\n', 'f.yml')).toEqual({ a: { name: 'one' }, b: { name: 'two' } })
  })

  it('with a key written once plain and once quoted is an error (both would be the same variable)', () => {
    expect(() => parseYaml('1: a\n"1": b\n', 'f.yml')).toThrow(/f\.yml:2:1: duplicate key '1'/)
  })
})
