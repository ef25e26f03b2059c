/** random and shuffle: Python's choices when seeded (reproducible across tools), the system's otherwise. */
import { randomInt } from 'node:crypto'
import { numberOf } from './pyfloat.js'
import { PyRandom } from './pyrandom.js'
import { describe, isInt, toList } from './python.js'
import { params, type FilterFn } from './types.js'
import { fail } from './values.js'

interface Source {
  below(n: number): number
  shuffle<T>(items: T[]): T[]
}

const SYSTEM: Source = {
  below: (n) => (n <= 0 ? 0 : randomInt(n)),
  shuffle: (items) => new PyRandom(BigInt(randomInt(2 ** 47))).shuffle(items),
}

function seeded(seed: unknown): Source {
  if (typeof seed === 'string') return new PyRandom(seed)
  if (isInt(seed) || typeof seed === 'boolean') return new PyRandom(BigInt(Number(seed)))
  return fail(`a random seed must be an integer or a string, not ${describe(seed)}`)
}

/** Ansible's random: an integer end is randrange(start, end, step); a sequence gives one of its items. */
const random: FilterFn = (input, call, ctx) => {
  const [start, step, seed] = params(call, ['start', 'step', 'seed'], ctx)
  const source = seed === undefined || seed === null ? SYSTEM : seeded(seed)
  if (isInt(input)) {
    const from = start === undefined || start === null || start === 0 ? 0 : isInt(start) ? start : fail(`'random' start must be an integer, not ${describe(start)}`)
    const by = step === undefined || step === null || step === 0 ? 1 : isInt(step) ? step : fail(`'random' step must be an integer, not ${describe(step)}`)
    const width = input - from
    const count = by > 0 ? Math.ceil(width / by) : Math.floor((width + by + 1) / by)
    if (count <= 0) fail(`empty range for randrange() (${from}, ${input}, ${by})`)
    return from + by * source.below(count)
  }
  if (numberOf(input) !== undefined) fail('random can only be used on sequences and integers')
  if ((start !== undefined && start !== null && start !== 0) || (step !== undefined && step !== null && step !== 0)) {
    fail('start and step can only be used with integer values')
  }
  const items = toList(input, "the input of 'random'")
  if (items.length === 0) fail('Cannot choose from an empty sequence')
  return items[source.below(items.length)]
}

const shuffle: FilterFn = (input, call, ctx) => {
  const [seed] = params(call, ['seed'], ctx)
  const items = [...toList(input, "the input of 'shuffle'")]
  // Ansible seeds only with a true seed: seed=0 shuffles at random.
  const source = seed === undefined || seed === null || seed === 0 || seed === '' || seed === false ? SYSTEM : seeded(seed)
  return source.shuffle(items)
}

export const RANDOM_FILTERS: Record<string, FilterFn> = { random, shuffle }
