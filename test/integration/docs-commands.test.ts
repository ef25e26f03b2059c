/**
 * The docs stay true: every shell command of README.md and docs/*.md that can run on this machine
 * without the lab runs, block by block (a block is one shell: `cd` and `export` carry on), in a
 * temporary copy of the repository's examples, and exits as the docs say (0, or the `exit N` its
 * comment names; a comment `changed=N` is checked against the recap). Commands that cannot run
 * here are skipped by a rule that says why. Every repository path the docs name exists.
 */
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { labFiles, prepareStateDir, writeVaultPassword } from '../../engine/lab/state.js'
import { ROOT } from '../helpers/cli.js'

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

/** What cannot run here, and why. Each rule must still match a command of the docs. */
const SKIPPED: { pattern: RegExp; why: string }[] = [
  { pattern: /^bash scripts\/(setup|flagship)\.sh/, why: 'installs packages as root and starts lab hosts (docker, the network)' },
  { pattern: /^bash scripts\/bench\.sh/, why: 'starts lab hosts and runs ansible-playbook against them' },
  { pattern: /^git clone /, why: 'needs the network (the tests run in a checkout)' },
  { pattern: /^npm install/, why: 'needs the registry (the tests run in a checkout with node_modules)' },
  { pattern: /^tsplay lab /, why: 'needs the lab: root and docker' },
  { pattern: /-i (inventory\/lab|hosts\.ini)\b/, why: 'runs on lab hosts' },
  { pattern: /-i test\/fixtures\/[\w-]+\/lab\b/, why: "runs on a lab test's own lab hosts" },
  { pattern: /-i inventory\.ini\b/, why: 'its hosts (web1.example.com, db1 at 10.0.0.11) are an example' },
  { pattern: /~\/\.vault-pass/, why: "reads the reader's own vault password file (and `vault create` opens $EDITOR)" },
]

interface DocCommand {
  file: string
  line: number
  /** The command as the docs write it, with its here-document if it has one. */
  text: string
  comment: string
}

interface DocBlock {
  file: string
  line: number
  commands: DocCommand[]
}

