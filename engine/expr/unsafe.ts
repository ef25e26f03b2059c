/**
 * Text that must never be read as a template: a YAML `!unsafe` value (Ansible's
 * `AnsibleUnsafeText`). It is a box rather than a string so that the loader, the argument
 * checks and the renderer can tell it from a template the user wrote; rendering unboxes it
 * to the plain text, and the result of a render is never rendered again (engine/vars.ts),
 * so no module, filter or comparison ever sees the box.
 */
export class UnsafeText {
  constructor(readonly text: string) {}

  /** `String(x)`, template interpolation of the raw value, and messages show the text itself. */
  toString(): string {
    return this.text
  }

  /** `tsplay inventory` and --json print the raw value as the string it is. */
  toJSON(): string {
    return this.text
  }
}

export function isUnsafe(value: unknown): value is UnsafeText {
  return value instanceof UnsafeText
}

/** True if a value holds `!unsafe` text anywhere (arrays and plain objects are searched). */
export function holdsUnsafe(value: unknown): boolean {
  if (value instanceof UnsafeText) return true
  if (Array.isArray(value)) return value.some(holdsUnsafe)
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).some(holdsUnsafe)
  }
  return false
}
