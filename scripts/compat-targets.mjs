#!/usr/bin/env node
// Scores Ansible's integration targets (test/ansible-targets/targets/, vendored unchanged) under
// ansible-playbook and under tsplay (dist/: run `npm run build` first), assert by assert.
// Usage: node scripts/compat-targets.mjs [target ...] [--write]   (--write puts the table in docs/compat.md)
// Method (docs/compat.md): each target is run as ansible-test runs a role target: a play
// `hosts: testhost, roles: [target]` on `testhost ansible_connection=local`, with output_dir and
// remote_tmp_dir set. Both tools get the same copy of the targets, changed in one way only: every
// assert task gets `ignore_errors: true`, so a failed assert does not hide the ones after it.
// An assert task is counted once (a looped one too): passed (ok), failed, or never reached.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LineCounter, parseDocument, isMap, isSeq } from 'yaml'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const TARGETS = join(ROOT, 'test', 'ansible-targets', 'targets')
const CALLBACKS = join(ROOT, 'test', 'compat', 'ansible', 'callback_plugins')
const SCORED = ['command_shell', 'copy', 'file', 'include_vars', 'lineinfile', 'lookup_items', 'loops', 'stat']
const ASSERT = new Set(['assert', 'ansible.builtin.assert', 'ansible.legacy.assert'])
const BLOCK_KEYS = ['block', 'rescue', 'always']

/** Every task mapping in a task list, into blocks. */
function* tasksOf(node) {
  if (!isSeq(node)) return
  for (const task of node.items) {
    if (!isMap(task)) continue
    yield task
    for (const key of BLOCK_KEYS) yield* tasksOf(task.get(key, true))
  }
}

const isAssert = (task) => task.items.some((pair) => ASSERT.has(String(pair.key?.value ?? pair.key)))

function yamlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return yamlFiles(full)
    return /\.ya?ml$/.test(name) ? [full] : []
  })
}

/** Adds ignore_errors to every assert task of every tasks/ and handlers/ file; returns each assert's file:line. */
function prepare(copy) {
  const asserts = new Map()
  for (const target of readdirSync(copy)) {
    const files = ['tasks', 'handlers'].flatMap((sub) => (existsSync(join(copy, target, sub)) ? yamlFiles(join(copy, target, sub)) : []))
    const found = []
    for (const file of files) {
      const document = parseDocument(readFileSync(file, 'utf8'))
      if (document.errors.length) continue
      let changed = false
      for (const task of tasksOf(document.contents)) if (isAssert(task)) { task.set('ignore_errors', true); changed = true }
      if (!changed) continue
      writeFileSync(file, document.toString({ lineWidth: 0 }))
      const lines = new LineCounter()
      const again = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines })
      for (const task of tasksOf(again.contents)) if (isAssert(task)) found.push(`${file}:${lines.linePos(task.range[0]).line}`)
    }
    asserts.set(target, found)
  }
  return asserts
}

