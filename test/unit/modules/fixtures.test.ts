/**
 * Module fixtures as data (pyinfra's habit): each file under test/fixtures/modules/<family>/ is
 * `{module, args, facts, host} -> {status, commands, writes}`. The host is a scripted one that
 * answers only the reads the fixture lists: a command it has no rule for fails the case.
 *
 * A case runs twice on fresh hosts: in check mode, which sends only the plan's reads and lists
 * the planned commands as "would run", then for real. The commands the real run sends beyond
 * those reads (file writes aside, which `writes` holds) must be the fixture's `commands`; and
 * where the module plans its commands, they must be the very ones the check run named.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runTestModule } from '../../helpers/module-harness.js'
import { ABSENT, FakeHost, fileReply, fixture, type Reply, type Rule } from '../../helpers/fake-host.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'modules')

/** One read the host answers: a regular expression over the command, and its answer. */
interface HostRule {
  match: string
  stdout?: string
  /** A captured output in test/fixtures/system/ as stdout. */
  fixture?: string
  /** The path fact's answer for a file with this content. */
  file?: string
  /** The path fact's answer for a path that does not exist. */
  absent?: true
  stderr?: string
  code?: number
}

interface ModuleFixture {
  description: string
  module: string
  args: Record<string, unknown>
  /** Gathered facts (ansible_service_mgr, ansible_pkg_mgr, ...). */
  facts?: Record<string, unknown>
  host: HostRule[]
  status: 'ok' | 'changed' | 'failed' | 'skipped'
  /** The commands apply sends, in order (file writes aside). */
  commands: string[]
  /** The content of each atomic file write, in order. */
  writes?: string[]
  msg?: string
}

function replyOf(rule: HostRule): Reply {
  if (rule.absent) return ABSENT
  if (rule.file !== undefined) return fileReply(rule.file)
  const stdout = rule.fixture !== undefined ? fixture(rule.fixture) : rule.stdout
  return { ...(stdout !== undefined ? { stdout } : {}), ...(rule.stderr !== undefined ? { stderr: rule.stderr } : {}), ...(rule.code !== undefined ? { code: rule.code } : {}) }
}

/** A host that answers the fixture's reads, runs its commands and file writes, and fails the case on any other command. */
function scriptedHost(f: ModuleFixture): FakeHost {
  const rules: Rule[] = f.host.map((r) => [new RegExp(r.match), replyOf(r)])
  const unlisted: Rule = [/[^]*/, (text) => (isWrite(text) || f.commands.includes(text) ? {} : unanswered(f, text))]
  return new FakeHost([...rules, unlisted])
}

function unanswered(f: ModuleFixture, text: string): never {
  throw new Error(`${f.module}: no rule in the fixture answers:\n${text}`)
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? fixtureFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
}

const isWrite = (text: string): boolean => /mktemp/.test(text)

describe.each(fixtureFiles(ROOT).map((path) => [relative(ROOT, path), JSON.parse(readFileSync(path, 'utf8')) as ModuleFixture] as const))('%s', (_file, f) => {
  it(f.description, async () => {
    const options = f.facts ? { facts: f.facts } : {}
    const log: string[] = []
    const checkHost = scriptedHost(f)
    const check = await runTestModule(f.module, f.args, { ...options, connection: checkHost, check: true, log })
    const reads = new Set(checkHost.sent.map((s) => s.text))
    const realHost = scriptedHost(f)
    const real = await runTestModule(f.module, f.args, { ...options, connection: realHost })

    expect(real.status).toBe(f.status)
    if (f.msg !== undefined) expect(real.msg).toBe(f.msg)
    // Check mode predicts the real run; only a failure while applying is beyond it.
    if (f.status !== 'failed') expect(check.status).toBe(f.status)
    // Reads the real run makes beyond the check run's (a path read again after the write, for the
    // result's owner and mode, as Ansible's add_path_info) are answered by the fixture's host rules too.
    const answered = (t: string): boolean => !f.commands.includes(t) && f.host.some((r) => new RegExp(r.match).test(t))
    const sent = realHost.sent.map((s) => s.text).filter((t) => !reads.has(t) && !isWrite(t) && !answered(t))
    expect(sent).toEqual(f.commands)
    expect(realHost.written()).toEqual(f.writes ?? [])
    const planned = log.filter((l) => l.startsWith('would run: ')).map((l) => l.slice('would run: '.length))
    if (planned.length) expect(planned).toEqual(f.commands)
  })
})
