/**
 * Acceptance: the templates of Ansible's own `template` integration target (v2.14.17) that have a
 * known-good files/*.expected render byte-identical, with the vars and args its tasks/main.yml give.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { MISSING, render, type Scope } from '../../engine/expr/index.js'
import { renderJinjaFile, type JinjaFileOptions } from '../../engine/expr/jinja/file.js'
import { loadYamlFileSync } from '../../engine/yaml.js'

const target = join(import.meta.dirname, '../fixtures/jinja/ansible-template-target')
const vars = { ...(loadYamlFileSync(join(target, 'vars/main.yml')) as Record<string, unknown>), role_path: target }
const scope: Scope = {
  lookup: (name) => (Object.hasOwn(vars, name) ? render(vars[name as keyof typeof vars], scope) : MISSING),
}

const cases: [template: string, expected: string, options: JinjaFileOptions][] = [
  ['import_with_context.j2', 'import_with_context.expected', {}],
  ['import_as.j2', 'import_as.expected', {}],
  ['import_as_with_context.j2', 'import_as_with_context.expected', {}],
  ['custom_comment_string.j2', 'custom_comment_string.expected', { commentStart: '[#', commentEnd: '#]' }],
  ['trim_blocks.j2', 'trim_blocks_false.expected', { trimBlocks: false }],
  ['trim_blocks.j2', 'trim_blocks_true.expected', { trimBlocks: true }],
  ['lstrip_blocks.j2', 'lstrip_blocks_false.expected', { lstripBlocks: false }],
  ['lstrip_blocks.j2', 'lstrip_blocks_true.expected', { lstripBlocks: true }],
]

describe("Ansible's template target", () => {
  test.each(cases)('%s renders as files/%s', (template, expected, options) => {
    const out = renderJinjaFile(join(target, 'templates', template), scope, options)
    expect(out).toBe(readFileSync(join(target, 'files', expected), 'utf8'))
  })

  // The target compares foo.txt with `diff -uw`: its expected file has Python 2's `", "` json separators.
  test('foo.j2 renders as files/foo.txt (whitespace ignored, as the target does)', () => {
    const noSpace = (text: string): string => text.replace(/[ \t]+/g, '')
    const out = renderJinjaFile(join(target, 'templates/foo.j2'), scope)
    expect(noSpace(out)).toBe(noSpace(readFileSync(join(target, 'files/foo.txt'), 'utf8')))
  })

  // `#jinja2: line_statement_prefix:":"`: the `: if true` lines are statements, each to its line's end.
  test('override_colon_value.j2 (line statements) renders as files/override_colon_value.expected', () => {
    const out = renderJinjaFile(join(target, 'templates/override_colon_value.j2'), scope)
    expect(out).toBe(readFileSync(join(target, 'files/override_colon_value.expected'), 'utf8'))
  })

  test('override_separator.j2 (a setting written with =) fails with Ansible\'s message', () => {
    const path = join(target, 'templates/override_separator.j2')
    expect(() => renderJinjaFile(path, scope)).toThrow("failed to parse jinja2 override 'lstrip_blocks=True'. Did you use something different from colon as key-value separator?")
  })
})
