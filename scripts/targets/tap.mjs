// Preloaded into tsplay by the ansible-playbook shim (node --import): appends one JSON line per
// task result (its file:line, status and message) to the file named by TARGETS_LOG, as
// callback_plugins/targets_log.py does for Ansible, while tsplay's own output goes on unchanged.
// tsplay has no option to write its JSON beside its text, so this taps the reporter every
// command's output passes through (engine/output/scrub.ts); no engine code changes.
import { appendFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { ScrubbingReporter } = await import(pathToFileURL(join(ROOT, 'dist', 'engine', 'output', 'scrub.js')).href)
const log = process.env.TARGETS_LOG
const handle = ScrubbingReporter.prototype.handle

ScrubbingReporter.prototype.handle = function (event) {
  if (log && event.kind === 'task:result' && event.task.pos) {
    const path = `${resolve(event.task.pos.file)}:${event.task.pos.line}`
    appendFileSync(log, `${JSON.stringify({ path, status: event.status, ignored: event.ignored, msg: String(event.msg ?? '').split('\n')[0] })}\n`)
  }
  return handle.call(this, event)
}
