/** sysctl: a kernel parameter in a sysctl file and, when asked, live (ansible.posix.sysctl). */
import type { ExecResult } from '../../engine/connection/types.js'
import { defineModule } from '../../engine/module.js'
import type { FileDiff } from '../../engine/diff.js'
import { sysctlFact } from '../../engine/facts/sysctl.js'
import { contentDiff } from '../../engine/files/diff.js'
import { readPath } from '../../engine/files/read.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { predictWrite } from '../_shared/put-file.js'
import { decideSysctl, fileValue, normalizeSysctlValue, rewriteSysctlFile, sameSysctlValue, type SysctlDecision } from './sysctl-file.js'

const args = {
  name: { type: 'str', required: true, aliases: ['key'], description: "The parameter, e.g. 'net.core.somaxconn'." },
  value: { type: 'str', aliases: ['val'], description: "Its value ('1024', '20000 60999'); yes/no become 1/0. Required with state=present." },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the file should set the parameter.' },
  sysctl_file: { type: 'path', default: '/etc/sysctl.conf', description: 'The file to keep the setting in.' },
  reload: { type: 'bool', default: true, description: 'When something changed, load the file (sysctl -p FILE); also compares the live value.' },
  sysctl_set: { type: 'bool', default: false, description: 'Also set the live value with sysctl -w when it differs.' },
  ignoreerrors: { type: 'bool', default: false, description: 'Ignore unknown keys when setting and reloading (sysctl -e).' },
} as const

interface Data {
  /** The file written: a symlinked sysctl file is written through the link, not replaced. */
  target: string
  /** The file's new content, when it changes. */
  content: string | undefined
  setLive: ShellCommand | undefined
  reload: ShellCommand | undefined
}

const C_LOCALE = { env: { LC_ALL: 'C' } }

/** sysctl can print an error and still exit 0 (Red Hat bug 1264080), so stderr is read too, as Ansible does. */
const failedBy = ({ stderr }: ExecResult): boolean => /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m.test(stderr)

/** The sysctl calls a decision needs: set the live value, and load the file. */
function sysctlCommands(a: { sysctl_file: string; ignoreerrors: boolean }, name: string, value: string, d: SysctlDecision): Pick<Data, 'setLive' | 'reload'> {
  const e = a.ignoreerrors ? sh` -e` : sh``
  return {
    setLive: d.setLive ? sh`sysctl${e} -w ${`${name}=${value}`}` : undefined,
    reload: d.reload ? sh`sysctl${e} -p ${a.sysctl_file}` : undefined,
  }
}

export default defineModule({
  name: 'sysctl',
  description: 'Sets a kernel parameter in a sysctl file and loads it, comparing both the file and the live value.',
  args,
  requiredIf: [['state', 'present', ['value']]],
  async plan(ctx, a) {
    const name = a.name.trim()
    const value = normalizeSysctlValue(a.value)
    if (name === '') return { changed: false, failed: 'name cannot be blank' }
    if (name.startsWith('-') || /\s/.test(name)) return { changed: false, failed: `invalid sysctl name: '${name}'` }
    if (a.state === 'present' && value === '') return { changed: false, failed: 'value cannot be blank' }
    const [info, live] = await Promise.all([readPath(ctx, a.sysctl_file, true), ctx.fact(sysctlFact, name)])
    if (info.stat.exists && !info.stat.isreg) return { changed: false, failed: `${a.sysctl_file} is not a regular file` }
    if (info.contentTooBig) return { changed: false, failed: `${a.sysctl_file} is too large to edit` }
    const before = info.content?.toString('utf8') ?? ''
    const decision = decideSysctl({ name, value, state: a.state, reload: a.reload, sysctl_set: a.sysctl_set }, fileValue(before, name), live)
    const content = decision.write ? rewriteSysctlFile(before, name, value, a.state) : before
    const liveChanges = a.state === 'present' && (decision.reload || decision.setLive) && !sameSysctlValue(live, value)
    const diff: FileDiff[] = []
    if (decision.write) diff.push(contentDiff(a.sysctl_file, info.stat.exists ? Buffer.from(before) : { absent: true }, Buffer.from(content)))
    if (liveChanges) diff.push({ header: `sysctl ${name} (live value)`, before: `${live ?? '(no such key)'}\n`, after: `${value}\n` })
    if (decision.write) predictWrite(ctx, info.realPath ?? a.sysctl_file, info, Buffer.from(content), { changes: [] }, {}, {})
    if (liveChanges) ctx.predict(sysctlFact, name, value)
    const actions = [
      ...(decision.write ? [`${a.state === 'present' ? 'set' : 'remove'} ${name} in ${a.sysctl_file}`] : []),
      ...(decision.setLive ? [`sysctl -w ${name}=${value}`] : []),
      ...(decision.reload ? [`sysctl -p ${a.sysctl_file}`] : []),
    ]
    const { setLive, reload } = sysctlCommands(a, name, value, decision)
    const data: Data = { target: info.realPath ?? a.sysctl_file, content: decision.write ? content : undefined, setLive, reload }
    return { changed: decision.changed, actions, diff, commands: [setLive, reload].filter((c) => c !== undefined), data }
  },
  async apply(ctx, a, { target, content, setLive, reload }) {
    const words = ({ stdout, stderr }: ExecResult): string => `${stdout}${stderr}`
    if (setLive) await ctx.run(setLive, { ...C_LOCALE, fails: failedBy, failure: (out) => `setting ${a.name.trim()} failed: ${words(out)}` })
    if (content !== undefined) await ctx.writeFile(target, content)
    if (reload) await ctx.run(reload, { ...C_LOCALE, fails: failedBy, failure: (out) => `Failed to reload sysctl: ${words(out)}` })
    return {}
  },
})
