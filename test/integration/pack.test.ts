/**
 * The package npm makes of this repository works once installed: `npm pack` in a checkout that
 * was never built (as `npm install git+...` packs a fresh clone; its prepare script builds dist/)
 * then `npm install -g` of the tarball into an empty prefix gives a `tsplay` that runs. Without
 * `files` in package.json, npm packed what .gitignore leaves, which has no dist/, and the
 * installed command said "tsplay is not built".
 */
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT, writeTree } from '../helpers/cli.js'

const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'tsplay-pack-'))
const prefix = join(work, 'prefix')
const installed = join(prefix, 'bin', 'tsplay')

/** The repository's files as a clone has them (no dist/), with this checkout's node_modules to build with. */
function freshCheckout(): string {
  const checkout = join(work, 'checkout')
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  for (const file of listed.split('\n').filter((f) => f && f !== 'node_modules' && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(checkout, file)), { recursive: true })
    cpSync(join(ROOT, file), join(checkout, file), { verbatimSymlinks: true })
  }
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'))
  return checkout
}

beforeAll(async () => {
  // Not in ROOT: its build would rewrite dist/ under the other tests' feet.
  const checkout = freshCheckout()
  const { stdout } = await run('npm', ['pack', '--pack-destination', work], { cwd: checkout, maxBuffer: 64 * 1024 * 1024 })
  const tarball = join(work, stdout.trim().split('\n').pop() as string)
  mkdirSync(prefix)
  // The dependencies come from npm's cache; only what it lacks is asked of the registry.
  await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: work })
}, 600_000)

describe('npm pack, then npm install -g of the tarball', () => {
  it('gives a tsplay that prints its version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const { stdout } = await run(installed, ['--version'], { cwd: work })
    expect(stdout).toContain(version)
  })

  it('gives a tsplay that runs a local playbook', async () => {
    const project = join(work, 'project')
    writeTree(project, { 'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${project}/out.txt", content: "installed\\n" }\n` })
    const { stdout } = await run(installed, ['run', 'site.yml'], { cwd: project, env: { ...process.env, CI: '1' } })
    expect(stdout).toMatch(/localhost\s*: ok=1\s+changed=1\s+unreachable=0\s+failed=0/)
    expect(readFileSync(join(project, 'out.txt'), 'utf8')).toBe('installed\n')
  })
})
