/** The `loop` variable of a for loop: index, first/last, cycle(), changed(), previtem/nextitem. */
import { Callable, CALL_KEY } from '../callable.js'
import { equals } from '../python.js'
import { fail, type Dict } from '../values.js'

export function loopVariable(items: unknown[], i: number, depth: number, changedState: { last?: unknown[] }, recurse?: Callable): Dict {
  const length = items.length
  const loop: Dict = {
    index: i + 1,
    index0: i,
    revindex: length - i,
    revindex0: length - i - 1,
    first: i === 0,
    last: i === length - 1,
    length,
    depth: depth + 1,
    depth0: depth,
    cycle: new Callable('loop.cycle', ({ positional }) => (positional.length ? positional[i % positional.length] : fail('loop.cycle() needs at least one value'))),
    changed: new Callable('loop.changed', ({ positional }) => {
      const same = changedState.last !== undefined && equals(changedState.last, positional)
      changedState.last = positional
      return !same
    }),
  }
  if (i > 0) loop['previtem'] = items[i - 1]
  if (i < length - 1) loop['nextitem'] = items[i + 1]
  if (recurse) loop[CALL_KEY] = recurse
  return loop
}