/** The ```sh blocks of a Markdown file, split into commands (a here-document belongs to its command). */
function shellBlocks(file: string): DocBlock[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n')
  const blocks: DocBlock[] = []
  let block: DocBlock | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (!block) {
      if (/^```(sh|bash|shell)$/.test(line)) block = { file, line: i + 2, commands: [] }
      continue
    }
    if (line === '```') {
      blocks.push(block)
      block = undefined
      continue
    }
    if (!line.trim() || line.startsWith('#')) continue
    const command: DocCommand = { file, line: i + 1, text: line, comment: / {2,}# (.*)$/.exec(line)?.[1] ?? '' }
    const heredoc = /<<-?'?(\w+)'?/.exec(line)?.[1]
    if (heredoc) {
      while (i + 1 < lines.length && lines[i + 1] !== heredoc) command.text += '\n' + lines[++i]
      command.text += '\n' + lines[++i]
    }
    block.commands.push(command)
  }
  return blocks
}

const skipRule = (c: DocCommand): { pattern: RegExp; why: string } | undefined => SKIPPED.find((r) => r.pattern.test(c.text))

const BLOCKS = DOCS.flatMap(shellBlocks)
const RUNNABLE = BLOCKS.filter((b) => b.commands.some((c) => !skipRule(c)))

/** One shell for the block; markers around each command give its output and exit code. */
function blockScript(block: DocBlock, scratch: string): string {
  return block.commands
    .map((c, i) => {
      if (skipRule(c)) return `: skipped`
      // /tmp/... in the docs is the reader's scratch space: here, this test's own.
      const text = c.text.replaceAll('/tmp/', `${scratch}/`)
      return `printf '\\n@@begin ${i}@@\\n'\n${text}\nprintf '\\n@@end ${i} %s@@\\n' "$?"`
    })
    .join('\n')
}

function runBlock(script: string, cwd: string, home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      cwd,
      env: { ...process.env, HOME: home, CI: '1', PATH: `${join(ROOT, 'bin')}:${process.env['PATH'] ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      resolve(out)
    })
  })
}

let examples: string
let scratch: string
let home: string

beforeAll(() => {
  examples = mkdtempSync(join(tmpdir(), 'tsplay-docs-'))
  // playbooks/roles is a link to ../roles: copied as the link it is.
  for (const dir of ['playbooks', 'roles', 'inventory', 'scripts', 'bench']) cpSync(join(ROOT, dir), join(examples, dir), { recursive: true, verbatimSymlinks: true })
  // The lab's vault password file, as `tsplay lab up -i inventory/lab` writes it (no lab is brought up):
  // the docs' commands that name it (inventory/production's placeholders) run.
  const lab = labFiles(join(examples, 'inventory', 'lab', '.lab'))
  prepareStateDir(lab)
  writeVaultPassword(lab)
  scratch = mkdtempSync(join(tmpdir(), 'tsplay-docs-scratch-'))
  home = mkdtempSync(join(tmpdir(), 'tsplay-docs-home-'))
})

describe('the docs’ shell commands run as they say', () => {
  test.each(RUNNABLE.map((b) => [`${b.file}:${b.line}`, b] as const))('%s', async (_, block) => {
    const out = await runBlock(blockScript(block, scratch), examples, home)
    block.commands.forEach((c, i) => {
      if (skipRule(c)) return
      const where = `${c.file}:${c.line}: ${c.text.split('\n')[0]}`
      const section = new RegExp(`@@begin ${i}@@\\n([\\s\\S]*?)\\n@@end ${i} (\\d+)@@`).exec(out)
      expect(section, `${where} did not finish:\n${out}`).not.toBeNull()
      const [, output, code] = section as RegExpExecArray
      const expected = Number(/\bexit (\d+)\b/.exec(c.comment)?.[1] ?? 0)
      expect(Number(code), `${where}\n${output}`).toBe(expected)
      const changed = /\bchanged=(\d+)/.exec(c.comment)?.[1]
      if (changed !== undefined) {
        const recap = [...(output as string).matchAll(/ changed=(\d+)/g)].map((m) => m[1])
        expect(recap.length, `${where}: no recap`).toBeGreaterThan(0)
        expect(recap, `${where}\n${output}`).toEqual(recap.map(() => changed))
      }
    })
  })

  test('every skip rule still matches a command of the docs, and each skipped command has its reason', () => {
    const commands = BLOCKS.flatMap((b) => b.commands)
    for (const rule of SKIPPED) expect(commands.some((c) => rule.pattern.test(c.text)), `unused skip rule ${rule.pattern}`).toBe(true)
    const skipped = commands.filter((c) => skipRule(c)).map((c) => `${c.file}:${c.line} ${c.text.split('\n')[0]} -- ${skipRule(c)?.why}`)
    expect(skipped.length).toBeGreaterThan(0)
  })
})

/** Paths into the repository: under one of its top-level folders. */
const REPO_PATH = /^(bin|engine|modules|roles|playbooks|inventory|test|bench|docs|scripts)\/[\w./-]*$/

test('every repository path the docs name exists', () => {
  const missing: string[] = []
  for (const file of DOCS) {
    const text = readFileSync(join(ROOT, file), 'utf8')
    const inline = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string)
    const words = shellBlocks(file).flatMap((b) => b.commands.flatMap((c) => c.text.split(/\s+/)))
    for (const candidate of [...inline, ...words]) {
      const path = candidate.replace(/[),.:;]+$/, '')
      if (REPO_PATH.test(path) && !existsSync(join(ROOT, path))) missing.push(`${file}: ${path}`)
    }
  }
  expect(missing).toEqual([])
})

test('every Markdown file the repository cites is in it', () => {
  const files = repositoryFiles()
  const texts = files.filter((f) => /\.(md|ts)$/.test(f) && !f.startsWith('test/fixtures/')).map((f) => readFileSync(join(ROOT, f), 'utf8'))
  const cited = new Set(texts.flatMap((text) => [...text.matchAll(/\b([\w./-]+\.md)\b/g)].map((m) => m[1] as string)))
  const found = (name: string): boolean => files.some((f) => f === name || f.endsWith(`/${name}`))
  expect([...cited].filter((name) => !found(name))).toEqual([])
})

/** The repository's files: tracked, and new ones not ignored. */
function repositoryFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  return listed.split('\n').filter((f) => f && existsSync(join(ROOT, f)))
}
