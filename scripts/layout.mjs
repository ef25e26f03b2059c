// README's Layout section, made from the tree: every folder git tracks (two levels deep in engine/,
// modules/ and test/) with what it is for, and each module family with the modules it holds (read
// from modules/index.ts). A folder without a line here, or a line for a folder that is gone, is an
// error, so the section cannot drift from the tree.
// Usage: node scripts/layout.mjs            print the section
//        node scripts/layout.mjs --write    rewrite it in README.md
//        node scripts/layout.mjs --check    exit 1 when README.md's section differs (npm run check)
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const START = '<!-- layout: made by scripts/layout.mjs from the tree; edit the descriptions there -->'
const END = '<!-- layout end -->'

/** What each folder is for. Folders nested deeper than these are described by their parent. */
const FOLDERS = {
  'bin/': 'the `tsplay` command (thin: it starts engine/cli/main.ts)',
  'engine/': 'the engine; the data flow from YAML to host: docs/architecture.md',
  'engine/cli/': 'the commands and flags; main.ts is the composition root (the module list comes in here)',
  'engine/config/': 'ansible.cfg and ANSIBLE_* settings',
  'engine/inventory/': 'INI, YAML and script inventories, group_vars/host_vars, patterns, --limit',
  'engine/playbook/': 'the loader: YAML to the typed playbook tree, with file:line:col errors',
  'engine/expr/': 'the expression language (Jinja2-style filters and tests, no eval)',
  'engine/exec/': 'the executor: plays, batches, strategies, blocks, tasks, handlers, run_once, stats',
  'engine/connection/': 'SSH (host keys checked), local, sudo/su, session slots',
  'engine/facts/': 'facts read from hosts (scripts and their parsers)',
  'engine/files/': 'atomic file writes, stat, modes, diffs, check-mode predictions',
  'engine/output/': 'reporters: plain, the live terminal view, --json; the secret scrubber',
  'engine/vault/': 'ansible-vault files and values',
  'engine/lab/': '`tsplay lab`: local Debian hosts in containers, their apt cache, `tsplay test`',
  'modules/': 'one folder per module family (its modules, their decisions, facts and helpers); start at the module\'s file and follow its imports; index.ts lists every module',
  'modules/_shared/': 'only what two or more families use',
  'roles/': 'the flagship roles, by tier (docs/roles-db.md, docs/roles-lb.md, docs/roles-rancher.md, docs/roles-storage.md); galera-haproxy, rancher-lab-images and gluster-lab-volume are the lab\'s substitutes',
  'playbooks/': 'the flagship: site.yml, db.yml, lb.yml, rancher.yml and storage.yml; health.yml (roles is a link to roles/)',
  'inventory/': 'the flagship inventories: lab/ (the local lab), production/ (an example)',
  'test/': 'the tests (docs/architecture.md, "Where tests live")',
  'test/unit/': 'pure logic; unit/modules/<family>.test.ts for the module decisions, fixtures.test.ts for the data-driven cases',
  'test/exec/': 'the executor in process (test/helpers/exec-harness.ts): handlers, blocks, run_once, serial, strategies',
  'test/integration/': 'the real CLI, SSH against a real sshd, modules on real connections',
  'test/lab/': 'lab hosts: modules, roles and the lab itself',
  'test/compat/': 'the differential harness: each test/fixtures/compat case through ansible-playbook and tsplay, compared (docs/compat.md)',
  'test/ansible-targets/': 'Ansible\'s integration targets, vendored unchanged (GPL-3.0-or-later), scored by scripts/compat-targets.mjs',
  'test/helpers/': 'test code: CLI runner, exec and module harnesses, the strict fake host, sshd, tmux',
  'test/fixtures/': 'test data only',
  'bench/': 'the speed benchmark against ansible-playbook (bench/RESULTS.md)',
  'docs/': 'architecture, design decisions, the lab, the vault, the roles of each tier, a second app reusing them (app2.md)',
  'scripts/': 'setup, the flagship run and its health report, the benchmark, lab teardown, this layout',
}
/** Folders nested inside these get no line of their own. */
const DEEP = ['engine/', 'modules/', 'test/']

function trackedFolders() {
  const files = execFileSync('git', ['-c', 'core.quotePath=false', 'ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean)
  const folders = new Set()
  for (const file of files) {
    const parts = file.split('/')
    if (parts.length < 2 || parts[0].startsWith('.')) continue
    folders.add(`${parts[0]}/`)
    if (parts.length > 2 && DEEP.includes(`${parts[0]}/`)) folders.add(`${parts[0]}/${parts[1]}/`)
  }
  return [...folders]
}

/** family folder -> its modules, in modules/index.ts's order. */
function families() {
  const index = readFileSync(join(ROOT, 'modules', 'index.ts'), 'utf8')
  const byFamily = new Map()
  for (const [, family, name] of index.matchAll(/^import \w+ from '\.\/(\w+)\/(\w+)\.js'$/gm)) {
    byFamily.set(`modules/${family}/`, [...(byFamily.get(`modules/${family}/`) ?? []), name])
  }
  return byFamily
}

export function layout() {
  const modules = families()
  const folders = trackedFolders()
  const missing = folders.filter((f) => !(f in FOLDERS) && !modules.has(f))
  const gone = Object.keys(FOLDERS).filter((f) => !folders.includes(f))
  if (missing.length || gone.length) {
    throw new Error(
      [missing.length ? `no description in scripts/layout.mjs for: ${missing.join(', ')}` : '', gone.length ? `described but not in the tree: ${gone.join(', ')}` : '']
        .filter(Boolean)
        .join('; '),
    )
  }
  const order = Object.keys(FOLDERS)
  const rank = (f) => {
    const top = `${f.split('/')[0]}/`
    return [order.indexOf(top), order.includes(f) ? order.indexOf(f) : order.length]
  }
  const sorted = folders.sort((a, b) => {
    const [ta, fa] = rank(a)
    const [tb, fb] = rank(b)
    return ta - tb || fa - fb || a.localeCompare(b)
  })
  const lines = sorted.map((f) => {
    const nested = f.split('/').length > 2
    const name = nested ? `  ${f.slice(f.indexOf('/') + 1)}` : f
    const what = FOLDERS[f] ?? `modules: ${modules.get(f).join(', ')}`
    return `${name.padEnd(20)}${what}`
  })
  return ['```', ...lines, '```'].join('\n')
}

function section(readme) {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`README.md has no layout section (${START} ... ${END})`)
  return { before: readme.slice(0, start + START.length), current: readme.slice(start + START.length, end), after: readme.slice(end) }
}

const mode = process.argv[2]
const readmePath = join(ROOT, 'README.md')
let made
try {
  made = `\n${layout()}\n`
} catch (err) {
  console.error(`scripts/layout.mjs: ${err.message}`)
  process.exit(1)
}
if (mode === '--write' || mode === '--check') {
  const readme = readFileSync(readmePath, 'utf8')
  const { before, current, after } = section(readme)
  if (mode === '--write') writeFileSync(readmePath, before + made + after)
  else if (current !== made) {
    console.error('README.md\'s Layout section differs from the tree: run `node scripts/layout.mjs --write`')
    process.exit(1)
  }
} else process.stdout.write(made.slice(1))
