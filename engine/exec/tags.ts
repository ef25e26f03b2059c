/** Ansible's tag selection: --tags / --skip-tags with the special tags always, never, all, tagged, untagged. */
import type { VarScope } from '../vars.js'

/**
 * Templated tags (`tags: "{{ the_tags }}"`) rendered as Ansible's evaluate_tags renders them, with
 * the play's variables; a list they give counts tag by tag.
 */
export function renderedTags(tags: readonly string[], scope: () => VarScope): string[] {
  if (!tags.some((t) => t.includes('{{'))) return [...tags]
  return tags.flatMap((tag) => (tag.includes('{{') ? [scope().render(tag)].flat().map(String) : [tag]))
}

/** Whether a task with these tags runs under --tags `only` and --skip-tags `skip`. */
export function selectedByTags(taskTags: readonly string[], only: readonly string[], skip: readonly string[]): boolean {
  const tags = new Set(taskTags)
  const onlyTags = only.length ? only : ['all']
  let run = false
  if (tags.has('always') || onlyTags.some((t) => tags.has(t))) run = true
  else if (onlyTags.includes('all') && !tags.has('never')) run = true
  else if (onlyTags.includes('tagged') && tags.size > 0 && !tags.has('never')) run = true
  else if (onlyTags.includes('untagged') && tags.size === 0) run = true
  if (!run || skip.length === 0) return run
  if (skip.includes('all')) return tags.has('always') && !skip.includes('always')
  if (skip.some((t) => tags.has(t))) return false
  if (skip.includes('tagged') && tags.size > 0) return false
  if (skip.includes('untagged') && tags.size === 0) return false
  return true
}
