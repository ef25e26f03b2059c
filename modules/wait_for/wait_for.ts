/**
 * wait_for: waits on the target for a port to open or close, or a file to appear (with
 * some text) or vanish, or just for time to pass (Ansible's `wait_for`). Waiting writes
 * nothing, so it happens in plan and check mode waits too, as in Ansible. The polling
 * loop runs on the target in one command, the timeout inside it.
 */
import { defineModule } from '../../engine/module.js'
import { pythonRegex } from '../_shared/python-regex.js'
import { waitScript, type WaitSpec } from './wait-script.js'

const args = {
  host: { type: 'str', default: '127.0.0.1', description: 'The host to connect to from the target when waiting for a port.' },
  port: { type: 'int', description: 'The TCP port to wait for.' },
  path: { type: 'path', description: 'The file to wait for (to exist, to contain search_regex, or to be gone).' },
  state: {
    type: 'str',
    choices: ['started', 'stopped', 'present', 'absent'],
    default: 'started',
    description: 'started/present: the port is open or the file exists; stopped/absent: the port is closed or the file is gone.',
  },
  timeout: { type: 'int', default: 300, description: 'Seconds to wait in all (including delay) before failing.' },
  delay: { type: 'int', default: 0, description: 'Seconds to wait before the first check.' },
  sleep: { type: 'float', default: 1, description: 'Seconds between checks.' },
  search_regex: { type: 'str', description: 'A regular expression the file (or what the port sends) must contain.' },
  connect_timeout: { type: 'int', default: 5, description: 'Seconds a single connection attempt may take.' },
  msg: { type: 'str', description: 'The failure message instead of the default one when the wait times out.' },
} as const

function timeoutMessage(s: WaitSpec, host: string): string {
  if (s.port !== undefined) return s.present ? `Timeout when waiting for ${host}:${s.port}` : `Timeout when waiting for ${host}:${s.port} to stop.`
  if (s.path === undefined) return 'Timeout'
  if (!s.present) return `Timeout when waiting for ${s.path} to be absent.`
  return s.regex !== undefined ? `Timeout when waiting for search string ${s.regex} in ${s.path}` : `Timeout when waiting for file ${s.path}`
}

export default defineModule({
  name: 'wait_for',
  description: 'Waits on the target for a port, a file, a string in a file, or a number of seconds.',
  args,
  mutuallyExclusive: [['port', 'path']],
  async plan(ctx, a) {
    if (a.path !== undefined && a.state === 'stopped') return { changed: false, failed: 'state=stopped should only be used for checking a port in the wait_for module' }
    const spec: WaitSpec = {
      host: a.host,
      port: a.port,
      path: a.path,
      present: a.state === 'started' || a.state === 'present',
      regex: a.search_regex,
      timeout: a.timeout,
      delay: a.delay,
      sleep: a.sleep,
      connectTimeout: a.connect_timeout,
    }
    const started = Date.now()
    const res = await ctx.probe(waitScript(spec), { timeoutMs: (a.timeout + a.connect_timeout + 30) * 1000 })
    const elapsed = Math.floor((Date.now() - started) / 1000)
    const result: Record<string, unknown> = { elapsed, state: a.state, ...(a.port !== undefined ? { port: a.port } : {}), ...(a.path !== undefined ? { path: a.path } : {}) }
    if (res.code === 124 || res.signal === 'TIMEOUT') return { changed: false, failed: a.msg ?? timeoutMessage(spec, a.host), result }
    if (res.code !== 0) return { changed: false, failed: res.stderr.trim() || `wait_for failed with exit code ${String(res.code)}`, result }
    if (a.search_regex !== undefined && a.path !== undefined) {
      const m = new RegExp(pythonRegex(a.search_regex).source, 'm').exec(res.stdoutBytes.toString('latin1'))
      Object.assign(result, { search_regex: a.search_regex, match_groups: m ? m.slice(1) : [], match_groupdict: m?.groups ?? {} })
    }
    return { changed: false, result }
  },
})

