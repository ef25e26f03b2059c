/**
 * Fuzz: random Jinja-looking text (`{{ }}`, `{% %}`, `{# #}`, whitespace control, lookups,
 * quotes, newlines, non-ASCII) as a host's command output and as a fact. Whatever it holds,
 * what tsplay writes and prints is the host's text, byte for byte. Seeded, so a failure
 * names a case that reproduces.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tsplayJson, writeTree } from '../helpers/cli.js'
import { prng } from '../helpers/prng.js'

const SEED = 0x7e5a_1a10
const CASES = 300


const OPENERS = ['{{', '{{-', '{%', '{%-', '{#', '{#-', '{', '${', '<%=', '<%']
const CLOSERS = ['}}', '-}}', '%}', '-%}', '#}', '-#}', '}', '%>']
const INSIDE = [
  ' 7*7 ',
  " lookup('env', 'CTRL_ONLY') ",
  " lookup('file', '/etc/hostname') ",
  ' db_password ',
  ' inventory_hostname ',
  ' hostvars ',
  " range(10) | join(',') ",
  ' if true ',
  ' endif ',
  ' for x in [1, 2] ',
  ' raw ',
  ' endraw ',
  ' x | default(omit) ',
  " '}}' ",
  ' "{{" ',
  '',
]
const TEXT = ['a', ' ', '\n', '\t', "'", '"', '\\', '$', '`', '#', '%', '-', '|', ':', 'é', '☃', 'x=1', '\\n', '{{', '}}']

function payload(next: () => number, { trimmed }: { trimmed: boolean }): string {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
  let out = ''
  const pieces = 1 + Math.floor(next() * 6)
  for (let i = 0; i < pieces; i++) {
    if (next() < 0.7) out += pick(OPENERS) + pick(INSIDE) + (next() < 0.85 ? pick(CLOSERS) : '')
    const filler = Math.floor(next() * 3)
    for (let j = 0; j < filler; j++) out += pick(TEXT)
  }
  // Facts come from `env -0` split into sections: the values worth testing are not blank-edged.
  return trimmed ? `<${out}>` : out
}

/** Payloads for command output (any text) and for environment facts (no NUL, not blank-edged). */
function cases(): { stdout: string[]; env: string[] } {
  const next = prng(SEED)
  const stdout: string[] = []
  const env: string[] = []
  for (let i = 0; i < CASES; i++) {
    stdout.push(payload(next, { trimmed: false }))
    env.push(payload(next, { trimmed: true }))
  }
  return { stdout, env }
}

const id = (i: number): string => String(i).padStart(3, '0')

describe('fuzz: host text through register and facts', () => {
  it(`${CASES} random template-like command outputs and ${CASES} environment facts are written and printed byte for byte`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-unsafe-fuzz-'))
    const { stdout, env } = cases()
    const files: Record<string, string> = { hosts: 'h1 ansible_connection=local\n' }
    stdout.forEach((text, i) => (files[`in/${id(i)}`] = text))
    files['ids.yml'] = `ids: [${stdout.map((_, i) => `"${id(i)}"`).join(', ')}]\n`
    files['site.yml'] = `- hosts: h1
  gather_facts: true
  vars_files: [ids.yml]
  vars:
    db_password: not-to-be-read
  tasks:
    - name: read
      command: { cmd: "cat ${dir}/in/{{ item }}", strip_empty_ends: false }
      loop: "{{ ids }}"
      register: out
    - name: write
      copy: { content: "{{ item.stdout }}", dest: "${dir}/out/{{ item.item }}" }
      loop: "{{ out.results }}"
      loop_control: { label: "{{ item.item }}" }
    - name: print
      debug: { msg: "{{ item.stdout }}" }
      loop: "{{ out.results }}"
      loop_control: { label: "{{ item.item }}" }
    - name: keep
      set_fact: { kept: "{{ out.results | map(attribute='stdout') | list }}" }
    - name: write all
      copy: { content: "{{ kept | to_json }}", dest: "${dir}/out/all.json" }
    - name: print facts
      debug: { msg: "{{ ansible_env['TSPLAY_FUZZ_' ~ item] }}" }
      loop: "{{ ids }}"
    - name: keep facts
      set_fact: { facts: "{{ ids | map('regex_replace', '^', 'TSPLAY_FUZZ_') | map('extract', ansible_facts.env) | list }}" }
    - name: write facts
      copy: { content: "{{ facts | to_json }}", dest: "${dir}/out/env.json" }
`
    writeTree(dir, { ...files, 'out/.keep': '' })
    const envVars = Object.fromEntries(env.map((text, i) => [`TSPLAY_FUZZ_${id(i)}`, text]))
    const r = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir, env: { CTRL_ONLY: 'controller-only', ...envVars }, timeoutMs: 240_000 })
    expect(r.code, r.stderr).toBe(0)

    const printed = (task: string): unknown[] =>
      (r.json.plays[0]?.tasks.find((t) => t.task.name === task)?.hosts['h1']?.['results'] as { msg: unknown }[]).map((x) => x.msg)
    const printedOutput = printed('print')
    const printedFacts = printed('print facts')
    const writtenFacts = JSON.parse(readFileSync(join(dir, 'out', 'env.json'), 'utf8')) as unknown[]
    let checked = 0
    stdout.forEach((text, i) => {
      const where = `case ${i} (seed ${SEED}): ${JSON.stringify(text)}`
      expect(readFileSync(join(dir, 'out', id(i)), 'utf8'), where).toBe(text)
      expect(printedOutput[i], where).toBe(text)
      checked++
    })
    expect(JSON.parse(readFileSync(join(dir, 'out', 'all.json'), 'utf8'))).toEqual(stdout)
    env.forEach((text, i) => {
      const where = `fact case ${i} (seed ${SEED}): ${JSON.stringify(text)}`
      expect(printedFacts[i], where).toBe(text)
      expect(writtenFacts[i], where).toBe(text)
      checked++
    })
    expect(checked).toBe(2 * CASES)
  }, 300_000)
})
