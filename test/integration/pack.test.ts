/**
 * The package npm makes of this repository works once installed: `npm pack` (which builds
 * dist/ through the prepare script) then `npm install -g` of the tarball into an empty prefix
 * gives a `tsplay` that runs. Without `files` in package.json, npm packed what .gitignore leaves,
 * which has no dist/, and the installed command said "tsplay is not built".
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT, writeTree } from '../helpers/cli.js'

const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'tsplay-pack-'))
const prefix = join(work, 'prefix')
const installed = join(prefix, 'bin', 'tsplay')

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--pack-destination', work], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })
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