function run(tool, target, roles, work) {
  const out = join(work, `${tool}-${target}`)
  mkdirSync(join(out, 'output'), { recursive: true })
  writeFileSync(join(out, 'inventory'), 'testhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n')
  const playbook = join(roles, '..', `${tool}-${target}.yml`)
  writeFileSync(playbook, `- hosts: testhost\n  gather_facts: true\n  roles: [${target}]\n`)
  // remote_tmp_dir is not given: setup_remote_tmp_dir registers it, and an extra var would override the registered one.
  const vars = ['-e', `output_dir=${join(out, 'output')}`]
  const json = join(out, 'run.json')
  const env = { ...process.env, ANSIBLE_ROLES_PATH: roles, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', CI: '1' }
  const args = tool === 'ansible'
    ? ['/usr/bin/ansible-playbook', ['-i', join(out, 'inventory'), playbook, ...vars], { ...env, ANSIBLE_STDOUT_CALLBACK: 'compat_json', ANSIBLE_CALLBACK_PLUGINS: CALLBACKS, TSPLAY_COMPAT_JSON: json }]
    : [process.execPath, [join(ROOT, 'bin', 'tsplay'), 'run', '-i', join(out, 'inventory'), playbook, ...vars, '--json'], env]
  const result = spawnSync(args[0], args[1], { cwd: dirname(playbook), env: args[2], encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 })
  const text = tool === 'ansible' ? (existsSync(json) ? readFileSync(json, 'utf8') : '') : result.stdout
  try {
    return { document: JSON.parse(text), stderr: result.stderr }
  } catch {
    return { document: null, stderr: `${result.stderr}\n${result.stdout}`.trim() }
  }
}

/** Per assert (file:line): 'pass' | 'fail' with its message; unreached asserts are absent. */
function outcomes(document) {
  const seen = new Map()
  for (const task of document?.plays.flatMap((p) => p.tasks) ?? []) {
    const host = task.hosts.testhost
    if (!host || !task.task.path) continue
    const failed = host.status === 'failed' || host.failed === true
    if (host.status === 'skipped') continue
    seen.set(task.task.path, failed ? { outcome: 'fail', msg: String(host.msg ?? '').split('\n')[0] } : { outcome: 'pass' })
  }
  return seen
}

function score(target, asserts, roles, work) {
  const ansible = run('ansible', target, roles, work)
  const tsplay = run('tsplay', target, roles, work)
  const a = outcomes(ansible.document)
  const t = outcomes(tsplay.document)
  const count = (o, kind) => asserts.filter((path) => o.get(path)?.outcome === kind).length
  const regressions = asserts.filter((path) => a.get(path)?.outcome === 'pass' && t.get(path)?.outcome !== 'pass').map((path) => {
    const where = relative(roles, path)
    const why = t.get(path)?.msg ?? (tsplay.document ? 'not reached' : `refused: ${tsplay.stderr.split('\n').find((l) => l.trim()) ?? ''}`)
    return `${where}: ${why}`
  })
  return { target, asserts: asserts.length, ansiblePass: count(a, 'pass'), ansibleFail: count(a, 'fail'), tsplayPass: count(t, 'pass'), tsplayFail: count(t, 'fail'), regressions }
}

const cell = (text) => text.replace(/\|/g, '\\|').slice(0, 160)

function table(rows) {
  const lines = ['| target | asserts | ansible pass | tsplay pass | tsplay fails where Ansible passes (first ones) |', '|---|---|---|---|---|']
  for (const r of rows) lines.push(`| ${r.target} | ${r.asserts} | ${r.ansiblePass} | ${r.tsplayPass} | ${r.regressions.length} ${r.regressions.slice(0, 3).map(cell).join('; ')} |`)
  return lines.join('\n')
}

const args = process.argv.slice(2)
const chosen = args.filter((a) => !a.startsWith('--'))
const work = mkdtempSync(join(tmpdir(), 'tsplay-targets-'))
const roles = join(work, 'roles')
cpSync(TARGETS, roles, { recursive: true })
const asserts = prepare(roles)
const rows = (chosen.length ? chosen : SCORED).map((target) => {
  const row = score(target, asserts.get(target) ?? [], roles, work)
  console.error(`${target}: ${row.asserts} asserts, ansible ${row.ansiblePass} pass / ${row.ansibleFail} fail, tsplay ${row.tsplayPass} pass / ${row.tsplayFail} fail`)
  return row
})
const markdown = `${table(rows)}\n\nProduced by \`node scripts/compat-targets.mjs --write\` on ${new Date().toISOString().slice(0, 10)} (tsplay ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()}).\n`
console.log(markdown)
console.log(JSON.stringify(rows.map(({ target, tsplayPass }) => ({ target, tsplayPass }))))
if (args.includes('--write')) {
  const docPath = join(ROOT, 'docs', 'compat.md')
  const doc = readFileSync(docPath, 'utf8')
  const start = '<!-- targets-table -->'
  const end = '<!-- /targets-table -->'
  const block = `${start}\n${markdown}${end}`
  writeFileSync(docPath, doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), block) : `${doc}\n${block}\n`)
}
rmSync(work, { recursive: true, force: true })
