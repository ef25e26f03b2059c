/** Option helpers that every command shares. */
import { Option } from 'commander'

/** A repeatable option's parser: `-e a=1 -e b=2` gives both, in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value]

/** A counting flag's parser: `-vvv` gives 3. */
export const increase = (_: string, previous: number): number => previous + 1

/**
 * `-i`, repeatable. Without it, the inventory comes from the environment (inventorySources), then
 * from the command's own fallback; --help says so instead of commander's "(default: [])".
 */
export function inventoryOption(description: string, fallback?: string): Option {
  const fromEnv = `$TSPLAY_INVENTORY, else $ANSIBLE_INVENTORY${fallback ? `, else ${fallback}` : ''}`
  return new Option('-i, --inventory <source>', description).argParser(collect).default([], fromEnv)
}
