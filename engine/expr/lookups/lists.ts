/** Lookups that shape lists: items, list. */
import type { LookupFn } from './types.js'

/** items flattens its terms one level, as with_items does. */
export const items: LookupFn = (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t]))

export const list: LookupFn = (terms) => terms
